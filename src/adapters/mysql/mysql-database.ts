import {Readable} from 'node:stream'
import mysql from 'mysql2'
import type {FieldPacket, Pool, PoolConnection} from 'mysql2'
import {type DatabaseResourceConfig, describeDatabase} from '../../config/migration-config.js'
import {describeCause, MigrationError} from '../../errors.js'
import type {Row} from '../../pipeline/row.js'
import type {ExecuteResult, SqlDatabase, SqlSession} from '../sql-port.js'

/*
 * Values arrive exactly as the server sent them: text as strings; decimals, bigints, dates, times
 * and zero dates as strings (nothing rounded or reinterpreted); 8- to 32-bit integers and doubles
 * as numbers (their text round-trips exactly); binary strings, blobs and bit as Buffers; JSON as
 * its text. Floats and geometry need the query's help (see readExpression in mysql-source.ts).
 */

/**
 * Charset names the DMT's own configs use in init statements (`SET NAMES utf8`). utf8mb4 is a
 * superset with the same bytes for every 3-byte character, and keeps 4-byte ones intact.
 */
function upgradeCharset(statement: string): string {
  return statement.replace(/^\s*SET\s+NAMES\s+['"`]?utf8(mb3)?['"`]?\s*$/i, 'SET NAMES utf8mb4')
}

/**
 * The session sql_mode. Like the DMT, explicit 0 ids are kept (NO_AUTO_VALUE_ON_ZERO) and strict
 * mode is off by default, so zero dates and columns that Magento 2 added without a default load
 * as the DMT loads them; the writer reports every warning the server raises. With the
 * `strict_mode` option on, such a row fails its batch instead.
 */
export function sessionSqlMode(strict: boolean): string {
  return strict ? 'NO_AUTO_VALUE_ON_ZERO,STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION' : 'NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION'
}

export interface MysqlDatabaseOptions {
  /** Strict sql_mode on this pool's sessions (default off, as in the DMT). */
  readonly strict?: boolean
  /** Connections kept at most. */
  readonly connectionLimit?: number
  /** Statements run on every new connection after ours (the config's init statements). */
  readonly sessionStatements?: readonly string[]
}

/** Every connection: our charset, then the operator's init statements, then the settings below. */
const CHARSET_STATEMENT = 'SET NAMES utf8mb4'
const BASE_SESSION = [
  "SET SESSION time_zone = '+00:00'",
  'SET SESSION foreign_key_checks = 0',
  // The usual load-speed tip (and what mysqldump emits) would make InnoDB take a table lock on the
  // first insert into an empty table; two batches of one document committing in order then wait
  // for each other until the lock wait timeout.
  'SET SESSION unique_checks = 1',
]

interface SessionStatementError {
  readonly statement: string
  readonly cause: unknown
}

/**
 * Runs the session statements on a new connection. They are queued ahead of any query, so the
 * connection can be handed out at once; the promise tells whether they all succeeded, so that a
 * failing statement (a typo in the config's init statements) stops the run instead of leaving
 * sessions without the charset, time zone or sql_mode the data depends on.
 */
function prepareSession(connection: PoolConnection, statements: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    let failed = false
    statements.forEach((statement, at) => {
      connection.query(statement, (error) => {
        if (failed) return
        if (error) {
          failed = true
          reject({statement, cause: error} satisfies SessionStatementError)
        } else if (at === statements.length - 1) {
          resolve()
        }
      })
    })
    if (statements.length === 0) resolve()
  })
}

/** What mysql2's result header of a statement without rows says, in the port's terms. */
function executeResult(result: unknown): ExecuteResult {
  const header = result as {affectedRows?: number; warningStatus?: number}
  return {affectedRows: header.affectedRows ?? 0, warnings: header.warningStatus ?? 0}
}

class MysqlSession implements SqlSession {
  /** Set when a stream was left before its end: the connection is then closed, not reused. */
  private broken = false

  constructor(private readonly connection: PoolConnection, private readonly owner: MysqlDatabase) {}

  query(sql: string): Promise<Row[]> {
    return this.owner.run(this.connection, sql) as Promise<Row[]>
  }

  async execute(sql: string): Promise<ExecuteResult> {
    return executeResult(await this.owner.run(this.connection, sql))
  }

  async load(sql: string, chunks: readonly Buffer[]): Promise<ExecuteResult> {
    return executeResult(await this.owner.run(this.connection, sql, chunks))
  }

  async *stream(sql: string): AsyncIterable<Row> {
    this.owner.onStatement?.(sql)
    const query = this.connection.query({sql, rowsAsArray: true})
    const rows = query.stream({highWaterMark: 1000})
    // mysql2 tells a query without a callback nothing when its connection is lost (the error
    // goes to the connection only, sidorares/node-mysql2#3082), so the stream would wait
    // forever: end it with that error.
    const lost = (error: Error) => rows.destroy(error)
    this.connection.once('error', lost)
    let finished = false
    try {
      for await (const row of rows) yield row as Row
      finished = true
    } catch (error) {
      throw this.owner.queryError(error, sql)
    } finally {
      this.connection.removeListener('error', lost)
      if (!finished) {
        // Left early (a break or an error): the server may still be sending rows, so this
        // connection cannot serve another statement.
        this.broken = true
        if (!rows.destroyed) rows.destroy()
      }
    }
  }

  release(): void {
    if (this.broken) this.connection.destroy()
    else this.connection.release()
  }
}

export class MysqlDatabase implements SqlDatabase {
  readonly name: string
  readonly description: string
  onStatement?: (sql: string) => void
  private readonly pool: Pool
  /** New connections whose session statements have not been checked yet. */
  private readonly preparing = new WeakMap<PoolConnection, Promise<void>>()

  constructor(private readonly resource: DatabaseResourceConfig, options: MysqlDatabaseOptions = {}) {
    const {database} = resource
    this.name = database.name
    this.description = describeDatabase(database)
    const ssl = database.sslCa || database.sslCert || database.sslKey ? {ca: database.sslCa, cert: database.sslCert, key: database.sslKey} : undefined
    this.pool = mysql.createPool({
      host: database.host,
      port: database.port,
      user: database.user,
      password: database.password,
      database: database.name,
      charset: 'UTF8MB4_GENERAL_CI',
      connectionLimit: options.connectionLimit ?? 8,
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: true,
      jsonStrings: true,
      // Statements reach the driver fully rendered and never carry `?` values: skip its scan for placeholders.
      queryFormat: (sql: string) => sql,
      decimalNumbers: false,
      multipleStatements: false,
      ssl,
    })
    // The operator's statements run after SET NAMES (so they may choose another charset) and
    // before the settings exactness depends on (time zone, sql_mode, foreign key checks).
    const operator = (options.sessionStatements ?? resource.initStatements).map(upgradeCharset)
    const statements = [CHARSET_STATEMENT, ...operator, ...BASE_SESSION, `SET SESSION sql_mode = '${sessionSqlMode(options.strict ?? false)}'`]
    this.pool.on('connection', (connection) => {
      const prepared = prepareSession(connection, statements)
      // Awaited by session() before the connection is first used; never left unhandled meanwhile.
      prepared.catch(() => undefined)
      this.preparing.set(connection, prepared)
    })
  }

  /** Opens the pool and checks that the database answers; fails with a clear connection error. */
  static async open(resource: DatabaseResourceConfig, side: 'source' | 'destination', options: MysqlDatabaseOptions = {}): Promise<MysqlDatabase> {
    const database = new MysqlDatabase(resource, options)
    try {
      await database.query('SELECT 1')
    } catch (error) {
      await database.close().catch(() => undefined)
      if (error instanceof MigrationError && error.code === 'DB_CONNECT') {
        throw new MigrationError('DB_CONNECT', `${side} database ${error.message}`, {...error.context, side}, error.hint, error.cause)
      }
      throw new MigrationError('DB_CONNECT', `${side} database ${describeDatabase(resource.database)}: cannot connect: ${describeCause(error instanceof MigrationError && error.cause !== undefined ? error.cause : error)}`, {side}, `Check <${side}><database …/> in config.xml (host, port, user, password, name) and that the server is running.`, error)
    }
    return database
  }

  /** @internal `infile`: the content a LOAD DATA LOCAL INFILE statement reads (no file is opened). */
  run(connection: PoolConnection, sql: string, infile?: readonly Buffer[]): Promise<Row[] | object> {
    this.onStatement?.(sql)
    const infileStreamFactory = infile && (() => Readable.from(infile))
    return new Promise((resolve, reject) => {
      connection.query({sql, rowsAsArray: true, infileStreamFactory}, (error, result: unknown, _fields?: FieldPacket[]) => {
        if (error) reject(this.queryError(error, sql))
        else resolve(result as Row[])
      })
    })
  }

  /** @internal */
  queryError(error: unknown, sql: string): MigrationError {
    if (error instanceof MigrationError) return error
    const shortSql = sql.length > 300 ? `${sql.slice(0, 300)}…` : sql
    return new MigrationError('DB_QUERY', `${this.description}: ${describeCause(error)}`, {sql: shortSql, sqlCode: (error as {code?: string}).code}, undefined, error)
  }

  async session(): Promise<SqlSession> {
    const connection = await new Promise<PoolConnection>((resolve, reject) => {
      this.pool.getConnection((error, got) => (error ? reject(this.queryError(error, '(connect)')) : resolve(got)))
    })
    const prepared = this.preparing.get(connection)
    if (prepared) {
      try {
        await prepared
      } catch (error) {
        connection.destroy()
        const {statement, cause} = error as SessionStatementError
        throw new MigrationError('DB_CONNECT', `${this.description}: the session statement "${statement}" failed: ${describeCause(cause)}`, {sql: statement}, 'Check init_statements_source / init_statements_destination in config.xml: they run on every new connection.', cause)
      }
      this.preparing.delete(connection)
    }
    return new MysqlSession(connection, this)
  }

  async query(sql: string): Promise<Row[]> {
    const session = await this.session()
    try {
      return await session.query(sql)
    } finally {
      session.release()
    }
  }

  async execute(sql: string): Promise<ExecuteResult> {
    const session = await this.session()
    try {
      return await session.execute(sql)
    } finally {
      session.release()
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.pool.end(() => resolve()))
  }
}
