import {MigrationError} from '../../errors.js'
import {columnNamed, type TableSchema} from '../../schema/table-schema.js'
import type {Row} from '../../pipeline/row.js'
import {groupSideRows, type SideRows} from '../../pipeline/side-rows.js'
import type {BatchSink, DocumentWriter, ServerCopy, SinkOptions} from '../document-port.js'
import type {MysqlProgressStore} from './mysql-progress-store.js'
import type {SqlDatabase, SqlSession} from '../sql-port.js'
import {type LoadDataPart, loadDataStatement, numberForm, renderLoadData} from './load-data.js'
import {qualifiedName, quoteIdentifier, valueLiteral} from './sql-text.js'

export interface BatchWriterOptions {
  /** Rows per INSERT statement; 0 lets the statement size alone decide. */
  readonly bulkSize: number
  /** Upper bound on one statement's length in bytes (kept under max_allowed_packet). */
  readonly maxStatementBytes: number
  /** Told the server's warnings for a document's insert (truncations, missing defaults, …). */
  readonly onWarnings?: (document: string, messages: readonly string[]) => void
  /**
   * Write a document's rows with LOAD DATA LOCAL INFILE instead of INSERT text (rows the handlers
   * add to other documents still go as INSERTs). LOCAL makes the server skip a refused row with a
   * warning where INSERT fails: the writer compares the rows loaded with the rows sent, and fails
   * the batch (rolled back whole) when they differ, or, with `strict`, on any warning.
   */
  readonly loadData?: boolean
  /** The sessions run strict sql_mode (the strict_mode option): a warning fails the batch, as INSERT would fail. */
  readonly strict?: boolean
}

/** One statement of a batch: INSERT text, or LOAD DATA with the rows it sends. */
interface WriteOp {
  readonly sql: string
  readonly load?: LoadDataPart
}

/**
 * Warnings LOAD DATA LOCAL gives for a row it skipped where INSERT fails (duplicate key, CHECK
 * constraint, foreign key, no partition): the message a failed batch shows first.
 */
const REFUSALS = new Set([1062, 4025, 1451, 1452, 1526])

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

/** Server error codes after which a connection is gone and the transaction certainly rolled back. */
const CONNECTION_LOST = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ER_SERVER_SHUTDOWN', 'ER_CONNECTION_KILLED', 'CR_SERVER_LOST', 'CR_SERVER_GONE_ERROR', 'ER_CLIENT_INTERACTION_TIMEOUT'])

export function isConnectionLost(error: unknown): boolean {
  const codes = [(error as {code?: string})?.code, (error as {context?: {sqlCode?: string}})?.context?.sqlCode, ((error as {cause?: {code?: string}})?.cause)?.code]
  return codes.some((code) => code !== undefined && CONNECTION_LOST.has(code))
}

export interface RetryPolicy {
  /** Attempts after the first. */
  readonly retries: number
  /** Milliseconds before the first retry; doubled each time. */
  readonly backoffMs: number
}

const DEFAULT_RETRY: RetryPolicy = {retries: 3, backoffMs: 500}

/** Thrown (and rolled back) when an earlier batch of the same sink failed. */
class EarlierBatchFailed extends Error {}

/**
 * Writes to a MySQL/MariaDB database. Each batch is one transaction on a connection of its own
 * (never the reading connection): all of its rows, and its progress record, are committed or none.
 * Batches of one sink insert in parallel but commit in order.
 */
export class MysqlBatchWriter implements DocumentWriter {
  private readonly retry: RetryPolicy

  constructor(private readonly database: SqlDatabase, private readonly options: BatchWriterOptions & {progress?: MysqlProgressStore; retry?: RetryPolicy; log?: (message: string) => void}) {
    this.retry = options.retry ?? DEFAULT_RETRY
  }

  /** Reads max_allowed_packet once and keeps statements well under it. */
  static async statementBudget(database: SqlDatabase, ceiling = 2 * 1024 * 1024): Promise<number> {
    const [[packet]] = await database.query('SELECT @@max_allowed_packet')
    return Math.max(16 * 1024, Math.min(Number(packet) - 4096, ceiling))
  }

  /** Whether the server takes LOAD DATA LOCAL INFILE (its local_infile is ON). */
  static async acceptsLoadData(database: SqlDatabase): Promise<boolean> {
    try {
      const [[enabled]] = await database.query('SELECT @@local_infile')
      return Number(enabled) === 1
    } catch {
      return false
    }
  }

  async count(table: TableSchema): Promise<number> {
    const [[count]] = await this.database.query(`SELECT COUNT(*) FROM ${quoteIdentifier(table.physicalName)}`)
    return Number(count)
  }

  async clear(table: TableSchema): Promise<void> {
    await this.database.execute(`TRUNCATE TABLE ${quoteIdentifier(table.physicalName)}`)
  }

  sink(table: TableSchema, columns: readonly string[], sinkOptions: SinkOptions = {}): BatchSink {
    const numeric = columns.map((name) => columnNamed(table, name)?.numeric ?? false)
    const schemas = columns.map((name) => columnNamed(table, name))
    const loadColumns = {
      forms: schemas.map((column) => numberForm(column?.dataType)),
      // Every text column utf8mb3: text that fits it is sent as utf8mb3 (no conversion on the server).
      ...(schemas.every((column) => column !== undefined && (column.binary || column.charset === undefined || column.charset === 'utf8mb3' || column.charset === 'utf8'))
        ? {utf8mb3Binary: schemas.map((column) => column?.binary ?? false)}
        : {}),
    }
    const loadData = this.options.loadData === true && columns.length > 0
    const render = (rows: readonly Row[]): WriteOp[] => {
      const parts = loadData ? renderLoadData(rows, columns.length, this.options.bulkSize, loadColumns) : undefined
      return parts
        ? parts.map((part) => ({sql: loadDataStatement(table.physicalName, columns, part.charset), load: part}))
        : buildInsertStatements(table.physicalName, columns, numeric, rows, this.options).map((sql) => ({sql}))
    }
    const journal = sinkOptions.progress && this.options.progress
      ? {store: this.options.progress, ...sinkOptions.progress}
      : undefined
    let previous: Promise<void> = Promise.resolve()
    return {
      write: (rows, progress, side) => {
        if (rows.length === 0 && !side && !(journal && progress)) return previous
        const statements = rows.length === 0 ? [] : render(rows)
        if (side) statements.push(...this.sideStatements(table, side, sinkOptions.sideTables).map((sql) => ({sql})))
        const checkpoint = journal && progress
          ? journal.store.checkpointStatement({stage: journal.stage, document: journal.document, lastKey: progress.lastKey, rows: progress.sourceRows})
          : undefined
        const before = previous
        const mine = this.writeWithRetry(table, statements, checkpoint, before)
        // The next batch waits for this one's commit (or its failure) before it commits.
        previous = mine.catch((error: unknown) => {
          throw error instanceof EarlierBatchFailed ? error : new EarlierBatchFailed('an earlier batch failed')
        })
        previous.catch(() => undefined)
        return mine
      },
    }
  }

  /** INSERTs for the rows handlers added to other documents, grouped by document and column set. */
  private sideStatements(table: TableSchema, side: SideRows, tables: ReadonlyMap<string, TableSchema> | undefined): string[] {
    return groupSideRows(table.name, side, tables).flatMap((group) =>
      buildInsertStatements(group.table.physicalName, group.columns, group.columns.map((name) => columnNamed(group.table, name)?.numeric ?? false), group.rows, this.options))
  }

  /** One batch: retried whole, a few times with backoff, when the connection is lost before COMMIT. */
  private async writeWithRetry(table: TableSchema, statements: readonly WriteOp[], checkpoint: string | undefined, before: Promise<void>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      let committing = false
      try {
        await this.inTransaction(async (session) => {
          for (const statement of statements) await this.insert(session, table, statement)
          await before
          if (checkpoint) await session.execute(checkpoint)
          committing = true
        })
        return
      } catch (error) {
        // A lost COMMIT may or may not have landed: that is not retried, and the rerun resumes exactly.
        if (error instanceof EarlierBatchFailed || committing || !isConnectionLost(error) || attempt >= this.retry.retries) throw error
        const wait = this.retry.backoffMs * 2 ** attempt
        this.options.log?.(`${table.name}: connection lost (${(error as Error).message}); writing the batch again in ${wait} ms (retry ${attempt + 1} of ${this.retry.retries})`)
        await new Promise((resolve) => setTimeout(resolve, wait))
      }
    }
  }

  private async insert(session: SqlSession, table: TableSchema, op: WriteOp): Promise<void> {
    const {warnings, affectedRows} = op.load ? await this.load(session, op.sql, op.load) : await session.execute(op.sql)
    if (warnings === 0) return
    const refused = op.load !== undefined && (affectedRows !== op.load.rows || this.options.strict === true)
    if (!refused && !this.options.onWarnings) return
    const shown = await session.query('SHOW WARNINGS LIMIT 20')
    if (refused) throw this.refusal(table, op.load!, affectedRows, shown)
    this.options.onWarnings?.(table.name, shown.map(([level, code, message]) => `${String(level)} ${String(code)}: ${String(message)}`))
  }

  private async load(session: SqlSession, sql: string, part: LoadDataPart) {
    if (!session.load) throw new Error('this database session cannot run LOAD DATA LOCAL INFILE')
    const result = await session.load(sql, part.chunks)
    // Fewer rows and no warning to say why: not expected, but never taken as a success.
    if (result.affectedRows !== part.rows && result.warnings === 0) throw new MigrationError('DB_QUERY', `${this.database.description}: LOAD DATA loaded ${result.affectedRows} of ${part.rows} rows and gave no warning`, {sql})
    return result
  }

  /** A batch LOAD DATA did not load whole (or, in strict mode, loaded with warnings): the error INSERT would have given. */
  private refusal(table: TableSchema, part: LoadDataPart, loaded: number, warnings: readonly (readonly unknown[])[]): MigrationError {
    const first = (loaded === part.rows ? undefined : warnings.find(([, code]) => REFUSALS.has(Number(code)))) ?? warnings[0]
    const [level, code, message] = first ?? ['Warning', 0, 'no warning text']
    const what = loaded === part.rows ? `the server warned (strict_mode is on): ${String(level)} ${String(code)}: ${String(message)}` : `the server refused ${part.rows - loaded} of ${part.rows} rows: ${String(message)} (${String(level)} ${String(code)})`
    return new MigrationError('DB_QUERY', `${this.database.description}: ${what}`, {document: table.name, sqlCode: String(code)})
  }

  async serverCopy(copy: ServerCopy): Promise<number> {
    let rows = 0
    await this.inTransaction(async (session) => {
      const result = await session.execute(`INSERT INTO ${quoteIdentifier(copy.destination.physicalName)} (${copy.columns.map(quoteIdentifier).join(', ')}) SELECT ${copy.projection.map(quoteIdentifier).join(', ')} FROM ${qualifiedName(copy.sourceDatabase, copy.source.physicalName)}`)
      rows = result.affectedRows
      if (copy.progress && this.options.progress) await this.options.progress.finishDocumentIn(session, copy.progress.stage, copy.progress.document, rows)
    })
    return rows
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
