/**
 * Timezone reads its column's type from the database when it is created, so these tests give it
 * a real MariaDB database holding the Magento 1.6.1.0 columns it is used on.
 */
import test, {type ExecutionContext} from 'ava'
import type {Handler, HandlerSetup, LookupPort, Value} from '../../transforms/handler.js'
import {MysqlDatabase} from '../../src/adapters/mysql/mysql-database.js'
import {quoteIdentifier} from '../../src/adapters/mysql/sql-text.js'
import {MigrationError} from '../../src/errors.js'
import {timezone} from '../../transforms/timezone.js'
import {withDatabases} from '../helpers/db.js'
import {recordView as record} from '../helpers/record-view.js'

/** Columns as Magento 1.6.1.0 declares them (the sample dump's CREATE TABLEs, shortened). */
const M1_TABLES = `
  CREATE TABLE cms_page (page_id smallint(6) NOT NULL, identifier varchar(100) NOT NULL, creation_time timestamp NULL DEFAULT NULL, custom_theme_from date DEFAULT NULL, PRIMARY KEY (page_id));
  CREATE TABLE sendfriend_log (log_id int(10) unsigned NOT NULL, ip bigint(20) unsigned NOT NULL DEFAULT 0, time int(10) unsigned NOT NULL DEFAULT 0, website_id smallint(5) unsigned NOT NULL DEFAULT 0, PRIMARY KEY (log_id));
  CREATE TABLE catalog_product_entity_datetime (value_id int(11) NOT NULL, attribute_id smallint(5) unsigned NOT NULL, entity_id int(10) unsigned NOT NULL, value datetime DEFAULT NULL, PRIMARY KEY (value_id));
`

/** The source database of a run, as the Map step hands it to handlers. */
async function sourceLookup(t: ExecutionContext): Promise<LookupPort> {
  const [db] = await withDatabases(t, ['timezone'])
  await db.exec(M1_TABLES)
  const {host, port, user, password, name} = db.params
  const database = new MysqlDatabase({kind: 'database', database: {host, port, user, password, name}, initStatements: [], prefix: ''}, {connectionLimit: 1})
  t.teardown(() => database.close())
  return {query: (sql) => database.query(sql), table: (document) => quoteIdentifier(document)}
}

function setup(document: string, field: string, offset: string, source?: LookupPort): HandlerSetup {
  return {
    className: '\\Migration\\Handler\\Timezone',
    document,
    field,
    side: 'source',
    params: {offset},
    mapFile: '/maps/map.xml',
    at: '/maps/map.xml:40:17',
    source,
    warn: () => undefined,
  }
}

async function create(t: ExecutionContext, document: string, field: string, offset: string): Promise<Handler> {
  return timezone.create(setup(document, field, offset, await sourceLookup(t)))
}

function shift(handler: Handler, document: string, values: Record<string, Value>, field: string): Value {
  const row = record(document, values)
  handler.handle(row, record(document, {}))
  return row.values[field]
}

test('a timestamp column moves by the offset: the M1 sample\'s home page creation time', async (t) => {
  const handler = await create(t, 'cms_page', 'creation_time', '-5')

  t.is(shift(handler, 'cms_page', {page_id: 5, identifier: 'home', creation_time: '2008-04-16 14:51:52'}, 'creation_time'), '2008-04-16 09:51:52')
})

test('a datetime column moves across midnight, month end and the leap day', async (t) => {
  const handler = await create(t, 'catalog_product_entity_datetime', 'value', '+3')
  const moved = (value: Value) => shift(handler, 'catalog_product_entity_datetime', {value_id: 1, attribute_id: 568, entity_id: 165, value}, 'value')

  // special_from_date of product 165 in the M1 sample.
  t.is(moved('2008-07-30 00:00:00'), '2008-07-30 03:00:00')
  t.is(moved('2012-02-28 22:30:00'), '2012-02-29 01:30:00')
  t.is(moved('2011-12-31 23:00:00'), '2012-01-01 02:00:00')
})

test('an int column holds a Unix timestamp, which moves by offset * 3600 seconds', async (t) => {
  const handler = await create(t, 'sendfriend_log', 'time', '+2')
  const moved = (value: Value) => shift(handler, 'sendfriend_log', {log_id: 1, ip: '2130706433', time: value, website_id: 1}, 'time')

  // 1325376000 is 2012-01-01 00:00:00 UTC.
  t.is(moved('1325376000'), 1325376000 + 2 * 3600)
  t.is(moved(1325376000), 1325383200)
})

test('empty values and zero dates stay as they are', async (t) => {
  const handler = await create(t, 'cms_page', 'creation_time', '+1')
  const moved = (value: Value) => shift(handler, 'cms_page', {page_id: 1, identifier: 'no-route', creation_time: value}, 'creation_time')

  t.is(moved(null), null)
  t.is(moved(''), '')
  t.is(moved('0000-00-00 00:00:00'), '0000-00-00 00:00:00')
})

test('an offset of 0 leaves every value as it is', async (t) => {
  const handler = await create(t, 'cms_page', 'creation_time', '0')

  t.is(shift(handler, 'cms_page', {page_id: 1, identifier: 'no-route', creation_time: '2007-06-20 18:38:32'}, 'creation_time'), '2007-06-20 18:38:32')
})

test('offsets beyond -14 and +12 hours, and offsets that are not whole hours, are refused', async (t) => {
  for (const offset of ['+13', '13', '-15', '+5.5', 'five']) {
    const error = await t.throwsAsync(async () => timezone.create(setup('cms_page', 'creation_time', offset)), {instanceOf: MigrationError}, offset)
    t.is(error.code, 'HANDLER_PARAMS')
    t.true(error.message.startsWith('/maps/map.xml:40:17: handler \\Migration\\Handler\\Timezone on cms_page.creation_time'), error.message)
    t.true(error.message.includes(`"${offset}"`), error.message)
  }
})

test('the limits -14 and +12 themselves are accepted', async (t) => {
  const lookup = await sourceLookup(t)

  await t.notThrowsAsync(async () => timezone.create(setup('cms_page', 'creation_time', '-14', lookup)))
  await t.notThrowsAsync(async () => timezone.create(setup('cms_page', 'creation_time', '+12', lookup)))
})

test('a column of another type (date, bigint, varchar) is refused when the handler is created, naming the type', async (t) => {
  const lookup = await sourceLookup(t)

  for (const [document, field, type] of [['cms_page', 'custom_theme_from', 'date'], ['sendfriend_log', 'ip', 'bigint(20) unsigned'], ['cms_page', 'identifier', 'varchar(100)']]) {
    const error = await t.throwsAsync(async () => timezone.create(setup(document, field, '+1', lookup)), {instanceOf: MigrationError})
    t.true(error.message.includes(`provided datatype for field "${field}" is not supported`), error.message)
    t.true(error.message.includes(type), error.message)
  }
})

test('a field the document lacks fails with "<field> field not found in the record."', async (t) => {
  const handler = await create(t, 'cms_page', 'update_time', '+1')

  t.throws(() => handler.handle(record('cms_page', {page_id: 1, creation_time: '2007-06-20 18:38:32'}), record('cms_page', {})), {message: 'update_time field not found in the record.'})
})

test('without the source database the handler cannot learn the column type, and says so', async (t) => {
  const error = await t.throwsAsync(async () => timezone.create(setup('cms_page', 'creation_time', '+1')), {instanceOf: MigrationError})

  t.true(error.message.includes('needs the source database'), error.message)
})
