import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import test, {type ExecutionContext} from 'ava'
import {formatDumpSchema, loadDumpSchema, parseDumpSchema} from '../../src/adapters/dump/dump-schema.js'
import {MigrationError} from '../../src/errors.js'

async function folder(t: ExecutionContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'm2m-dump-schema-'))
  t.teardown(() => rm(dir, {recursive: true, force: true}))
  return dir
}

const SCHEMA = {
  format: 'm2-migrate-dump',
  version: 1,
  tables: [
    {name: 'm1_sales_flat_order', columns: [{name: 'entity_id', type: 'int(10) unsigned', nullable: false, auto_increment: true}, {name: 'increment_id', type: 'varchar(50)'}, {name: 'remote_ip', type: 'varbinary(16)'}], primary_key: ['entity_id'], unique_keys: [['increment_id']], avg_row_length: 512, create: 'CREATE TABLE `m1_sales_flat_order` (…)'},
    {name: 'm1_core_store', columns: [{name: 'store_id', type: 'smallint(5) unsigned', nullable: false}, {name: 'code', type: 'varchar(32)', default: 'NULL'}], primary_key: ['store_id']},
    {name: 'other_table', columns: [{name: 'id', type: 'int'}]},
  ],
}

async function writeSchema(dir: string, schema: unknown = SCHEMA): Promise<string> {
  const file = path.join(dir, 'schema.json')
  await writeFile(file, typeof schema === 'string' ? schema : JSON.stringify(schema, null, 2))
  return file
}

async function loadError(promise: Promise<unknown>): Promise<MigrationError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught)
  if (!(error instanceof MigrationError)) throw new Error(`expected a MigrationError, got ${String(error)}`)
  return error
}

test('tables become documents named without the prefix, in name order, with types, keys and flags', async (t) => {
  const dir = await folder(t)
  const schema = await loadDumpSchema(await writeSchema(dir), {prefix: 'm1_'})
  t.deepEqual(schema.database.documents, ['core_store', 'sales_flat_order'])
  const orders = schema.database.tables.get('sales_flat_order')!
  t.is(orders.physicalName, 'm1_sales_flat_order')
  t.deepEqual(orders.primaryKey, ['entity_id'])
  t.deepEqual(orders.uniqueKeys, [['increment_id']])
  t.is(orders.averageRowLength, 512)
  t.deepEqual(orders.columns.map((column) => [column.name, column.dataType, column.nullable, column.numeric, column.binary, column.autoIncrement]), [
    ['entity_id', 'int', false, true, false, true],
    ['increment_id', 'varchar', true, false, false, false],
    ['remote_ip', 'varbinary', true, false, true, false],
  ])
  t.is(schema.tables.get('sales_flat_order')!.create, 'CREATE TABLE `m1_sales_flat_order` (…)')
})

test('with a data folder, each document\'s file is found by its suffix', async (t) => {
  const dir = await folder(t)
  await writeFile(path.join(dir, 'm1_core_store.json'), '[]')
  await writeFile(path.join(dir, 'm1_sales_flat_order.ndjson.gz'), '')
  const schema = await loadDumpSchema(await writeSchema(dir), {prefix: 'm1_', dataFolder: dir})
  t.like(schema.tables.get('core_store')!.dataFile, {format: 'json', gzip: false})
  t.like(schema.tables.get('sales_flat_order')!.dataFile, {format: 'ndjson', gzip: true})
})

test('a missing table file fails naming the folder and the table', async (t) => {
  const dir = await folder(t)
  await writeFile(path.join(dir, 'm1_core_store.ndjson'), '')
  const error = await loadError(loadDumpSchema(await writeSchema(dir), {prefix: 'm1_', dataFolder: dir}))
  t.is(error.code, 'DUMP_INVALID')
  t.regex(error.message, new RegExp(`^${dir.replaceAll('\\', '\\\\')}: table m1_sales_flat_order has no data file \\(looked for m1_sales_flat_order\\.ndjson, `))
})

test('a file a table names must exist', async (t) => {
  const dir = await folder(t)
  const schema = {...SCHEMA, tables: [{...SCHEMA.tables[2], file: 'data/other.ndjson'}]}
  const error = await loadError(loadDumpSchema(await writeSchema(dir, schema), {dataFolder: dir}))
  t.regex(error.message, /table other_table has no data file: data\/other\.ndjson/)
  await mkdir(path.join(dir, 'data'))
  await writeFile(path.join(dir, 'data', 'other.ndjson'), '')
  const loaded = await loadDumpSchema(path.join(dir, 'schema.json'), {dataFolder: dir})
  t.is(loaded.tables.get('other_table')!.dataFile!.path, path.join(dir, 'data', 'other.ndjson'))
})

test('a schema file that is not JSON fails naming its line', async (t) => {
  const dir = await folder(t)
  const error = await loadError(loadDumpSchema(await writeSchema(dir, '{\n  "format": "m2-migrate-dump",\n  "version": 1,\n  "tables": [,]\n}\n')))
  t.regex(error.message, /schema\.json:4: not valid JSON/)
})

test('a missing schema file fails naming it', async (t) => {
  const dir = await folder(t)
  const error = await loadError(loadDumpSchema(path.join(dir, 'nope.json')))
  t.regex(error.message, /nope\.json: cannot read the schema file/)
})

test('schema mistakes are named by table and column', (t) => {
  const check = (tables: unknown[], pattern: RegExp) => {
    const error = t.throws(() => parseDumpSchema(JSON.stringify({format: 'm2-migrate-dump', version: 1, tables}), 's.json'), {instanceOf: MigrationError})
    t.regex(error.message, pattern)
  }
  check([{name: 't', columns: [{name: 'a'}]}], /^s\.json: table t: column 1 \(a\) needs a "type"/)
  check([{name: 't', columns: [{name: 'a', type: 'int'}], primary_key: ['b']}], /table t: "primary_key" names column b, which the table does not have/)
  check([{name: 't', columns: [{name: 'a', type: 'int'}, {name: 'a', type: 'int'}]}], /table t: column a is listed twice/)
  check([{name: 't', columns: []}], /table t: "columns" must be a non-empty array/)
  check([{name: 't', columns: [{name: 'a', type: 'int'}]}, {name: 't', columns: [{name: 'a', type: 'int'}]}], /table t is listed twice/)
  t.throws(() => parseDumpSchema('{"format": "other", "version": 1, "tables": []}', 's.json'), {message: /"format" must be "m2-migrate-dump"/})
  t.throws(() => parseDumpSchema('{"format": "m2-migrate-dump", "version": 2, "tables": []}', 's.json'), {message: /"version" 2 is not one this m2-migrate reads/})
})

test('a written schema file reads back as the same tables', async (t) => {
  const dir = await folder(t)
  const first = await loadDumpSchema(await writeSchema(dir))
  const text = formatDumpSchema([...first.tables.values()].map((table) => ({table: table.schema, create: table.create, rows: 3})))
  await writeFile(path.join(dir, 'again.json'), text)
  const again = await loadDumpSchema(path.join(dir, 'again.json'))
  t.deepEqual(again.database, first.database)
  t.is(again.tables.get('m1_sales_flat_order')!.rows, 3)
})

test('a schema file written for some columns lists only those, and only the keys they hold', async (t) => {
  const dir = await folder(t)
  const orders = (await loadDumpSchema(await writeSchema(dir))).database.tables.get('m1_sales_flat_order')!
  await writeFile(path.join(dir, 'some.json'), formatDumpSchema([{table: orders, columns: ['entity_id', 'remote_ip']}]))
  const again = (await loadDumpSchema(path.join(dir, 'some.json'))).database.tables.get('m1_sales_flat_order')!
  t.deepEqual(again.columns.map((column) => column.name), ['entity_id', 'remote_ip'])
  t.deepEqual(again.primaryKey, ['entity_id'])
  t.deepEqual(again.uniqueKeys, [])
})
