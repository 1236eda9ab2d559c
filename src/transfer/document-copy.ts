import pLimit from 'p-limit'
import {describeCause, MigrationError} from '../errors.js'
import type {DocumentTransformer} from '../pipeline/document-transformer.js'
import {DROP, type Row, type Value} from '../pipeline/row.js'
import type {SideRows} from '../pipeline/side-rows.js'
import type {BatchSink, RowBatch} from '../adapters/document-port.js'

export interface CopyOptions {
  /** Batches being written at once for this document (reading waits while this many are in flight). */
  readonly writesInFlight: number
  readonly signal?: AbortSignal
  /** Called after each committed batch with the rows it held. */
  readonly onProgress?: (rows: number) => void
  /** Rows handlers added to other documents; taken after each batch and written with it. */
  readonly sideRows?: {take(): SideRows | undefined}
  /** For error messages. */
  readonly step?: string
  readonly document: string
  /** The key the reader starts after (a resumed document), so that the first batch's range is named right. */
  readonly afterKey?: readonly Value[] | null
}

export interface CopyResult {
  readonly rowsRead: number
  readonly rowsWritten: number
  readonly rowsDropped: number
}

function keyText(key: readonly Value[] | null | undefined): string {
  if (!key) return '(no key)'
  return key.map((value) => (Buffer.isBuffer(value) ? `0x${value.toString('hex')}` : String(value))).join(',')
}

/**
 * Moves one document: pages from the reader pass through the transformer and are written by the
 * sink, with at most `writesInFlight` batches being written while the next page is read. The
 * reader is asked for a new page only when a write slot is free, so memory stays bounded by
 * (writesInFlight + 1) pages whatever the table's size. The first failure (or an abort) stops
 * reading before another page is asked for, waits for the writes in flight, and is thrown with the
 * document and the batch's key range. Writes in flight are also waited for when the reader itself
 * fails, so no write is left running behind the caller (who may close the pool next).
 */
export async function copyDocument(batches: AsyncIterable<RowBatch>, transformer: DocumentTransformer, sink: BatchSink, options: CopyOptions): Promise<CopyResult> {
  const slots = Math.max(1, options.writesInFlight)
  const limit = pLimit(slots)
  const inFlight = new Set<Promise<void>>()
  let failure: unknown
  let rowsRead = 0
  let rowsWritten = 0
  let rowsDropped = 0
  let previousKey: readonly Value[] | null = options.afterKey ?? null

  /** Whether to stop before asking the reader for another page; an abort becomes the failure. */
  const stopping = (): boolean => {
    if (failure === undefined && options.signal?.aborted) {
      failure = new MigrationError('INTERRUPTED', `${options.document}: interrupted`, {document: options.document, step: options.step})
    }
    return failure !== undefined
  }

  try {
    // Checked before the first page too: an unstarted generator holds nothing and needs no cleanup.
    if (!stopping()) {
      for await (const batch of batches) {
        if (stopping()) break
        rowsRead += batch.rows.length
        const out: Row[] = []
        for (const row of batch.rows) {
          let result: Row | typeof DROP
          try {
            result = transformer.transform(row)
          } catch (error) {
            failure = new MigrationError('HANDLER_FAILED', `${options.document}: a handler failed after key ${keyText(previousKey)}: ${describeCause(error)}`, {document: options.document, step: options.step, key: keyText(previousKey)}, undefined, error)
            break
          }
          if (result === DROP) rowsDropped++
          else out.push(result)
        }
        if (failure !== undefined) break
        const side = options.sideRows?.take()
        const range = `(${keyText(previousKey)} .. ${keyText(batch.lastKey)}]`
        previousKey = batch.lastKey
        const task = limit(() => sink.write(out, {lastKey: batch.lastKey, sourceRows: batch.rows.length}, side)).then(
          () => {
            rowsWritten += out.length
            options.onProgress?.(batch.rows.length)
          },
          (error: unknown) => {
            failure ??= error instanceof MigrationError && error.code === 'BATCH_FAILED'
              ? error
              : new MigrationError('BATCH_FAILED', `${options.document}: batch with keys ${range} failed and was rolled back: ${describeCause(error)}`, {document: options.document, step: options.step, key: range}, 'Fix the data or the map, then run again.', error)
          },
        )
        const tracked = task.finally(() => inFlight.delete(tracked))
        inFlight.add(tracked)
        while (inFlight.size >= slots && failure === undefined) {
          await Promise.race(inFlight)
        }
        if (stopping()) break
      }
    }
  } finally {
    await Promise.all(inFlight)
  }
  if (failure !== undefined) throw failure
  return {rowsRead, rowsWritten, rowsDropped}
}
