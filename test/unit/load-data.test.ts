import test from 'ava'
import {type LoadDataPart, loadDataBytes, loadDataStatement, type NumberForm, numberForm, renderLoadData as renderOrUndefined} from '../../src/adapters/mysql/load-data.js'
import type {Row, Value} from '../../src/pipeline/row.js'

const BYTE_UNESCAPE: Record<number, number> = {0x30: 0x00, 0x74: 0x09, 0x6e: 0x0a, 0x5c: 0x5c, 0x62: 0x08, 0x72: 0x0d, 0x5a: 0x1a}

/**
 * Reads LOAD DATA's default format the way the server does (fields end at a tab, lines at a
 * newline, backslash escapes, `\N` alone is NULL), giving each field's bytes.
 */
function readLoadData(bytes: Buffer): Array<Array<Buffer | null>> {
  const lines: Array<Array<Buffer | null>> = []
  let fields: Array<Buffer | null> = []
  let field: number[] = []
  let nullField = false
  for (let at = 0; at < bytes.length; at++) {
    const byte = bytes[at]!
    if (byte === 0x5c) {
      const next = bytes[++at]!
      if (next === 0x4e && field.length === 0 && (bytes[at + 1] === 0x09 || bytes[at + 1] === 0x0a)) {
        nullField = true
        continue
      }
      field.push(BYTE_UNESCAPE[next] ?? next)
    } else if (byte === 0x09 || byte === 0x0a) {
      fields.push(nullField ? null : Buffer.from(field))
      field = []
      nullField = false
      if (byte === 0x0a) {
        lines.push(fields)
        fields = []
      }
    } else {
      field.push(byte)
    }
  }
  if (field.length > 0 || fields.length > 0) throw new Error('the data does not end with a newline')
  return lines
}

function renderLoadData(rows: readonly Row[], columns: number, bulkSize = 0, forms: readonly NumberForm[] = []): LoadDataPart[] {
  const parts = renderOrUndefined(rows, columns, bulkSize, {forms})
  if (!parts) throw new Error('the rows were refused')
  return parts
}

function expectedBytes(value: Value): Buffer | null {
  if (value === null) return null
  if (Buffer.isBuffer(value)) return value
  if (typeof value === 'boolean') return Buffer.from(value ? '1' : '0')
  return Buffer.from(String(value), 'utf8')
}

test('every value reads back as its exact bytes, NULL apart from the empty string', (t) => {
  const rows: Row[] = [
    [1, 'plain', null, ''],
    [2n ** 63n - 1n, 'tab\there\nnew line\\ back\0nul', 'NULL', '\\N'],
    ['12345678901234567890.1234', 'Grüße 😀 ünïcödé', Buffer.from([0, 9, 10, 92, 255, 78]), Buffer.alloc(0)],
    [-0.5, true, false, 'trailing backslash\\'],
  ]
  const [part] = renderLoadData(rows, 4)
  t.is(part!.rows, 4)
  const read = readLoadData(Buffer.concat(part!.chunks))
  t.deepEqual(read, rows.map((row) => row.map(expectedBytes)))
})

test('text mixing multi-byte characters with the escaped bytes reads back exactly, however long', (t) => {
  const mixed = 'Grüße\n😀\t\\ end\0'
  const rows: Row[] = [[mixed, mixed.repeat(200_000)], ['\n'.repeat(5), '\\']]
  const [part] = renderLoadData(rows, 2)
  t.deepEqual(readLoadData(Buffer.concat(part!.chunks)), rows.map((row) => row.map(expectedBytes)))
})

test('a field holding the text \\N is not NULL, and an empty field is not NULL', (t) => {
  const [part] = renderLoadData([['\\N', '', null]], 3)
  t.is(Buffer.concat(part!.chunks).toString('latin1'), '\\\\N\t\t\\N\n')
})

test('bulk size splits the rows into parts of that many rows', (t) => {
  const rows: Row[] = Array.from({length: 7}, (_, i) => [i, `row ${i}`])
  const parts = renderLoadData(rows, 2, 3)
  t.deepEqual(parts.map((part) => part.rows), [3, 3, 1])
  t.deepEqual(parts.flatMap((part) => readLoadData(Buffer.concat(part.chunks))), rows.map((row) => row.map(expectedBytes)))
})

test('no chunk grows past the packet bound, however large a value', (t) => {
  const big = 'ä'.repeat(3 * 1024 * 1024)
  const blob = Buffer.alloc(9 * 1024 * 1024, 0x41)
  const [part] = renderLoadData([[big, blob], ['x', null]], 2)
  t.true(part!.chunks.every((chunk) => chunk.length <= 4 * 1024 * 1024))
  const read = readLoadData(Buffer.concat(part!.chunks))
  t.is(read.length, 2)
  t.true(read[0]![0]!.equals(Buffer.from(big, 'utf8')))
  t.true(read[0]![1]!.equals(blob))
})

test('a Buffer with nothing to escape is passed on as is; text without specials is unchanged', (t) => {
  const bytes = Buffer.from('abc')
  t.is(loadDataBytes(bytes), bytes)
  t.is(Buffer.concat(renderLoadData([['a/b"c\'']], 1)[0]!.chunks).toString('utf8'), 'a/b"c\'\n')
})

test('the number 0 for a YEAR column is written as the year 0000, not as 0 (which YEAR reads as 2000)', (t) => {
  const [part] = renderLoadData([[0, 0, 1999, '0']], 4, 0, [numberForm('year'), undefined, numberForm('year'), numberForm('year')])
  t.is(Buffer.concat(part!.chunks).toString('latin1'), '0000\t0\t1999\t0\n')
})

test('a number for a BIT, ENUM or SET column cannot be LOAD DATA text: the rows are refused, so they go as INSERTs', (t) => {
  for (const type of ['bit', 'enum', 'set']) {
    t.is(renderOrUndefined([['a'], [2]], 1, 0, {forms: [numberForm(type)]}), undefined, type)
    t.truthy(renderOrUndefined([['a'], [Buffer.from([2])], [null]], 1, 0, {forms: [numberForm(type)]}), type)
  }
})

test('parts are read as utf8mb4 unless the columns are utf8mb3, and then as utf8mb3 while their text fits it', (t) => {
  const rows: Row[] = [['Grüße €', Buffer.from([0xff])], ['plain', null], ['emoji 😀', null], ['back to BMP ä', null]]
  t.deepEqual(renderLoadData(rows, 2, 2).map((part) => part.charset), ['utf8mb4', 'utf8mb4'])
  const narrow = renderOrUndefined(rows, 2, 2, {utf8mb3Binary: [false, true]})!
  t.deepEqual(narrow.map((part) => part.charset), ['utf8mb3', 'utf8mb4'])
  t.deepEqual(narrow.flatMap((part) => readLoadData(Buffer.concat(part.chunks))), rows.map((row) => row.map(expectedBytes)))
})

test('bytes bound for a text column keep a part utf8mb4 (the server reads them in the file\'s charset, as INSERT reads them)', (t) => {
  const parts = renderOrUndefined([['a', Buffer.from('bytes')]], 2, 0, {utf8mb3Binary: [false, false]})!
  t.deepEqual(parts.map((part) => part.charset), ['utf8mb4'])
})

test('an escaped field with an astral character is still seen: the part stays utf8mb4', (t) => {
  const parts = renderOrUndefined([['tab\there 😀']], 1, 0, {utf8mb3Binary: [false]})!
  t.deepEqual(parts.map((part) => part.charset), ['utf8mb4'])
})

test('numbers that are not finite are refused, not written', (t) => {
  t.throws(() => renderLoadData([[Number.NaN]], 1), {message: /NaN/})
})

test('the statement quotes the table and column names and states the format', (t) => {
  const sql = loadDataStatement('we`ird', ['a`b', 'c'])
  t.true(sql.includes('INTO TABLE `we``ird`'))
  t.true(sql.endsWith('(`a``b`, `c`)'))
  t.true(sql.includes('CHARACTER SET utf8mb4'))
  t.true(loadDataStatement('t', ['a'], 'utf8mb3').includes('CHARACTER SET utf8mb3'))
  t.true(sql.includes('FIELDS TERMINATED BY \'\\t\' ENCLOSED BY \'\' ESCAPED BY \'\\\\\' LINES TERMINATED BY \'\\n\''))
})
