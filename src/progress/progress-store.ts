import {createHash} from 'node:crypto'
import type {Value} from '../pipeline/row.js'

/**
 * Where a run stands, kept in the destination database so that it commits together with the
 * rows it describes. A stage is done or not; a document inside a data stage is done, or in
 * progress with the key of its last committed batch and the rows written so far.
 */
export const PROGRESS_TABLE = 'm2migrate_progress'

/** Identifies a stage of a step of a mode: `data|Map Step|data`. */
export function stageKey(mode: string, step: string, stage: string): string {
  return `${mode}|${step}|${stage}`
}

export interface DocumentProgress {
  readonly done: boolean
  /** The paging key of the last committed batch, or null when none was committed. */
  readonly lastKey: readonly Value[] | null
  readonly rows: number
}

export interface Checkpoint {
  readonly stage: string
  readonly document: string
  readonly lastKey: readonly Value[] | null
  /** Rows this batch added. */
  readonly rows: number
}

export interface SavedProgress {
  readonly fingerprint: string | null
  readonly stagesDone: ReadonlySet<string>
  /** `stage\0document` → progress. */
  readonly documents: ReadonlyMap<string, DocumentProgress>
}

export function documentKey(stage: string, document: string): string {
  return `${stage}\0${document}`
}

/** The durable store. The MySQL one lives in src/adapters/mysql/mysql-progress-store.ts. */
export interface ProgressStore {
  /** Creates the store if missing and reads it. */
  load(): Promise<SavedProgress>
  /** Forgets everything (--reset). */
  reset(): Promise<void>
  saveFingerprint(fingerprint: string): Promise<void>
  markStageDone(stage: string): Promise<void>
  /** Records that a document is being copied from its start (after it was emptied). */
  startDocument(stage: string, document: string): Promise<void>
  finishDocument(stage: string, document: string): Promise<void>
}

/** A key as JSON text: Buffers as {"$hex": …}, bigints as strings; the inverse is decodeKey. */
export function encodeKey(key: readonly Value[] | null): string | null {
  if (key === null) return null
  return JSON.stringify(key.map((value) => {
    if (Buffer.isBuffer(value)) return {$hex: value.toString('hex')}
    if (typeof value === 'bigint') return value.toString()
    return value
  }))
}

export function decodeKey(text: string | null): Value[] | null {
  if (text === null || text === '') return null
  const parsed = JSON.parse(text) as unknown[]
  return parsed.map((value) => {
    if (value !== null && typeof value === 'object' && '$hex' in value) return Buffer.from(String((value as {$hex: string}).$hex), 'hex')
    return value as Value
  })
}

/** A fingerprint of what decides the result: the config text and every map file's text. */
export function fingerprintOf(texts: readonly string[]): string {
  const hash = createHash('sha256')
  for (const text of texts) hash.update(text).update('\0')
  return hash.digest('hex').slice(0, 32)
}
