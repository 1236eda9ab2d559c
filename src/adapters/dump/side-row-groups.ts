import type {Row} from '../../pipeline/row.js'
import type {SideRows} from '../../pipeline/side-rows.js'
import {columnNamed, type TableSchema} from '../../schema/table-schema.js'

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

/**
 * Runs tasks one after another, in the order they were queued: the writes of every sink of one
 * file writer go through one queue, so batches land in the file in order. After a failure every
 * later task fails too (the output is discarded anyway).
 */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve()
  private failure: unknown

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(() => {
      if (this.failure !== undefined) throw this.failure
      return task()
    })
    this.tail = result.then(() => undefined, (error: unknown) => {
      this.failure ??= error
    })
    return result
  }

  /** Waits for everything queued so far. */
  async idle(): Promise<void> {
    await this.tail
    if (this.failure !== undefined) throw this.failure
  }
}
