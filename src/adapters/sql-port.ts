import type {Row} from '../pipeline/row.js'

/** What a statement without rows reports: rows changed, and how many warnings the server raised. */
export interface ExecuteResult {
  readonly affectedRows: number
  readonly warnings: number
}

/**
 * The narrow part of a SQL driver the tool uses. Steps and stages depend on these interfaces,
 * never on mysql2's types, so they can be tested with plain objects.
 */
export interface SqlSession {
  /** Runs a statement that returns rows; rows come back as arrays of exact values. */
  query(sql: string): Promise<Row[]>
  /** Runs a statement that returns no rows. */
  execute(sql: string): Promise<ExecuteResult>
  /**
   * Runs a LOAD DATA LOCAL INFILE statement, sending `chunks` as the file's content (no file is
   * read). Optional: a driver or server without LOCAL INFILE leaves it out.
   */
  load?(sql: string, chunks: readonly Buffer[]): Promise<ExecuteResult>
  /** Streams the rows of one statement; pausing the consumer pauses this session's connection. */
  stream(sql: string): AsyncIterable<Row>
  release(): void
}

export interface SqlDatabase {
  /** Database (schema) name. */
  readonly name: string
  /** `user@host:port/name`, for messages; never the password. */
  readonly description: string
  /** A connection of its own, for a streaming read or a transaction. Release it in `finally`. */
  session(): Promise<SqlSession>
  query(sql: string): Promise<Row[]>
  execute(sql: string): Promise<ExecuteResult>
  /** Every statement sent is reported here (for tests and -vv). */
  onStatement?: (sql: string) => void
  close(): Promise<void>
}
