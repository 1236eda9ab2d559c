/**
 * The row protocol. A row is an array of values in the order of its document's column list
 * (a header fixed once per document), so no object is built per row. Values are exact:
 * text as strings, bytes as Buffers, numbers as the server printed them, SQL NULL as null.
 * Handlers may also produce numbers, bigints and booleans; the writer renders all of them.
 */
export type Value = string | Buffer | number | bigint | boolean | null
export type Row = Value[]

/** Returned by a stage to drop the record: a value, not an exception. */
export const DROP: unique symbol = Symbol('m2-migrate.drop')
export type Dropped = typeof DROP
