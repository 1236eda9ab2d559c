import type {Row, Value} from '../pipeline/row.js'
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

/** Reads documents of one side in key order. Implemented by the MySQL source (and later dumps). */
export interface DocumentReader {
  /**
   * Pages of one document, in key order. Stops reading when the consumer stops asking and
   * releases its connection in `finally`, also after an early break.
   */
  read(table: TableSchema, options: ReadOptions): AsyncGenerator<RowBatch>
  count(table: TableSchema): Promise<number>
}

/** Writes whole batches atomically: every row of a batch is committed, or none is. */
export interface BatchSink {
  write(rows: readonly Row[]): Promise<void>
}

export interface DocumentWriter {
  count(table: TableSchema): Promise<number>
  /** Empties a document before it is copied. */
  clear(table: TableSchema): Promise<void>
  /** A sink for one document's rows with the given columns. */
  sink(table: TableSchema, columns: readonly string[]): BatchSink
}
