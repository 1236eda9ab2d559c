/**
 * StoreGroupCode loads the store group names from the source's core_store_group when it is
 * created, so these tests give it a real MariaDB database holding that table.
 */
import {createHash} from 'node:crypto'
import test, {type ExecutionContext} from 'ava'
import type {Handler, HandlerSetup, LookupPort, Value} from '../../transforms/handler.js'
import {MysqlDatabase} from '../../src/adapters/mysql/mysql-database.js'
import {quoteIdentifier} from '../../src/adapters/mysql/sql-text.js'
import {MigrationError} from '../../src/errors.js'
import {codeFromName, storeGroupCode} from '../../transforms/store-group-code.js'
import {withDatabases} from '../helpers/db.js'
import {recordView as record} from '../helpers/record-view.js'

/** core_store_group as Magento 1.6.1.0 declares it, and the sample's two rows. */
const CORE_STORE_GROUP = `
  CREATE TABLE core_store_group (group_id smallint(5) unsigned NOT NULL AUTO_INCREMENT, website_id smallint(5) unsigned NOT NULL DEFAULT 0, name varchar(255) NOT NULL, root_category_id int(10) unsigned NOT NULL DEFAULT 0, default_store_id smallint(5) unsigned NOT NULL DEFAULT 0, PRIMARY KEY (group_id));
  SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO';
  INSERT INTO core_store_group (group_id, website_id, name, root_category_id, default_store_id) VALUES (0,0,'Default',0,0),(1,1,'Main Store',3,1);
`

interface Source {
  readonly port: LookupPort
  /** Statements sent, to count the lookups. */
  readonly statements: string[]
  insert(rows: string): Promise<void>
}

/** The source database of a run (tables with the given prefix), as the Map step hands it to handlers. */
async function source(t: ExecutionContext, prefix = ''): Promise<Source> {
  const [db] = await withDatabases(t, ['store_group_code'])
  await db.exec(CORE_STORE_GROUP.replaceAll('core_store_group', `${prefix}core_store_group`))
  const {host, port, user, password, name} = db.params
  const database = new MysqlDatabase({kind: 'database', database: {host, port, user, password, name}, initStatements: [], prefix}, {connectionLimit: 1})
  t.teardown(() => database.close())
  const statements: string[] = []
  return {
    port: {query: (sql) => (statements.push(sql), database.query(sql)), table: (document) => quoteIdentifier(`${prefix}${document}`)},
    statements,
    insert: (rows) => db.exec(`INSERT INTO ${prefix}core_store_group (group_id, website_id, name) VALUES ${rows}`),
  }
}

function setup(lookup?: LookupPort, warnings: string[] = []): HandlerSetup {
  return {
    className: '\\Migration\\Handler\\StoreGroupCode',
    document: 'store_group',
    field: 'code',
    side: 'destination',
    params: {},
    mapFile: '/maps/map-stores.xml',
    at: '/maps/map-stores.xml:47:17',
    source: lookup,
    warn: (message) => warnings.push(message),
  }
}

/** The store_group row the destination receives for a group, with its code set by the handler. */
function codeFor(handler: Handler, groupId: Value): Value {
  const row = record('store_group', {group_id: groupId, website_id: 1, name: 'Main Store', root_category_id: 3, default_store_id: 1, code: null})
  handler.handle(row, record('core_store_group', {group_id: groupId}))
  return row.values.code
}

test('codes are made from names: lowered, spaces as _, other characters dropped', (t) => {
  t.is(codeFromName('Main Store'), 'main_store')
  t.is(codeFromName('Default'), 'default')
  t.is(codeFromName('Madison Island  (EN)'), 'madison_island_en')
  t.is(codeFromName('Käse-Laden'), 'kse-laden')
})

test('whatever precedes the first letter is dropped', (t) => {
  t.is(codeFromName('2nd Store'), 'nd_store')
  t.is(codeFromName('_-Outlet'), 'outlet')
})

test('the M1 sample\'s store groups get their codes from the source', async (t) => {
  const handler = await storeGroupCode.create(setup((await source(t)).port))

  t.is(codeFor(handler, 1), 'main_store')
  t.is(codeFor(handler, '0'), 'default')
})

test('the names are loaded once, not per record', async (t) => {
  const {port, statements} = await source(t)
  const handler = await storeGroupCode.create(setup(port))

  for (let i = 0; i < 5; i++) codeFor(handler, 1)

  t.is(statements.length, 1)
})

test('the source\'s table prefix is used', async (t) => {
  const handler = await storeGroupCode.create(setup((await source(t, 'm1_')).port))

  t.is(codeFor(handler, 1), 'main_store')
})

test('a name that gives no code, and a group the source lacks, get "store_group"', async (t) => {
  const db = await source(t)
  await db.insert("(2, 1, '2024')")
  const handler = await storeGroupCode.create(setup(db.port))

  t.is(codeFor(handler, 2), 'store_group')
  t.is(codeFor(handler, 99), 'store_group')
})

test('a repeated code gets "-" and the md5 of its group id, with a warning', async (t) => {
  const db = await source(t)
  // "Main Store" again, and "main store", which gives the same code.
  await db.insert("(2, 2, 'Main Store'), (3, 3, 'main store')")
  const warnings: string[] = []
  const handler = await storeGroupCode.create(setup(db.port, warnings))

  t.is(codeFor(handler, 1), 'main_store')
  t.is(codeFor(handler, 2), `main_store-${createHash('md5').update('2').digest('hex')}`)
  t.is(codeFor(handler, 3), `main_store-${createHash('md5').update('3').digest('hex')}`)
  t.is(warnings.length, 2)
  t.true(warnings[0].includes('duplicated code "main_store" for store group 2'), warnings[0])
})

test('a missing field fails with "<field> field not found in the record."', async (t) => {
  const handler = await storeGroupCode.create(setup((await source(t)).port))

  t.throws(() => handler.handle(record('store_group', {group_id: 1}), record('core_store_group', {})), {message: 'code field not found in the record.'})
})

test('without the source database the handler cannot load the names, and says so', async (t) => {
  const error = await t.throwsAsync(async () => storeGroupCode.create(setup()), {instanceOf: MigrationError})

  t.true(error.message.startsWith('/maps/map-stores.xml:47:17: handler \\Migration\\Handler\\StoreGroupCode on store_group.code'), error.message)
  t.true(error.message.includes('needs the source database'), error.message)
})
