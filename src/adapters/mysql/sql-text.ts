/**
 * SQL text building for MariaDB/MySQL: identifier quoting and value literals. Every identifier
 * that comes from a map, a config or a schema goes through quoteIdentifier, so a name holding a
 * backtick cannot break out of its quotes.
 */
import type {Value} from '../../pipeline/row.js'

export function quoteIdentifier(name: string): string {
  if (name.includes('\0')) throw new Error(`identifier ${JSON.stringify(name)} contains a NUL byte`)
  return '`' + name.replaceAll('`', '``') + '`'
}

/** `db`.`table` */
export function qualifiedName(database: string | undefined, table: string): string {
  return database ? `${quoteIdentifier(database)}.${quoteIdentifier(table)}` : quoteIdentifier(table)
}

const ESCAPES: Record<string, string> = {'\0': '\\0', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\x1a': '\\Z', '"': '\\"', '\'': '\\\'', '\\': '\\\\'}
const NEEDS_ESCAPE = /[\0\b\t\n\r\x1a"'\\]/g

/** A string literal; the session must not use NO_BACKSLASH_ESCAPES (our sessions set sql_mode). */
export function stringLiteral(text: string): string {
  return '\'' + text.replace(NEEDS_ESCAPE, (char) => ESCAPES[char]) + '\''
}

const PLAIN_NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/

/**
 * The literal for one value. Buffers become hex literals (exact bytes), strings are quoted,
 * numbers and bigints are written bare, null is NULL. A numeric column's text value is written
 * bare when it is a plain number, so a bigint key is never compared as a double.
 */
export function valueLiteral(value: Value, numericColumn = false): string {
  if (value === null) return 'NULL'
  if (typeof value === 'string') return numericColumn && PLAIN_NUMBER.test(value) ? value : stringLiteral(value)
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write the number ${value}`)
    return String(value)
  }
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'boolean') return value ? '1' : '0'
  if (Buffer.isBuffer(value)) return value.length === 0 ? '\'\'' : `X'${value.toString('hex')}'`
  throw new Error(`cannot write a value of type ${typeof value}`)
}
