import test from 'ava'
import {readJsonRows, type DumpFileFormat} from '../../src/adapters/dump/json-row-reader.js'
import {FirstRowDecoder, SchemaRowDecoder} from '../../src/adapters/dump/row-decoders.js'
import {MigrationError} from '../../src/errors.js'
import type {Row} from '../../src/pipeline/row.js'
import type {ColumnSchema, TableSchema} from '../../src/schema/table-schema.js'
import {isBinaryType, isNumericType} from '../../src/schema/table-schema.js'

function column(name: string, dataType: string): ColumnSchema {
  return {name, dataType, columnType: dataType, nullable: true, defaultValue: null, autoIncrement: false, binary: isBinaryType(dataType), numeric: isNumericType(dataType)}
}

const ORDERS: TableSchema = {
  name: 'sales_flat_order',
  physicalName: 'sales_flat_order',
  columns: [column('entity_id', 'int'), column('increment_id', 'varchar'), column('grand_total', 'decimal'), column('quote_id', 'bigint'), column('remote_ip', 'varbinary')],
  primaryKey: ['entity_id'],
  uniqueKeys: [],
  averageRowLength: 0,
}

const SUBJECT = {file: '/dumps/m1/sales_flat_order.ndjson', table: 'sales_flat_order'}

/** Feeds the text in the given pieces (to cross chunk boundaries anywhere). */
async function* pieces(...parts: string[]): AsyncGenerator<string> {
  for (const part of parts) yield part
}

async function readAll(format: DumpFileFormat, ...parts: string[]): Promise<{rows: Row[]; lines: number[]}> {
  const rows: Row[] = []
  const lines: number[] = []
  for await (const chunk of readJsonRows(pieces(...parts), format, new SchemaRowDecoder(ORDERS), SUBJECT)) {
    rows.push(...chunk.rows)
    lines.push(...chunk.lines)
  }
  return {rows, lines}
}

async function failure(format: DumpFileFormat, ...parts: string[]): Promise<MigrationError> {
  const error = await readAll(format, ...parts).then(() => undefined, (caught: unknown) => caught)
  if (!(error instanceof MigrationError)) throw new Error(`expected a MigrationError, got ${String(error)}`)
  return error
}

const ROW_1 = '{"entity_id":1,"increment_id":"100000001","grand_total":"10.5000","quote_id":"18446744073709551615","remote_ip":{"$hex":"c0000201"}}'
const ROW_2 = '{"remote_ip":null,"quote_id":12,"grand_total":20.50,"increment_id":"100000002","entity_id":2}'

test('NDJSON rows come back in column order whatever the key order, with the line each starts on', async (t) => {
  const {rows, lines} = await readAll('ndjson', `${ROW_1}\n\n${ROW_2}\n`)
  t.deepEqual(rows, [
    [1, '100000001', '10.5000', '18446744073709551615', Buffer.from('c0000201', 'hex')],
    [2, '100000002', '20.50', '12', null],
  ])
  t.deepEqual(lines, [1, 3])
})

test('a number keeps its exact text in bigint and decimal columns, however it is written', async (t) => {
  const {rows} = await readAll('ndjson', '{"entity_id":3,"increment_id":"x","grand_total":12345678901234567890.123456789,"quote_id":9007199254740993,"remote_ip":null}\n')
  t.is(rows[0][2], '12345678901234567890.123456789')
  t.is(rows[0][3], '9007199254740993', 'one above 2^53: a JavaScript number would have made it ...992')
})

test('a row split across input chunks anywhere reads the same', async (t) => {
  const text = `${ROW_1}\n${ROW_2}\n`
  const whole = await readAll('ndjson', text)
  for (const at of [1, 17, ROW_1.length, ROW_1.length + 1, text.length - 3]) {
    t.deepEqual(await readAll('ndjson', text.slice(0, at), text.slice(at)), whole, `split at ${at}`)
  }
})

test('a truncated last line fails naming the file and its line', async (t) => {
  const error = await failure('ndjson', `${ROW_1}\n${ROW_2.slice(0, 40)}`)
  t.is(error.code, 'DUMP_INVALID')
  t.regex(error.message, /^\/dumps\/m1\/sales_flat_order\.ndjson:2: table sales_flat_order: .*cut off/)
  t.is(error.context.line, 2)
})

test('a line cut off in the middle of the file fails naming that line, not the next one', async (t) => {
  const error = await failure('ndjson', `${ROW_1}\n${ROW_2.slice(0, 40)}\n${ROW_1}\n`)
  t.regex(error.message, /^\/dumps\/m1\/sales_flat_order\.ndjson:2: table sales_flat_order: the row does not end on its line/)
})

test('text that is not JSON fails naming the line', async (t) => {
  const error = await failure('ndjson', `${ROW_1}\n${ROW_1}\n{"entity_id": 3,, }\n`)
  t.regex(error.message, /^\/dumps\/m1\/sales_flat_order\.ndjson:3: table sales_flat_order: not valid JSON/)
})

test('a column the schema does not have fails naming file, line, table and column', async (t) => {
  const error = await failure('ndjson', `${ROW_1}\n{"entity_id":2,"increment_id":"2","grand_total":"1","quote_id":1,"remote_ip":null,"coupon_code":"X"}\n`)
  t.regex(error.message, /^\/dumps\/m1\/sales_flat_order\.ndjson:2: table sales_flat_order: column coupon_code is not in the schema of sales_flat_order/)
})

test('a row that lacks a column of the schema fails naming the missing column', async (t) => {
  const error = await failure('ndjson', '{"entity_id":2,"increment_id":"2","quote_id":1,"remote_ip":null}\n')
  t.regex(error.message, /:1: table sales_flat_order: the row lacks column grand_total of the schema/)
})

test('a column given twice in one row fails', async (t) => {
  const error = await failure('ndjson', '{"entity_id":2,"entity_id":3,"increment_id":"2","grand_total":"1","quote_id":1,"remote_ip":null}\n')
  t.regex(error.message, /column entity_id appears twice/)
})

test('a value that is neither a scalar nor a byte wrapper fails naming the column', async (t) => {
  const error = await failure('ndjson', '{"entity_id":2,"increment_id":["2"],"grand_total":"1","quote_id":1,"remote_ip":null}\n')
  t.regex(error.message, /:1: table sales_flat_order: column increment_id: an array is not a value/)
})

test('bad hex in a byte wrapper fails naming the column', async (t) => {
  const error = await failure('ndjson', '{"entity_id":2,"increment_id":"2","grand_total":"1","quote_id":1,"remote_ip":{"$hex":"abc"}}\n')
  t.regex(error.message, /column remote_ip: \{"\$hex": …\} must hold an even number of hex digits/)
})

test('base64 bytes read as the same bytes as hex', async (t) => {
  const {rows} = await readAll('ndjson', '{"entity_id":2,"increment_id":"2","grand_total":"1","quote_id":1,"remote_ip":{"$base64":"wAACAQ=="}}\n')
  t.deepEqual(rows[0][4], Buffer.from('c0000201', 'hex'))
})

test('two rows on one NDJSON line fail', async (t) => {
  const error = await failure('ndjson', `${ROW_1}${ROW_2}\n`)
  t.regex(error.message, /:1: .*more than one row/)
})

test('a JSON array file reads its rows with the line each starts on', async (t) => {
  const {rows, lines} = await readAll('json', `[\n  ${ROW_1},\n  ${ROW_2}\n]\n`)
  t.is(rows.length, 2)
  t.deepEqual(lines, [2, 3])
})

test('a JSON array cut off fails naming the file and the last line', async (t) => {
  const error = await failure('json', `[\n  ${ROW_1},\n  ${ROW_2.slice(0, 30)}`)
  t.regex(error.message, /^\/dumps\/m1\/sales_flat_order\.ndjson:3: table sales_flat_order: .*cut off/)
})

test('a JSON file that is not an array of rows fails', async (t) => {
  t.regex((await failure('json', ROW_1)).message, /one array of row objects/)
  t.regex((await failure('json', '')).message, /the file is empty/)
  t.deepEqual((await readAll('json', '[]')).rows, [])
})

test('without a schema the first row fixes the columns and numbers read as JavaScript reads them, beyond 2^53 as bigints', async (t) => {
  const decoder = new FirstRowDecoder()
  const rows: Row[] = []
  for await (const chunk of readJsonRows(pieces('{"a":1,"b":"x","c":1.5}\n{"c":null,"b":"y","a":9007199254740993}\n'), 'ndjson', decoder, {file: 'stdin'})) rows.push(...chunk.rows)
  t.deepEqual(decoder.columns, ['a', 'b', 'c'])
  t.deepEqual(rows, [[1, 'x', 1.5], [9007199254740993n, 'y', null]])
})

test('without a schema a later row with other columns fails naming stdin and its line', async (t) => {
  const read = async () => {
    for await (const chunk of readJsonRows(pieces('{"a":1,"b":"x"}\n{"a":2,"z":"y"}\n'), 'ndjson', new FirstRowDecoder(), {file: 'stdin'})) void chunk
  }
  const error = await t.throwsAsync(read, {instanceOf: MigrationError})
  t.regex(error.message, /^stdin:2: column z is not among the columns of the first row \(a, b\)/)
})

test('in a JSON array a bad column is named at its own line, a missing column at the line its row starts on', async (t) => {
  const unknown = await failure('json', '[\n  {\n    "entity_id": 1,\n    "coupon": "X"\n  }\n]\n')
  t.regex(unknown.message, /:4: table sales_flat_order: column coupon is not in the schema/)
  const missing = await failure('json', '[\n  {\n    "entity_id": 1\n  }\n]\n')
  t.regex(missing.message, /:2: table sales_flat_order: the row lacks columns increment_id, grand_total, quote_id, remote_ip/)
})
