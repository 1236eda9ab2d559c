import test from 'ava'
import {decodeValue, encodeRow, encodeValue, type JsonScalar} from '../../src/adapters/dump/dump-values.js'
import type {Value} from '../../src/pipeline/row.js'
import {type ColumnSchema, isBinaryType, isNumericType} from '../../src/schema/table-schema.js'

function column(dataType: string): ColumnSchema {
  return {name: 'c', dataType, columnType: dataType, nullable: true, defaultValue: null, autoIncrement: false, binary: isBinaryType(dataType), numeric: isNumericType(dataType)}
}

/** What the reader makes of encodeValue's text: the JSON token it is. */
function scalarOf(json: string): JsonScalar {
  const parsed = JSON.parse(json) as unknown
  if (parsed === null) return {kind: 'null'}
  if (typeof parsed === 'string') return {kind: 'string', text: parsed}
  if (typeof parsed === 'number') return {kind: 'number', text: json}
  if (typeof parsed === 'boolean') return {kind: 'boolean', value: parsed}
  return {kind: 'bytes', value: Buffer.from((parsed as {$hex: string}).$hex, 'hex')}
}

// Values as the MySQL reader gives them for each column type, and that type.
const ROUND_TRIPS: [string, Value][] = [
  ['int', -2147483648],
  ['int', 4294967295],
  ['smallint', 0],
  ['year', 2024],
  ['bigint', '18446744073709551615'],
  ['bigint', '-9223372036854775808'],
  ['decimal', '-99999999999999999999.9999999999'],
  ['decimal', '0.0000'],
  ['double', 1.7976931348623157e308],
  ['double', 5e-324],
  ['float', 3.4028234663852886e38],
  ['double', 0.30000000000000004],
  ['varchar', 'it\'s "quoted" \\ back\nslash\u0000nul'],
  ['varchar', '😀𝄞 é 中文'],
  ['varchar', ''],
  ['datetime', '0000-00-00 00:00:00'],
  ['time', '-838:59:59.000000'],
  ['varbinary', Buffer.from([0x00, 0xff, 0x80, 0xc3, 0x28])],
  ['blob', Buffer.alloc(0)],
  ['bit', Buffer.from('8000000000000001', 'hex')],
  ['geometry', Buffer.from('000000000101000000000000000000f03f0000000000000040', 'hex')],
  ['varchar', null],
  ['varbinary', null],
]

test('every value the MySQL reader gives comes back from its JSON exactly, with its type', (t) => {
  for (const [type, value] of ROUND_TRIPS) {
    const json = encodeValue(value)
    t.deepEqual(decodeValue(scalarOf(json), column(type)), value, `${type} ${json}`)
  }
})

test('NULL and the empty string stay apart', (t) => {
  t.is(encodeValue(null), 'null')
  t.is(encodeValue(''), '""')
})

test('handler values: booleans become 1/0 as the SQL writer stores them; bigints beyond 2^53 become strings of their digits', (t) => {
  t.is(encodeValue(true), '1')
  t.is(encodeValue(false), '0')
  t.is(encodeValue(42n), '42')
  t.is(encodeValue(2n ** 64n - 1n), '"18446744073709551615"')
})

test('a number that JSON cannot hold is refused', (t) => {
  t.throws(() => encodeValue(Number.NaN), {message: /NaN/})
  t.throws(() => encodeValue(Number.POSITIVE_INFINITY), {message: /Infinity/})
})

test('a JSON string in a binary column is its UTF-8 bytes; a number in a text column is its JSON text', (t) => {
  t.deepEqual(decodeValue({kind: 'string', text: 'é'}, column('varbinary')), Buffer.from([0xc3, 0xa9]))
  t.is(decodeValue({kind: 'number', text: '1.50'}, column('varchar')), '1.50')
})

test('an integer column keeps a fraction as text rather than rounding it', (t) => {
  t.is(decodeValue({kind: 'number', text: '1.5'}, column('int')), '1.5')
})

test('a row is one JSON object with the columns in order', (t) => {
  const line = encodeRow(['"id"', '"name"', '"ip"'], [7, 'x"y', Buffer.from([1, 2])])
  t.is(line, '{"id":7,"name":"x\\"y","ip":{"$hex":"0102"}}')
  t.deepEqual(JSON.parse(line), {id: 7, name: 'x"y', ip: {$hex: '0102'}})
})
