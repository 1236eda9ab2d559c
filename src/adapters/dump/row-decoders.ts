/**
 * Decoders that turn a row's JSON fields into a row of the row protocol. With a table's schema,
 * every row must hold exactly its columns; without one (transform with no schema file), the
 * first row's fields fix the columns and every later row must hold the same ones.
 */
import type {Row, Value} from '../../pipeline/row.js'
import type {ColumnSchema, TableSchema} from '../../schema/table-schema.js'
import {decodeValue, type JsonScalar} from './dump-values.js'
import type {RowDecoder} from './json-row-reader.js'

function listed(names: readonly string[]): string {
  return names.length > 8 ? `${names.slice(0, 8).join(', ')}, … (${names.length} in all)` : names.join(', ')
}

/** Rows that must hold exactly the table's columns, in any order, each once. */
export class SchemaRowDecoder implements RowDecoder {
  private readonly index: Map<string, number>
  private readonly columns: readonly ColumnSchema[]
  private row: Value[] = []
  private seen: Uint8Array
  private count = 0

  constructor(private readonly table: TableSchema) {
    this.columns = table.columns
    this.index = new Map(table.columns.map((column, at) => [column.name, at]))
    this.seen = new Uint8Array(table.columns.length)
  }

  begin(): void {
    this.row = new Array<Value>(this.columns.length)
    this.seen.fill(0)
    this.count = 0
  }

  field(name: string, value: JsonScalar): void {
    const at = this.index.get(name)
    if (at === undefined) throw new Error(`column ${name} is not in the schema of ${this.table.name} (its columns: ${listed(this.columns.map((column) => column.name))})`)
    if (this.seen[at]) throw new Error(`column ${name} appears twice in one row`)
    this.seen[at] = 1
    this.count++
    this.row[at] = decodeValue(value, this.columns[at])
  }

  end(): Row {
    if (this.count < this.columns.length) {
      const missing = this.columns.filter((_, at) => !this.seen[at]).map((column) => column.name)
      throw new Error(`the row lacks column${missing.length > 1 ? 's' : ''} ${listed(missing)} of the schema (every row holds every column; write null for NULL)`)
    }
    return this.row
  }
}

/** Rows whose columns the first row fixes; later rows must hold the same ones. */
export class FirstRowDecoder implements RowDecoder {
  private names: string[] | undefined
  private index = new Map<string, number>()
  private pending: [string, JsonScalar][] = []
  private row: Value[] = []
  private seen = new Uint8Array(0)
  private count = 0

  /** The columns, once the first row has been read. */
  get columns(): readonly string[] | undefined {
    return this.names
  }

  begin(): void {
    this.pending = []
    if (this.names) {
      this.row = new Array<Value>(this.names.length)
      this.seen.fill(0)
      this.count = 0
    }
  }

  field(name: string, value: JsonScalar): void {
    if (!this.names) {
      if (this.pending.some(([seen]) => seen === name)) throw new Error(`column ${name} appears twice in one row`)
      this.pending.push([name, value])
      return
    }
    const at = this.index.get(name)
    if (at === undefined) throw new Error(`column ${name} is not among the columns of the first row (${listed(this.names)}); every row must hold the same columns`)
    if (this.seen[at]) throw new Error(`column ${name} appears twice in one row`)
    this.seen[at] = 1
    this.count++
    this.row[at] = decodeValue(value, undefined)
  }

  end(): Row {
    if (!this.names) {
      this.names = this.pending.map(([name]) => name)
      this.index = new Map(this.names.map((name, at) => [name, at]))
      this.seen = new Uint8Array(this.names.length)
      return this.pending.map(([, value]) => decodeValue(value, undefined))
    }
    if (this.count < this.names.length) {
      const missing = this.names.filter((_, at) => !this.seen[at])
      throw new Error(`the row lacks column${missing.length > 1 ? 's' : ''} ${listed(missing)}, which the first row has; every row must hold the same columns`)
    }
    return this.row
  }
}
