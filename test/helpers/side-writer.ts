import type {SideWriter, Value} from '../../transforms/handler.js'

/** A SideWriter for handler unit tests: it keeps every row added, with its document, in order. */
export interface RecordingSideWriter extends SideWriter {
  readonly added: {document: string; row: Readonly<Record<string, Value>>}[]
  /** The rows added to one document. */
  rowsOf(document: string): Readonly<Record<string, Value>>[]
}

export function recordingSideWriter(): RecordingSideWriter {
  const added: {document: string; row: Readonly<Record<string, Value>>}[] = []
  return {
    added,
    add(document, row) {
      // A copy: a handler that reused one object for every row would otherwise go unnoticed.
      added.push({document, row: {...row}})
    },
    rowsOf: (document) => added.filter((entry) => entry.document === document).map((entry) => entry.row),
  }
}
