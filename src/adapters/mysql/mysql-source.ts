import type {Row, Value} from '../../pipeline/row.js'
import {type ColumnSchema, columnNamed, pagingKey, type TableSchema} from '../../schema/table-schema.js'
import type {DocumentReader, ReadOptions, RowBatch} from '../document-port.js'
import type {SqlDatabase} from '../sql-port.js'
import {quoteIdentifier, valueLiteral} from './sql-text.js'

/**
 * `(k1 > v1) OR (k1 = v1 AND k2 > v2) OR …`: rows strictly after a composite key, in the form
 * the range optimizer turns into index ranges. Never OFFSET.
 */
export function keysetCondition(table: TableSchema, key: readonly string[], after: readonly Value[]): string {
  const literal = (at: number) => keyLiteral(columnNamed(table, key[at]), after[at])
  const branches: string[] = []
  for (let length = 1; length <= key.length; length++) {
    const parts: string[] = []
    for (let at = 0; at < length - 1; at++) parts.push(`${quoteIdentifier(key[at])} = ${literal(at)}`)
    parts.push(`${quoteIdentifier(key[length - 1])} > ${literal(length - 1)}`)
    branches.push(parts.length === 1 ? parts[0] : `(${parts.join(' AND ')})`)
  }
  if (key.length > 1) {
    // A leading bound lets the optimizer start the range scan at the first key column.
    return `${quoteIdentifier(key[0])} >= ${literal(0)} AND (${branches.join(' OR ')})`
  }
  return branches[0]
}

const GEOMETRY_TYPES = new Set(['geometry', 'point', 'linestring', 'polygon', 'multipoint', 'multilinestring', 'multipolygon', 'geometrycollection', 'geomcollection'])

/** How one column is selected so that writing the value back stores the same bytes. */
export function readExpression(column: ColumnSchema): string {
  const name = quoteIdentifier(column.name)
  // The server prints a FLOAT with 6 significant digits (3.4028234e38 as 3.40282e38), which
  // stores back as a different float. Every float is exactly a double, and a double prints with
  // all the digits it needs, so the value read rounds back to the same float on insert.
  if (column.dataType === 'float') return `${name} + 0e0`
  // The driver would parse geometry into objects; its internal bytes (SRID + WKB) insert back as is.
  if (GEOMETRY_TYPES.has(column.dataType)) return `CAST(${name} AS BINARY)`
  return name
}

const LITERAL_ESCAPES: Record<string, string> = {'0': '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a'}

/** The members of an `enum(…)` or `set(…)` COLUMN_TYPE, unquoted, in declaration order. */
export function enumMembers(columnType: string): string[] {
  const members: string[] = []
  const list = columnType.slice(columnType.indexOf('(') + 1)
  let at = 0
  while (at < list.length) {
    if (list[at] !== '\'') {
      at++
      continue
    }
    let member = ''
    for (at++; at < list.length; at++) {
      const char = list[at]
      if (char === '\\') {
        at++
        member += LITERAL_ESCAPES[list[at]] ?? list[at]
      } else if (char === '\'' && list[at + 1] === '\'') {
        member += '\''
        at++
      } else if (char === '\'') {
        break
      } else {
        member += char
      }
    }
    members.push(member)
    at++
  }
  return members
}

/**
 * The number an enum or set value is stored as: the member's position from 1 (0 for the ''
 * error value), or the bits of a set's members. Undefined when the value is not a member.
 */
export function memberNumber(column: ColumnSchema, value: string): bigint | undefined {
  const members = enumMembers(column.columnType)
  if (column.dataType === 'enum') {
    const position = members.indexOf(value)
    if (position >= 0) return BigInt(position + 1)
    return value === '' ? 0n : undefined
  }
  let bits = 0n
  for (const part of value === '' ? [] : value.split(',')) {
    const position = members.indexOf(part)
    if (position < 0) return undefined
    bits |= 1n << BigInt(position)
  }
  return bits
}

/**
 * A key value as the keyset condition compares it, so that `>` and `=` agree with ORDER BY.
 * Enum and set columns sort by their number but compare with a string by text (for
 * enum('z','a'), 'a' comes after 'z' in the index, yet 'a' > 'z' is false), and a bit column
 * compares with a hex literal as a string of bytes without its leading zeros; both are
 * compared by their number instead.
 */
function keyLiteral(column: ColumnSchema | undefined, value: Value): string {
  if (column && typeof value === 'string' && (column.dataType === 'enum' || column.dataType === 'set')) {
    const number = memberNumber(column, value)
    if (number !== undefined) return number.toString()
  }
  if (column?.dataType === 'bit' && Buffer.isBuffer(value)) return value.length === 0 ? '0' : BigInt(`0x${value.toString('hex')}`).toString()
  return valueLiteral(value, column?.numeric ?? false)
}

export function selectList(table: TableSchema): string {
  return table.columns.map(readExpression).join(', ')
}

/** Reads documents of a MySQL/MariaDB database by keyset pagination, one connection per read. */
export class MysqlSource implements DocumentReader {
  constructor(private readonly database: SqlDatabase, private readonly onUnkeyed?: (table: TableSchema) => void) {}

  async count(table: TableSchema): Promise<number> {
    const [[count]] = await this.database.query(`SELECT COUNT(*) FROM ${quoteIdentifier(table.physicalName)}`)
    return Number(count)
  }

  read(table: TableSchema, options: ReadOptions): AsyncGenerator<RowBatch> {
    const key = pagingKey(table)
    if (!key) {
      this.onUnkeyed?.(table)
      return this.readUnkeyed(table, options)
    }
    return this.readKeyed(table, key, options)
  }

  private async *readKeyed(table: TableSchema, key: readonly string[], options: ReadOptions): AsyncGenerator<RowBatch> {
    const positions = key.map((name) => table.columns.findIndex((column) => column.name === name))
    const base = `SELECT ${selectList(table)} FROM ${quoteIdentifier(table.physicalName)}`
    const order = `ORDER BY ${key.map(quoteIdentifier).join(', ')} LIMIT ${options.pageSize}`
    let after = options.afterKey
    const session = await this.database.session()
    try {
      for (;;) {
        const where = after ? ` WHERE ${keysetCondition(table, key, after)}` : ''
        const rows = await session.query(`${base}${where} ${order}`)
        if (rows.length === 0) return
        const last = rows[rows.length - 1]
        after = positions.map((at) => last[at])
        yield {rows, lastKey: after}
        if (rows.length < options.pageSize) return
      }
    } finally {
      session.release()
    }
  }

  /** A table without a usable key: one ordered stream (its own connection, paused by backpressure). */
  private async *readUnkeyed(table: TableSchema, options: ReadOptions): AsyncGenerator<RowBatch> {
    const orderable = table.columns.filter((column) => !/(blob|text|json|geometry)$/.test(column.dataType))
    const order = orderable.length > 0 ? ` ORDER BY ${orderable.map((column) => quoteIdentifier(column.name)).join(', ')}` : ''
    const session = await this.database.session()
    try {
      let rows: Row[] = []
      for await (const row of session.stream(`SELECT ${selectList(table)} FROM ${quoteIdentifier(table.physicalName)}${order}`)) {
        rows.push(row)
        if (rows.length >= options.pageSize) {
          yield {rows, lastKey: null}
          rows = []
        }
      }
      if (rows.length > 0) yield {rows, lastKey: null}
    } finally {
      session.release()
    }
  }
}
