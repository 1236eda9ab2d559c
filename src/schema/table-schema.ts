/**
 * What both sides' tables look like, independent of where it was read from (information_schema
 * or a dump's schema file). Document names are without the configured prefix; `physicalName` is
 * the table's real name.
 */
export interface ColumnSchema {
  readonly name: string
  /** information_schema DATA_TYPE, lower case: `int`, `varchar`, `decimal`, … */
  readonly dataType: string
  /** information_schema COLUMN_TYPE: `int(10) unsigned`, `enum('a','b')`, … */
  readonly columnType: string
  readonly nullable: boolean
  /** COLUMN_DEFAULT as information_schema prints it (MariaDB quotes string defaults), or null. */
  readonly defaultValue: string | null
  readonly autoIncrement: boolean
  /** Values are bytes, not text: binary/varbinary/blob types and bit. */
  readonly binary: boolean
  /** Values are written as bare numbers (integer, decimal and float types). */
  readonly numeric: boolean
  /** Character set of a text column (information_schema CHARACTER_SET_NAME: `utf8mb3`, `utf8mb4`, `latin1`, …); absent otherwise or when unknown. */
  readonly charset?: string
}

export interface TableSchema {
  /** Document name: the table name without the side's prefix. */
  readonly name: string
  /** The table's name in the database, prefix included. */
  readonly physicalName: string
  readonly columns: readonly ColumnSchema[]
  /** Primary key columns in key order; empty when there is none. */
  readonly primaryKey: readonly string[]
  /** Unique keys (other than the primary key), each in key order. */
  readonly uniqueKeys: readonly (readonly string[])[]
  /** Row length estimate in bytes (AVG_ROW_LENGTH), 0 when unknown. */
  readonly averageRowLength: number
  /** Size estimate of the table's rows in bytes (DATA_LENGTH); absent or 0 when unknown. */
  readonly dataBytes?: number
}

export interface DatabaseSchema {
  /** Document names in the order the DMT lists them (by name). */
  readonly documents: readonly string[]
  readonly tables: ReadonlyMap<string, TableSchema>
}

const BINARY_TYPES = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob', 'bit'])
const NUMERIC_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint', 'decimal', 'numeric', 'float', 'double', 'real'])

export function isBinaryType(dataType: string): boolean {
  return BINARY_TYPES.has(dataType)
}

export function isNumericType(dataType: string): boolean {
  return NUMERIC_TYPES.has(dataType)
}

/**
 * The key a document is read by, in order: the primary key, else the first unique key whose
 * columns are all NOT NULL. Undefined when the table has no usable key.
 */
export function pagingKey(table: TableSchema): readonly string[] | undefined {
  if (table.primaryKey.length > 0) return table.primaryKey
  const byName = new Map(table.columns.map((column) => [column.name, column]))
  // A unique key over TEXT/BLOB columns is enforced by a hash in MariaDB: it cannot be range-scanned.
  const usable = (name: string) => {
    const column = byName.get(name)
    return column !== undefined && !column.nullable && !/(text|blob|json)$/.test(column.dataType)
  }
  return table.uniqueKeys.find((key) => key.every(usable))
}

export function columnNamed(table: TableSchema, name: string): ColumnSchema | undefined {
  return table.columns.find((column) => column.name === name)
}
