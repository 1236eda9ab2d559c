/**
 * What the bench checks after each method: every destination table has the source's row count,
 * and the columns copied unchanged hold the same values (an order-independent checksum over
 * them, computed by the server). Columns a handler rewrites get a check of their own.
 */
import type {Connection} from 'mysql2/promise'
import {quoteId} from './bench-server.js'

/** One source table as a method should have written it. */
export interface Expectation {
  readonly source: string
  readonly destination: string
  /** [source column, destination column] pairs whose values must be equal; empty = counts only. */
  readonly same: ReadonlyArray<readonly [string, string]>
  /** Extra SQL checks on the destination: each must return 0 rows wrong. */
  readonly wrong?: ReadonlyArray<{readonly what: string; readonly sql: (db: string) => string}>
}

export interface CheckResult {
  readonly ok: boolean
  readonly details: string[]
}

/** Row count and BIT_XOR of a 64-bit MD5 prefix of each row's quoted values: equal data, equal sums. */
async function checksum(conn: Connection, database: string, table: string, columns: readonly string[]): Promise<{rows: number; sum: string}> {
  const row = columns.length > 0 ? `CONCAT_WS(',', ${columns.map((column) => `QUOTE(${quoteId(column)})`).join(', ')})` : "''"
  const [[result]] = await conn.query(`SELECT COUNT(*) AS n, BIT_XOR(CAST(CONV(LEFT(MD5(${row}), 16), 16, 10) AS UNSIGNED)) AS x FROM ${quoteId(database)}.${quoteId(table)}`) as [Array<{n: string | number; x: string | number}>, unknown]
  return {rows: Number(result.n), sum: String(result.x)}
}

const sourceSums = new Map<string, Promise<{rows: number; sum: string}>>()

/** The source side is the same for every method: computed once per column list. */
function sourceChecksum(conn: Connection, database: string, table: string, columns: readonly string[]) {
  const key = `${database}.${table}:${columns.join(',')}`
  let sum = sourceSums.get(key)
  if (!sum) {
    sum = checksum(conn, database, table, columns)
    sourceSums.set(key, sum)
  }
  return sum
}

export async function verifyDestination(conn: Connection, sourceDb: string, destinationDb: string, expectations: readonly Expectation[]): Promise<CheckResult> {
  const details: string[] = []
  let ok = true
  for (const expected of expectations) {
    const source = await sourceChecksum(conn, sourceDb, expected.source, expected.same.map(([column]) => column))
    const destination = await checksum(conn, destinationDb, expected.destination, expected.same.map(([, column]) => column))
    if (source.rows !== destination.rows) {
      ok = false
      details.push(`${expected.destination}: ${destination.rows} rows, the source has ${source.rows}`)
      continue
    }
    if (expected.same.length > 0 && source.sum !== destination.sum) {
      ok = false
      details.push(`${expected.destination}: the checksum of ${expected.same.length} copied columns differs from the source's`)
      continue
    }
    for (const check of expected.wrong ?? []) {
      const [[row]] = await conn.query(check.sql(destinationDb)) as [Array<{n: string | number}>, unknown]
      if (Number(row.n) !== 0) {
        ok = false
        details.push(`${expected.destination}: ${row.n} rows ${check.what}`)
      }
    }
    details.push(`${expected.destination}: ${destination.rows} rows${expected.same.length > 0 ? `, ${expected.same.length} columns checksummed` : ''}${expected.wrong?.length ? `, ${expected.wrong.length} value checks` : ''}`)
  }
  return {ok, details}
}

/** The columns of a table, in order. */
export async function columnsOf(conn: Connection, database: string, table: string): Promise<string[]> {
  const [rows] = await conn.query('SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION', [database, table]) as [Array<{c: string}>, unknown]
  return rows.map((row) => row.c)
}
