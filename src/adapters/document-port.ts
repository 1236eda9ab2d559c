import type {Row, Value} from '../pipeline/row.js'
import type {SideRows} from '../pipeline/side-rows.js'
import type {TableSchema} from '../schema/table-schema.js'

/** A page of source rows, with the paging key of its last row (null when read without a key). */
export interface RowBatch {
  readonly rows: Row[]
  readonly lastKey: readonly Value[] | null
}

export interface ReadOptions {
  /** Rows per page. */
  readonly pageSize: number
  /** Continue after this key (exclusive); undefined starts at the beginning. */
  readonly afterKey?: readonly Value[]
}

/** Reads documents of one side in order: the MySQL source (key order) and the dump source (file order). */
export interface DocumentReader {
  /**
   * Pages of one document, in key order. Stops reading when the consumer stops asking and
   * releases its connection in `finally`, also after an early break.
   */
  read(table: TableSchema, options: ReadOptions): AsyncGenerator<RowBatch>
  count(table: TableSchema): Promise<number>
}

/** What one batch read from the source: recorded with the batch, in its transaction. */
export interface BatchProgress {
  /** The paging key of the batch's last source row (null when the document has no key). */
  readonly lastKey: readonly Value[] | null
  /** Source rows the batch covers (some may have been dropped by a stage). */
  readonly sourceRows: number
}

/**
 * Writes whole batches atomically: every row of a batch is committed, or none is. Batches of one
 * sink commit in the order write() was called, so a recorded key always covers every row before it.
 */
export interface BatchSink {
  /**
   * Writes the rows (possibly none), the rows handlers added to other documents for them, and,
   * when the sink keeps progress, the batch's progress: all in one transaction.
   */
  write(rows: readonly Row[], progress?: BatchProgress, side?: SideRows): Promise<void>
}

export interface SinkOptions {
  /** Record each batch's progress under this stage and document, in the batch's transaction. */
  readonly progress?: {readonly stage: string; readonly document: string}
  /** Destination documents that handlers may add rows to, by document name. */
  readonly sideTables?: ReadonlyMap<string, TableSchema>
}

/** A copy done by the server itself: `INSERT INTO destination (columns) SELECT projection FROM source`. */
export interface ServerCopy {
  readonly sourceDatabase: string
  readonly source: TableSchema
  readonly projection: readonly string[]
  readonly destination: TableSchema
  readonly columns: readonly string[]
  readonly progress?: {readonly stage: string; readonly document: string}
}

export interface DocumentWriter {
  count(table: TableSchema): Promise<number>
  /** Empties a document before it is copied. */
  clear(table: TableSchema): Promise<void>
  /** A sink for one document's rows with the given columns. */
  sink(table: TableSchema, columns: readonly string[], options?: SinkOptions): BatchSink
  /** Copies on the server in one transaction (with the document marked done); returns the rows copied. */
  serverCopy?(copy: ServerCopy): Promise<number>
}

/**
 * A writer whose output is a file or folder (an SQL file, a dump): it appears at its final path
 * only when complete() is called at the end of a successful run; discard() (a failure, an
 * interruption) removes what was written.
 */
export interface FileOutputWriter extends DocumentWriter {
  complete(): Promise<void>
  discard(): Promise<void>
}
