/**
 * Bad dumps end a migrate:data run (dump → SQL file, no database) with one error naming the file,
 * the line and the table, and nothing is left half-written: no SQL file at its path, no temporary
 * file beside it.
 */
import {existsSync, mkdirSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import test, {type ExecutionContext} from 'ava'
import {describeStatus} from '../../src/modes/migration-status.js'
import {dumpXml, sqlFileXml, tempFolder, writeFileConfig} from '../helpers/dumps.js'
import {migrateData} from '../helpers/migration.js'

const SCHEMA = {
  format: 'm2-migrate-dump',
  version: 1,
  tables: [
    {name: 'core_store', columns: [{name: 'store_id', type: 'smallint(5) unsigned', nullable: false}, {name: 'code', type: 'varchar(32)'}], primary_key: ['store_id']},
    {name: 'sales_flat_order', columns: [{name: 'entity_id', type: 'int(10) unsigned', nullable: false}, {name: 'increment_id', type: 'varchar(50)'}], primary_key: ['entity_id']},
  ],
}
const DESTINATION = {
  format: 'm2-migrate-dump',
  version: 1,
  tables: [
    {name: 'store', columns: [{name: 'store_id', type: 'smallint(5) unsigned', nullable: false}, {name: 'code', type: 'varchar(32)'}], primary_key: ['store_id']},
    {name: 'sales_order', columns: [{name: 'entity_id', type: 'int(10) unsigned', nullable: false}, {name: 'increment_id', type: 'varchar(50)'}], primary_key: ['entity_id']},
  ],
}
const MAP = '<map><source><document_rules><rename><document>core_store</document><to>store</to></rename><rename><document>sales_flat_order</document><to>sales_order</to></rename></document_rules></source><destination/></map>'

const STORES = '{"store_id":0,"code":"admin"}\n{"store_id":1,"code":"default"}\n'
const ORDERS = '{"entity_id":1,"increment_id":"100000001"}\n{"entity_id":2,"increment_id":"100000002"}\n{"entity_id":3,"increment_id":"100000003"}\n'

/** A dump (m1/), a destination schema, a map and a config writing out/m2.sql, in a fresh folder. */
function setUp(t: ExecutionContext, files: Record<string, string | undefined>): {folder: string; config: string} {
  const folder = tempFolder('dump-errors')
  t.teardown(() => rmSync(folder, {recursive: true, force: true}))
  mkdirSync(join(folder, 'm1'))
  writeFileSync(join(folder, 'm1', 'schema.json'), JSON.stringify(SCHEMA))
  for (const [name, text] of Object.entries({'core_store.ndjson': STORES, 'sales_flat_order.ndjson': ORDERS, ...files})) {
    if (text !== undefined) writeFileSync(join(folder, 'm1', name), text)
  }
  writeFileSync(join(folder, 'm2-schema.json'), JSON.stringify(DESTINATION))
  writeFileSync(join(folder, 'map.xml'), MAP)
  const config = writeFileConfig({source: dumpXml('m1'), destination: sqlFileXml('out/m2.sql', 'm2-schema.json'), mapFile: join(folder, 'map.xml'), folder})
  return {folder, config}
}

function outputs(folder: string): string[] {
  return existsSync(join(folder, 'out')) ? readdirSync(join(folder, 'out')) : []
}

test('a good dump gives exit 0 and the SQL file, and nothing else, in out/', async (t) => {
  const {folder, config} = setUp(t, {})
  const run = await migrateData(config)
  t.is(run.exitCode, 0, run.log.lines.join('\n'))
  t.is(run.rows, 5)
  t.deepEqual(outputs(folder), ['m2.sql'])
})

test('a truncated JSON line in the second table: exit 5, the error names file, line and table, and no SQL file is left', async (t) => {
  const {folder, config} = setUp(t, {'sales_flat_order.ndjson': `${ORDERS}{"entity_id":4,"incre`})
  const run = await migrateData(config)
  t.is(run.exitCode, 5)
  t.true(run.log.at('ERROR').includes(`${join(folder, 'm1', 'sales_flat_order.ndjson')}:4: table sales_flat_order: the file ends inside a JSON value: it was cut off`), run.log.at('ERROR').join('\n'))
  t.deepEqual(outputs(folder), [], 'no m2.sql and no m2.sql.partial-*')
})

test('a row whose columns do not match the schema: the error names file, line, table and column', async (t) => {
  const {folder, config} = setUp(t, {'core_store.ndjson': `${STORES}{"store_id":2,"code":"french","name":"Français"}\n`})
  const run = await migrateData(config)
  t.is(run.exitCode, 5)
  t.true(run.log.at('ERROR').some((line) => line.startsWith(`${join(folder, 'm1', 'core_store.ndjson')}:3: table core_store: column name is not in the schema of core_store`)), run.log.at('ERROR').join('\n'))
  t.deepEqual(outputs(folder), [])
})

test('a missing table file stops the run before anything is read or written, with exit 2', async (t) => {
  const {folder, config} = setUp(t, {'sales_flat_order.ndjson': undefined})
  const run = await migrateData(config)
  t.is(run.exitCode, 2)
  t.regex(run.log.at('ERROR')[0], /m1: table sales_flat_order has no data file \(looked for sales_flat_order\.ndjson, sales_flat_order\.jsonl, sales_flat_order\.json/)
  t.false(run.log.lines.some((line) => line.includes('[stage: integrity check]')))
  t.deepEqual(outputs(folder), [])
})

test('a dump folder that does not exist is named, with the config element that names it', async (t) => {
  const {folder, config} = setUp(t, {})
  rmSync(join(folder, 'm1'), {recursive: true})
  const run = await migrateData(config)
  t.is(run.exitCode, 2)
  t.regex(run.log.at('ERROR')[0], /config\.xml:\d+:\d+: <dump path="…">: .*\/m1 is not a folder/)
})

test('an interrupted run leaves no SQL file, and the next run writes it whole', async (t) => {
  const {folder, config} = setUp(t, {})
  const controller = new AbortController()
  controller.abort()
  const interrupted = await migrateData(config, {signal: controller.signal})
  t.is(interrupted.exitCode, 130)
  t.deepEqual(outputs(folder), [])
  const again = await migrateData(config)
  t.is(again.exitCode, 0)
  t.is(again.rows, 5, 'a file destination keeps no progress: every run starts over')
  t.deepEqual(outputs(folder), ['m2.sql'])
})

test('migrate:status says a file destination keeps no progress', async (t) => {
  const {config} = setUp(t, {})
  const lines = await describeStatus(config)
  t.regex(lines[0], /the destination is SQL file .*out\/m2\.sql, which keeps no progress/)
})
