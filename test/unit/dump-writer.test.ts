import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import test, {type ExecutionContext} from 'ava'
import {loadDumpSchema} from '../../src/adapters/dump/dump-schema.js'
import {DumpSource} from '../../src/adapters/dump/ndjson-source.js'
import {DumpWriter} from '../../src/adapters/dump/ndjson-writer.js'
import {MigrationError} from '../../src/errors.js'
import type {Row} from '../../src/pipeline/row.js'
import {type ColumnSchema, isBinaryType, isNumericType, type TableSchema} from '../../src/schema/table-schema.js'

function column(name: string, dataType: string, columnType = dataType): ColumnSchema {
  return {name, dataType, columnType, nullable: true, defaultValue: null, autoIncrement: false, binary: isBinaryType(dataType), numeric: isNumericType(dataType)}
}

const ORDER: TableSchema = {
  name: 'sales_order',
  physicalName: 'sales_order',
  columns: [column('entity_id', 'int', 'int(10) unsigned'), column('quote_id', 'bigint', 'bigint(20) unsigned'), column('grand_total', 'decimal', 'decimal(20,4)'), column('remote_ip', 'varbinary', 'varbinary(16)'), column('note', 'text')],
  primaryKey: ['entity_id'],
  uniqueKeys: [['quote_id']],
  averageRowLength: 0,
}

async function place(t: ExecutionContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'm2m-dump-writer-'))
  t.teardown(() => rm(dir, {recursive: true, force: true}))
  return path.join(dir, 'm2')
}

const ROWS: Row[] = [
  [1, '18446744073709551615', '10.5000', Buffer.from([0, 255]), 'line\nbreak "quoted" 😀'],
  [2, '0', '0.0000', null, ''],
]

test('the folder appears only when complete, holding one NDJSON file per table and schema.json', async (t) => {
  const folder = await place(t)
  const writer = await DumpWriter.open(folder)
  await writer.clear(ORDER)
  await writer.sink(ORDER, ORDER.columns.map((item) => item.name)).write(ROWS)
  t.false(existsSync(folder))
  await writer.complete()
  t.deepEqual(readdirSync(folder).sort(), ['sales_order.ndjson', 'schema.json'])
  t.deepEqual(readdirSync(path.dirname(folder)), ['m2'])
})

test('what the writer writes the dump source reads back exactly', async (t) => {
  const folder = await place(t)
  const writer = await DumpWriter.open(folder)
  await writer.clear(ORDER)
  await writer.sink(ORDER, ORDER.columns.map((item) => item.name)).write(ROWS)
  await writer.complete()
  const dump = await loadDumpSchema(path.join(folder, 'schema.json'), {dataFolder: folder})
  const table = dump.database.tables.get('sales_order')!
  t.deepEqual(table, ORDER)
  const rows: Row[] = []
  for await (const batch of new DumpSource(dump).read(table, {pageSize: 10})) rows.push(...batch.rows)
  t.deepEqual(rows, ROWS)
  t.is(dump.tables.get('sales_order')!.rows, 2)
})

test('schema.json lists the columns written, and a table emptied without rows gets an empty file', async (t) => {
  const folder = await place(t)
  const writer = await DumpWriter.open(folder)
  const empty: TableSchema = {...ORDER, name: 'sales_order_grid', physicalName: 'sales_order_grid'}
  await writer.clear(empty)
  await writer.clear(ORDER)
  await writer.sink(ORDER, ['entity_id', 'note']).write([[1, 'x']])
  await writer.complete()
  t.is(readFileSync(path.join(folder, 'sales_order_grid.ndjson'), 'utf8'), '')
  const dump = await loadDumpSchema(path.join(folder, 'schema.json'))
  t.deepEqual(dump.database.tables.get('sales_order')!.columns.map((item) => item.name), ['entity_id', 'note'])
  t.deepEqual(dump.database.tables.get('sales_order')!.uniqueKeys, [], 'quote_id is not written, so its key is not listed')
  t.is(dump.database.tables.get('sales_order_grid')!.columns.length, ORDER.columns.length)
})

test('an earlier dump at the path is replaced; a folder that is not a dump is left alone', async (t) => {
  const folder = await place(t)
  await mkdir(folder)
  await writeFile(path.join(folder, 'notes.txt'), 'mine')
  const error = await t.throwsAsync(DumpWriter.open(folder), {instanceOf: MigrationError})
  t.regex(error.message, /exists, is not empty and is not a dump \(it has no schema\.json\); it is left as it is/)
  t.is(readFileSync(path.join(folder, 'notes.txt'), 'utf8'), 'mine')
  await rm(path.join(folder, 'notes.txt'))
  await writeFile(path.join(folder, 'schema.json'), '{}')
  await writeFile(path.join(folder, 'old_table.ndjson'), '')
  const writer = await DumpWriter.open(folder)
  await writer.clear(ORDER)
  await writer.complete()
  t.deepEqual(readdirSync(folder).sort(), ['sales_order.ndjson', 'schema.json'])
})

test('a discarded dump leaves nothing behind', async (t) => {
  const folder = await place(t)
  const writer = await DumpWriter.open(folder)
  await writer.clear(ORDER)
  await writer.sink(ORDER, ['entity_id']).write([[1]])
  await writer.discard()
  t.deepEqual(readdirSync(path.dirname(folder)), [])
})
