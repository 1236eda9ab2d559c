import {DROP, type Dropped, type Row} from './row.js'

/**
 * One record on its way through a document's stages: the source row as read, and the
 * destination row being built. Both are arrays in their document's column order.
 */
export interface RecordPair {
  source: Row
  destination: Row
}

/**
 * The one contract every field stage keeps (ignore/move/rename copy, source-side handlers,
 * destination-side handlers): change the pair in place, or return DROP to drop the record.
 * Stages are pure: no I/O, no state between records.
 */
export type Stage = (pair: RecordPair) => void | Dropped

/** Runs stages in order; the first DROP ends the record's way. */
export function composeStages(stages: readonly Stage[]): Stage {
  if (stages.length === 1) return stages[0]
  return (pair) => {
    for (const stage of stages) {
      if (stage(pair) === DROP) return DROP
    }
  }
}
