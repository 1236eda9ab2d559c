import type {SideWriter} from '../../transforms/handler.js'
import type {Value} from './row.js'

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
