import type {Handler, RecordView} from '../../transforms/handler.js'
import type {MapRules} from '../config/map-rules.js'
import type {TableSchema} from '../schema/table-schema.js'
import {DROP, type Dropped, type Row, type Value} from './row.js'
import {composeStages, type RecordPair, type Stage} from './stage.js'

/** A handler created for one field of one side of a document. */
export interface BoundHandler {
  readonly field: string
  readonly handler: Handler
  /** Opposite-record fields it may set (from its definition). */
  readonly writesOpposite?: readonly string[]
  /** Destination documents it adds rows to (from its definition). */
  readonly sideDocuments?: readonly string[]
}

/** How one source document becomes rows of its destination document. Built once per document. */
export interface DocumentTransformer {
  /** Source columns, in the order rows must arrive. */
  readonly sourceColumns: readonly string[]
  /** Destination columns written, in the order of the rows produced. */
  readonly destinationColumns: readonly string[]
  /** True when rows pass unchanged: same columns in the same order and no handler. */
  readonly passThrough: boolean
  /**
   * When no handler runs: for each destination column, the source column copied into it. Lets a
   * server copy the document itself (INSERT … SELECT). Undefined when handlers run.
   */
  readonly projection?: readonly string[]
  /** Turns one source row into a destination row, or DROP. The source row may be changed. */
  transform(row: Row): Row | Dropped
}

export interface TransformerInput {
  readonly rules: MapRules
  readonly source: TableSchema
  readonly destination: TableSchema
  /** Source-side handlers, in source column order (several per field in map order). */
  readonly sourceHandlers?: readonly BoundHandler[]
  /** Destination-side handlers, in destination column order. */
  readonly destinationHandlers?: readonly BoundHandler[]
}

/** A reusable named view over a row array. `written` limits which fields may be set. */
class ArrayRecordView implements RecordView {
  row: Row = []
  constructor(readonly document: string, private readonly index: ReadonlyMap<string, number>, private readonly known: ReadonlySet<string>) {}

  has(field: string): boolean {
    return this.known.has(field)
  }

  get(field: string): Value {
    const at = this.index.get(field)
    if (at !== undefined) return this.row[at] ?? null
    if (this.known.has(field)) return null
    throw new Error(`${field} field not found in the record.`)
  }

  set(field: string, value: Value): void {
    const at = this.index.get(field)
    if (at === undefined) {
      throw new Error(this.known.has(field)
        ? `${this.document}.${field} is not among the columns written; a handler that sets it must declare it (writesOpposite)`
        : `${field} field not found in the record.`)
    }
    this.row[at] = value
  }
}

/**
 * A handler as a stage. As in the DMT's record transformer, a source-side handler gets the source
 * record and, as its opposite, the destination record; a destination-side handler gets the
 * destination record as both.
 */
function handlerStage(handler: Handler, sourceView: ArrayRecordView, destinationView: ArrayRecordView, side: 'source' | 'destination'): Stage {
  const [record, opposite] = side === 'source' ? [sourceView, destinationView] : [destinationView, destinationView]
  return (pair: RecordPair) => {
    sourceView.row = pair.source
    destinationView.row = pair.destination
    return handler.handle(record, opposite)
  }
}

/**
 * The source column each written column takes. When two source columns land on one destination
 * column (a move onto a name the source also has), the copy keeps the later one in source order,
 * so the projection does too: a server-side copy must give the same rows as the streamed one.
 */
function projectionOf(copies: readonly (readonly [number, string])[], written: readonly string[], sourceColumns: readonly string[]): string[] {
  const from = new Map<string, number>()
  for (const [at, target] of copies) from.set(target, at)
  return written.map((name) => sourceColumns[from.get(name)!])
}

/**
 * Compiles the map's field rules for one document pair, following the DMT's record transformer:
 * source-side handlers run on the source record (with the destination record as the opposite),
 * then every source column that is not ignored is copied under its mapped name (a column whose
 * name is unchanged and that the destination lacks is dropped), then destination-side handlers run.
 */
export function compileDocumentTransformer(input: TransformerInput): DocumentTransformer {
  const {rules, source, destination} = input
  const sourceHandlers = input.sourceHandlers ?? []
  const destinationHandlers = input.destinationHandlers ?? []
  const sourceColumns = source.columns.map((column) => column.name)
  const destinationNames = new Set(destination.columns.map((column) => column.name))

  const copies: [number, string][] = []
  sourceColumns.forEach((name, at) => {
    const target = rules.getFieldMap(source.name, name, 'source')
    if (target === false) return
    if (!destinationNames.has(target)) return
    copies.push([at, target])
  })
  const written: string[] = []
  const seen = new Set<string>()
  const addWritten = (name: string) => {
    if (!seen.has(name) && destinationNames.has(name)) {
      seen.add(name)
      written.push(name)
    }
  }
  for (const [, target] of copies) addWritten(target)
  for (const bound of sourceHandlers) for (const name of bound.writesOpposite ?? []) addWritten(name)
  for (const bound of destinationHandlers) addWritten(bound.field)

  const destinationIndex = new Map(written.map((name, at) => [name, at]))
  const sourceIndex = new Map(sourceColumns.map((name, at) => [name, at]))
  const sourceView = new ArrayRecordView(source.name, sourceIndex, new Set(sourceColumns))
  const destinationView = new ArrayRecordView(destination.name, destinationIndex, destinationNames)

  const copyPlan = copies.map(([from, target]) => [from, destinationIndex.get(target)!] as const)
  const width = written.length
  const copy: Stage = (pair) => {
    const {source: row, destination: out} = pair
    for (const [from, to] of copyPlan) out[to] = row[from]
  }
  const stages: Stage[] = [
    ...sourceHandlers.map((bound) => handlerStage(bound.handler, sourceView, destinationView, 'source')),
    copy,
    ...destinationHandlers.map((bound) => handlerStage(bound.handler, sourceView, destinationView, 'destination')),
  ]
  const run = composeStages(stages)
  const passThrough = sourceHandlers.length === 0 && destinationHandlers.length === 0
    && copyPlan.length === sourceColumns.length && copyPlan.every(([from, to]) => from === to)
    && written.every((name, at) => name === sourceColumns[at])

  return {
    sourceColumns,
    destinationColumns: written,
    passThrough,
    projection: sourceHandlers.length === 0 && destinationHandlers.length === 0 ? projectionOf(copies, written, sourceColumns) : undefined,
    transform(row: Row): Row | Dropped {
      if (passThrough) return row
      const pair: RecordPair = {source: row, destination: new Array<Value>(width).fill(null)}
      return run(pair) === DROP ? DROP : pair.destination
    },
  }
}
