/**
 * The destination as an SQL file, loadable with `mariadb <database> < file.sql`. Laid out like
 * mysqldump: session settings first (charset, time zone, foreign key checks, sql_mode), then table
 * by table a comment, the statement that empties the table (TRUNCATE, or DROP and CREATE with
 * create_tables) and its rows in multi-row INSERTs; the settings are restored at the end. The file
 * is written under a temporary name and renamed into place only when the run completes.
 */
import {buildInsertStatements} from '../mysql/batch-writer.js'
import {sessionSqlMode} from '../mysql/mysql-database.js'
import {quoteIdentifier} from '../mysql/sql-text.js'
import {MigrationError} from '../../errors.js'
import type {Row} from '../../pipeline/row.js'
import {columnNamed, type TableSchema} from '../../schema/table-schema.js'
import type {BatchSink, FileOutputWriter, SinkOptions} from '../document-port.js'
import {AtomicFile} from '../dump/atomic-output.js'
import {groupSideRows} from '../../pipeline/side-rows.js'
import {SerialQueue} from '../dump/serial-queue.js'

export interface SqlFileWriterOptions {
  /** Rows per INSERT statement; 0 lets the statement size alone decide. */
  readonly bulkSize: number
  /** Upper bound on one statement's length in bytes (default 1 MiB, well under max_allowed_packet). */
  readonly maxStatementBytes?: number
  /** sql_mode with strict mode (the strict_mode option), as the database writer's sessions. */
  readonly strict?: boolean
  /** Drop and create each table written, from `createStatements`, instead of emptying it. */
  readonly createTables?: boolean
  /** CREATE TABLE statements by table name (prefix included), from the schema file. */
  readonly createStatements?: ReadonlyMap<string, string>
  /** Comment lines for the top of the file (what wrote it, from what). */
  readonly comments?: readonly string[]
}

const DEFAULT_STATEMENT_BYTES = 1024 * 1024

/** The session settings the file starts with, each saved first so the end can restore it. */
export function fileHeader(options: Pick<SqlFileWriterOptions, 'strict' | 'comments'>): string {
  const comments = (options.comments ?? []).map((line) => `-- ${line.replace(/[\r\n]+/g, ' ')}\n`).join('')
  return `-- m2-migrate SQL file\n${comments}\n`
    + 'SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT, @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS, @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION;\n'
    + 'SET NAMES utf8mb4;\n'
    + 'SET @OLD_TIME_ZONE=@@TIME_ZONE, TIME_ZONE=\'+00:00\';\n'
    + 'SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0;\n'
    // Explicit 0 ids are kept and strict mode is off unless asked for, as in the database writer's sessions.
    + `SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='${sessionSqlMode(options.strict ?? false)}';\n`
    + 'SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0;\n'
}

export const FILE_FOOTER = '\n'
  + 'SET SQL_MODE=@OLD_SQL_MODE;\n'
  + 'SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS;\n'
  + 'SET TIME_ZONE=@OLD_TIME_ZONE;\n'
  + 'SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT, CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS, COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION;\n'
  + 'SET SQL_NOTES=@OLD_SQL_NOTES;\n'
  + '-- m2-migrate: complete\n'

export class SqlFileWriter implements FileOutputWriter {
  private readonly queue = new SerialQueue()
  /** Rows written per table (prefix included), for the volume check. */
  private readonly counts = new Map<string, number>()
  /** Tables to empty before their first row is written (or at the end), by table name. */
  private readonly toEmpty = new Map<string, TableSchema>()
  /** Tables whose section has begun. */
  private readonly begun = new Set<string>()
  private current: string | undefined
  private readonly budget: number

  private constructor(private readonly output: AtomicFile, private readonly options: SqlFileWriterOptions) {
    this.budget = options.maxStatementBytes ?? DEFAULT_STATEMENT_BYTES
  }

  static async open(path: string, options: SqlFileWriterOptions): Promise<SqlFileWriter> {
    const output = await AtomicFile.create(path)
    const writer = new SqlFileWriter(output, options)
    await writer.queue.run(() => output.write(fileHeader(options)))
    return writer
  }

  /** The final path of the file. */
  get path(): string {
    return this.output.path
  }

  async count(table: TableSchema): Promise<number> {
    await this.queue.idle()
    return this.counts.get(table.physicalName) ?? 0
  }

  /** Empties a table: its statement is written just before its first row, or at the end. */
  clear(table: TableSchema): Promise<void> {
    if (this.options.createTables && !this.options.createStatements?.get(table.physicalName)) {
      return Promise.reject(new MigrationError('DUMP_INVALID', `${table.physicalName}: the schema file has no "create" statement for it, which create_tables="1" needs`, {document: table.name}, 'Write the schema file with `m2-migrate export … --schema-only` (it records each table\'s CREATE TABLE), or set create_tables="0" to empty the existing tables instead.'))
    }
    return this.queue.run(async () => {
      this.toEmpty.set(table.physicalName, table)
      this.begun.delete(table.physicalName)
      if (this.current === table.physicalName) this.current = undefined
      this.counts.set(table.physicalName, 0)
    })
  }

  sink(table: TableSchema, columns: readonly string[], options: SinkOptions = {}): BatchSink {
    const numeric = columns.map((name) => columnNamed(table, name)?.numeric ?? false)
    return {
      write: (rows, _progress, side) => this.queue.run(async () => {
        let text = ''
        if (rows.length > 0) text += this.inserts(table, columns, numeric, rows)
        // Rows handlers added to other documents follow the batch that caused them.
        for (const group of side ? groupSideRows(table.name, side, options.sideTables) : []) {
          text += this.inserts(group.table, group.columns, group.columns.map((name) => columnNamed(group.table, name)?.numeric ?? false), group.rows)
        }
        if (text !== '') await this.output.write(text)
      }),
    }
  }

  /** The section heading when the file turns to another table, then the INSERTs. */
  private inserts(table: TableSchema, columns: readonly string[], numeric: readonly boolean[], rows: readonly Row[]): string {
    const text = this.turnTo(table)
    this.counts.set(table.physicalName, (this.counts.get(table.physicalName) ?? 0) + rows.length)
    const statements = buildInsertStatements(table.physicalName, columns, numeric, rows, {bulkSize: this.options.bulkSize, maxStatementBytes: this.budget})
    return `${text}${statements.join(';\n')};\n`
  }

  private turnTo(table: TableSchema): string {
    if (this.current === table.physicalName) return ''
    this.current = table.physicalName
    if (this.begun.has(table.physicalName)) return `\n-- Table ${quoteIdentifier(table.physicalName)} (continued)\n`
    this.begun.add(table.physicalName)
    const empty = this.toEmpty.get(table.physicalName)
    this.toEmpty.delete(table.physicalName)
    return `\n--\n-- Table ${quoteIdentifier(table.physicalName)}\n--\n${empty ? this.emptyStatements(empty) : ''}`
  }

  private emptyStatements(table: TableSchema): string {
    const name = quoteIdentifier(table.physicalName)
    if (!this.options.createTables) return `TRUNCATE TABLE ${name};\n`
    return `DROP TABLE IF EXISTS ${name};\n${this.options.createStatements!.get(table.physicalName)!.trim().replace(/;$/, '')};\n`
  }

  /** Empties the tables no row was written to, restores the session, and renames the file into place. */
  async complete(): Promise<void> {
    await this.queue.run(async () => {
      let text = ''
      for (const table of [...this.toEmpty.values()]) text += this.turnTo(table)
      await this.output.write(`${text}${FILE_FOOTER}`)
    })
    await this.output.commit()
  }

  async discard(): Promise<void> {
    await this.queue.idle().catch(() => undefined)
    await this.output.discard()
  }
}
