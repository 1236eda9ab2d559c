import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import test, {type ExecutionContext} from 'ava'
import type {Handler, Value} from '../../transforms/handler.js'
import {MigrationError} from '../../src/errors.js'
import {ruleConditionSql} from '../../transforms/rule-condition-sql.js'
import {type FakeLookup, fakeLookup, handlerSetup} from '../helpers/fake-lookup.js'
import {recordView} from '../helpers/record-view.js'

function record(values: Record<string, Value>) {
  return recordView('enterprise_reminder_rule', values)
}

/** A main map with the DMT's renames of the quote and order tables and an ignored log table. */
const MAP = `<?xml version="1.0"?>
<map>
    <source>
        <document_rules>
            <ignore><document>log_*</document></ignore>
            <rename><document>sales_flat_quote</document><to>quote</to></rename>
            <rename><document>sales_flat_quote_item</document><to>quote_item</to></rename>
            <rename><document>sales_flat_order</document><to>sales_order</to></rename>
        </document_rules>
        <field_rules/>
    </source>
    <destination>
        <document_rules/>
        <field_rules/>
    </destination>
</map>
`

async function mapFile(t: ExecutionContext): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'm2m-condition-sql-'))
  t.teardown(() => rm(folder, {recursive: true, force: true}))
  const file = join(folder, 'map.xml')
  await writeFile(file, MAP)
  return file
}

function sourceTables(prefix = ''): FakeLookup {
  const names = ['customer_entity', 'log_visitor', 'sales_flat_order', 'sales_flat_quote', 'sales_flat_quote_item']
  return fakeLookup([['SHOW TABLES', names.map((name) => [`${prefix}${name}`])]], {prefix})
}

async function create(t: ExecutionContext, source: FakeLookup = sourceTables(), destination: FakeLookup = fakeLookup([])): Promise<Handler> {
  const file = await mapFile(t)
  return ruleConditionSql.create(handlerSetup({
    className: 'Migration\\Handler\\Rule\\ConditionSql', document: 'enterprise_reminder_rule', field: 'condition_sql', source, destination,
    mapFile: '/maps/other-map.xml',
    resolveOptionFile: (option) => {
      if (option !== 'map_file') throw new Error(`unexpected option ${option}`)
      return file
    },
  }))
}

/** A reminder rule's stored condition: customers with an abandoned cart. */
const CONDITION = 'SELECT 1 FROM `sales_flat_quote` AS `quote` INNER JOIN `sales_flat_quote_item` AS `item` ON item.quote_id = quote.entity_id WHERE (quote.customer_id = root.entity_id) AND (quote.is_active = 1) LIMIT 1'

function rewrite(handler: Handler, value: Value): Value {
  const row = record({rule_id: 1, condition_sql: value})
  handler.handle(row, record({}))
  return row.values.condition_sql
}

test('renamed source tables in the condition become their destination names', async (t) => {
  const handler = await create(t)

  t.is(rewrite(handler, CONDITION), 'SELECT 1 FROM `quote` AS `quote` INNER JOIN `quote_item` AS `item` ON item.quote_id = quote.entity_id WHERE (quote.customer_id = root.entity_id) AND (quote.is_active = 1) LIMIT 1')
})

test('only backquoted table names are rewritten, whole names only', async (t) => {
  const handler = await create(t)

  t.is(rewrite(handler, 'SELECT sales_flat_order.entity_id FROM `sales_flat_order`'), 'SELECT sales_flat_order.entity_id FROM `sales_order`')
  t.is(rewrite(handler, 'SELECT 1 FROM `sales_flat_order_item`'), 'SELECT 1 FROM `sales_flat_order_item`')
})

test('source and destination prefixes are swapped, also for tables keeping their name', async (t) => {
  const handler = await create(t, sourceTables('m1_'), fakeLookup([], {prefix: 'm2_'}))

  t.is(rewrite(handler, 'SELECT 1 FROM `m1_sales_flat_order` AS o INNER JOIN `m1_customer_entity` AS c'), 'SELECT 1 FROM `m2_sales_order` AS o INNER JOIN `m2_customer_entity` AS c')
})

test('tables the map ignores are left as they are', async (t) => {
  const handler = await create(t, sourceTables('m1_'), fakeLookup([], {prefix: 'm2_'}))

  t.is(rewrite(handler, 'SELECT 1 FROM `m1_log_visitor`'), 'SELECT 1 FROM `m1_log_visitor`')
})

test('a NULL condition stays NULL', async (t) => {
  t.is(rewrite(await create(t), null), null)
})

test('transforming 10,000 rows sends no query beyond the one create() sent', async (t) => {
  const source = sourceTables()
  const destination = fakeLookup([])
  const handler = await create(t, source, destination)
  const afterCreate = source.count
  for (let i = 0; i < 10_000; i++) rewrite(handler, CONDITION)

  t.is(afterCreate, 1)
  t.is(source.count, afterCreate)
  t.is(destination.count, 0)
})

test('a record without the field fails with "<field> field not found in the record."', async (t) => {
  const handler = await create(t)

  t.throws(() => handler.handle(record({rule_id: 1}), record({})), {message: 'condition_sql field not found in the record.'})
})

test('without a destination database the handler is refused when created, naming handler and field', async (t) => {
  const setup = handlerSetup({className: 'Migration\\Handler\\Rule\\ConditionSql', document: 'enterprise_reminder_rule', field: 'condition_sql', source: sourceTables()})
  const error = await t.throwsAsync(async () => ruleConditionSql.create(setup), {instanceOf: MigrationError})

  t.true(error.message.includes('Rule\\ConditionSql on enterprise_reminder_rule.condition_sql'), error.message)
  t.true(error.message.includes('destination database'), error.message)
})
