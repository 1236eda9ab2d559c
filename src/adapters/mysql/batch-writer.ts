import {columnNamed, type TableSchema} from '../../schema/table-schema.js'
import type {Row} from '../../pipeline/row.js'
import type {BatchSink, DocumentWriter} from '../document-port.js'
import type {SqlDatabase, SqlSession} from '../sql-port.js'
import {quoteIdentifier, valueLiteral} from './sql-text.js'

export interface BatchWriterOptions {
  /** Rows per INSERT statement; 0 lets the statement size alone decide. */
  readonly bulkSize: number
  /** Upper bound on one statement's length in bytes (kept under max_allowed_packet). */
  readonly maxStatementBytes: number
  /** Told the server's warnings for a document's insert (truncations, missing defaults, …). */
  readonly onWarnings?: (document: string, messages: readonly string[]) => void
}

/** Splits rows into multi-row INSERT statements that respect both bounds. Pure. */
export function buildInsertStatements(table: string, columns: readonly string[], numeric: readonly boolean[], rows: readonly Row[], options: BatchWriterOptions): string[] {
  const head = `INSERT INTO ${quoteIdentifier(table)} (${columns.map(quoteIdentifier).join(', ')}) VALUES `
  const statements: string[] = []
  let tuples: string[] = []
  const headBytes = Buffer.byteLength(head)
  let bytes = headBytes
  const flush = () => {
    if (tuples.length > 0) statements.push(head + tuples.join(','))
    tuples = []
    bytes = headBytes
  }
  for (const row of rows) {
    let tuple = '('
    for (let at = 0; at < columns.length; at++) {
      if (at > 0) tuple += ','
      tuple += valueLiteral(row[at] ?? null, numeric[at])
    }
    tuple += ')'
    const size = Buffer.byteLength(tuple)
    if (tuples.length > 0 && (bytes + size + 1 > options.maxStatementBytes || (options.bulkSize > 0 && tuples.length >= options.bulkSize))) flush()
    tuples.push(tuple)
    bytes += size + 1
  }
  flush()
  return statements
}

/**
 * Writes to a MySQL/MariaDB database. Each batch is one transaction on a connection of its own
 * (never the reading connection): all of its rows are committed, or none.
 */
export class MysqlBatchWriter implements DocumentWriter {
  constructor(private readonly database: SqlDatabase, private readonly options: BatchWriterOptions) {}

  /** Reads max_allowed_packet once and keeps statements well under it. */
  static async statementBudget(database: SqlDatabase, ceiling = 4 * 1024 * 1024): Promise<number> {
    const [[packet]] = await database.query('SELECT @@max_allowed_packet')
    return Math.max(16 * 1024, Math.min(Number(packet) - 4096, ceiling))
  }

  async count(table: TableSchema): Promise<number> {
    const [[count]] = await this.database.query(`SELECT COUNT(*) FROM ${quoteIdentifier(table.physicalName)}`)
    return Number(count)
  }

  async clear(table: TableSchema): Promise<void> {
    await this.database.execute(`TRUNCATE TABLE ${quoteIdentifier(table.physicalName)}`)
  }

  sink(table: TableSchema, columns: readonly string[]): BatchSink {
    const numeric = columns.map((name) => columnNamed(table, name)?.numeric ?? false)
    return {
      write: async (rows) => {
        if (rows.length === 0) return
        const statements = buildInsertStatements(table.physicalName, columns, numeric, rows, this.options)
        await this.inTransaction(async (session) => {
          for (const statement of statements) {
            const {warnings} = await session.execute(statement)
            if (warnings > 0 && this.options.onWarnings) {
              const shown = await session.query('SHOW WARNINGS LIMIT 20')
              this.options.onWarnings(table.name, shown.map(([level, code, message]) => `${String(level)} ${String(code)}: ${String(message)}`))
            }
          }
        })
      },
    }
  }

  /** Runs work in one transaction; rolls back on any failure. */
  async inTransaction(work: (session: SqlSession) => Promise<void>): Promise<void> {
    const session = await this.database.session()
    try {
      await session.execute('START TRANSACTION')
      try {
        await work(session)
        await session.execute('COMMIT')
      } catch (error) {
        await session.execute('ROLLBACK').catch(() => undefined)
        throw error
      }
    } finally {
      session.release()
    }
  }
}
