/**
 * How values of the row protocol are written in a dump's JSON and read back, exactly
 * (docs/dump-format.md). Pure: no I/O.
 *
 * Written: NULL as null, text as a JSON string, numbers as JSON numbers, integers beyond 2^53 as
 * JSON strings of their digits, booleans as 1/0 (as the SQL writer stores them), bytes as
 * {"$hex": "…"}. Read: the JSON number's own text is kept where a JavaScript number could not
 * hold it (bigint and decimal columns, integers beyond 2^53), so nothing is rounded on the way.
 */
import type {Value} from '../../pipeline/row.js'
import type {ColumnSchema} from '../../schema/table-schema.js'

/** The JSON text of one value. Throws for a number that JSON cannot hold (NaN, Infinity). */
export function encodeValue(value: Value): string {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'string': return JSON.stringify(value)
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`cannot write the number ${value} as JSON`)
      return String(value)
    case 'bigint': return value >= -MAX_SAFE && value <= MAX_SAFE ? value.toString() : `"${value.toString()}"`
    case 'boolean': return value ? '1' : '0'
    default:
      if (Buffer.isBuffer(value)) return `{"$hex":"${value.toString('hex')}"}`
      throw new Error(`cannot write a value of type ${typeof value} as JSON`)
  }
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

/** Writes one row as a JSON object line: `{"a":1,"b":"x"}` (names given already quoted). */
export function encodeRow(quotedNames: readonly string[], row: readonly Value[]): string {
  let line = '{'
  for (let at = 0; at < quotedNames.length; at++) {
    if (at > 0) line += ','
    line += quotedNames[at]
    line += ':'
    line += encodeValue(row[at] ?? null)
  }
  return `${line}}`
}

/** What a JSON value was, as the row reader saw it (numbers keep their text). */
export type JsonScalar =
  | {readonly kind: 'string'; readonly text: string}
  | {readonly kind: 'number'; readonly text: string}
  | {readonly kind: 'null'}
  | {readonly kind: 'boolean'; readonly value: boolean}
  | {readonly kind: 'bytes'; readonly value: Buffer}

/** Column types whose values the MySQL reader gives as JavaScript numbers (all fit in 2^53). */
const SMALL_INTEGER_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'year'])
/** Column types whose values the MySQL reader gives as text, so that none is rounded. */
const EXACT_TEXT_TYPES = new Set(['bigint', 'decimal', 'numeric'])
const FLOAT_TYPES = new Set(['float', 'double', 'real'])
const INTEGER_TEXT = /^-?\d+$/

/**
 * A JSON number as a value, without a column to say what it is: a number when JavaScript holds
 * it exactly, a bigint for a longer integer; a fraction is a number (JSON's own reading).
 */
export function numberWithoutColumn(text: string): Value {
  if (INTEGER_TEXT.test(text)) {
    const number = Number(text)
    return Number.isSafeInteger(number) ? number : BigInt(text)
  }
  return Number(text)
}

/**
 * A value read from JSON, as the MySQL reader would have given it for this column: integers up to
 * 32 bits and floats as numbers, bigints and decimals as their exact text, bytes as Buffers (a
 * JSON string in a binary column is its UTF-8 bytes), text as strings. Without a column, see
 * numberWithoutColumn.
 */
export function decodeValue(scalar: JsonScalar, column: ColumnSchema | undefined): Value {
  switch (scalar.kind) {
    case 'null': return null
    case 'boolean': return scalar.value
    case 'bytes': return scalar.value
    case 'string': return column?.binary ? Buffer.from(scalar.text, 'utf8') : scalar.text
    case 'number': {
      if (!column) return numberWithoutColumn(scalar.text)
      const type = column.dataType
      if (SMALL_INTEGER_TYPES.has(type)) return INTEGER_TEXT.test(scalar.text) && Number.isSafeInteger(Number(scalar.text)) ? Number(scalar.text) : scalar.text
      if (FLOAT_TYPES.has(type)) return Number(scalar.text)
      if (EXACT_TEXT_TYPES.has(type)) return scalar.text
      if (type === 'bit') return numberWithoutColumn(scalar.text)
      // A number in a text or binary column is its JSON text, as written.
      return column.binary ? Buffer.from(scalar.text, 'utf8') : scalar.text
    }
  }
}

/** Bytes from a `{"$hex": …}` or `{"$base64": …}` wrapper; throws naming what is wrong. */
export function decodeBytes(wrapper: string, text: string): Buffer {
  if (wrapper === '$hex') {
    if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) throw new Error(`{"$hex": …} must hold an even number of hex digits, got ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)}`)
    return Buffer.from(text, 'hex')
  }
  if (wrapper === '$base64') {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new Error('{"$base64": …} must hold standard base64 (A-Z a-z 0-9 + /, padded with =)')
    return Buffer.from(text, 'base64')
  }
  throw new Error(`an object value must be {"$hex": "…"} or {"$base64": "…"}, got a key ${JSON.stringify(wrapper)}`)
}
