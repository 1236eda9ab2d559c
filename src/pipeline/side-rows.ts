import type {SideWriter} from '../../transforms/handler.js'
import {columnNamed, type TableSchema} from '../schema/table-schema.js'
import type {Row, Value} from './row.js'

/** Rows for other documents, keyed by document, in the order handlers added them. */
export type SideRows = ReadonlyMap<string, readonly Readonly<Record<string, Value>>[]>

/**
 * Collects the rows handlers add to other documents while one batch is transformed; the copy
 * loop takes them after each batch and hands them to the sink with the batch's own rows.
 */
export class SideRowBuffer implements SideWriter {
  private rows = new Map<string, Readonly<Record<string, Value>>[]>()

  add(document: string, row: Readonly<Record<string, Value>>): void {
    const list = this.rows.get(document)
    if (list) list.push(row)
    else this.rows.set(document, [row])
  }

  /** The rows added since the last take, and a fresh start. */
  take(): SideRows | undefined {
    if (this.rows.size === 0) return undefined
    const taken = this.rows
    this.rows = new Map()
    return taken
  }
}

/** Rows handlers added to one destination document, all with the same columns. */
export interface SideRowGroup {
  readonly table: TableSchema
  readonly columns: readonly string[]
  readonly rows: Row[]
}

/**
 * The rows handlers added to other documents for one batch, grouped by document and by column
 * set (in the order they were added), each column checked against the document's schema.
 */
export function groupSideRows(document: string, side: SideRows, tables: ReadonlyMap<string, TableSchema> | undefined): SideRowGroup[] {
  const groups: SideRowGroup[] = []
  for (const [name, rows] of side) {
    const table = tables?.get(name)
    if (!table) throw new Error(`${document}: a handler added rows to ${name}, which is not a destination document this step writes`)
    const byColumns = new Map<string, SideRowGroup>()
    for (const row of rows) {
      const columns = Object.keys(row)
      const key = columns.join('\0')
      let group = byColumns.get(key)
      if (!group) {
        const unknown = columns.find((column) => !columnNamed(table, column))
        if (unknown !== undefined) throw new Error(`${document}: a handler added a row to ${name} with column ${unknown}, which ${name} does not have`)
        group = {table, columns, rows: []}
        byColumns.set(key, group)
        groups.push(group)
      }
      group.rows.push(Object.values(row))
    }
  }
  return groups
}
