/**
 * Rows through a document's field rules, from NDJSON text to NDJSON text: each input chunk is
 * decoded, transformed and written before the next is read, and a write waits while the output
 * is full, so memory holds one chunk however long the stream and however slow its reader.
 */
import type {Writable} from 'node:stream'
import {dumpError, type RowChunk, type RowSubject} from '../adapters/dump/json-row-reader.js'
import {encodeRow} from '../adapters/dump/dump-values.js'
import {describeCause} from '../errors.js'
import type {DocumentTransformer} from '../pipeline/document-transformer.js'
import {DROP} from '../pipeline/row.js'

export interface TransformStats {
  rowsRead: number
  rowsWritten: number
  rowsDropped: number
}

/** Thrown when the reader of the output went away (a pipe closed by `head`): the run stops quietly. */
export class OutputClosed extends Error {}

/** Writes text; resolves when the output can take more. */
export function writeTo(output: Writable, text: string): Promise<void> {
  if (output.destroyed || output.writableEnded) return Promise.reject(new OutputClosed('the output was closed'))
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      output.off('drain', drained)
      reject(error.code === 'EPIPE' ? new OutputClosed('the output was closed') : error)
    }
    const drained = () => {
      output.off('error', failed)
      resolve()
    }
    output.once('error', failed)
    if (output.write(text)) {
      output.off('error', failed)
      resolve()
    } else {
      output.once('drain', drained)
    }
  })
}

/**
 * Transforms every row of `chunks` and writes the rows kept as NDJSON lines with the
 * destination's columns. `prepare` is called once, with the first chunk, before any row is
 * transformed (the columns may only be known from the first row).
 */
export async function transformRows(chunks: AsyncIterable<RowChunk>, prepare: () => Promise<DocumentTransformer>, output: Writable, subject: RowSubject, signal?: AbortSignal): Promise<TransformStats> {
  const stats: TransformStats = {rowsRead: 0, rowsWritten: 0, rowsDropped: 0}
  let transformer: DocumentTransformer | undefined
  let names: string[] = []
  for await (const chunk of chunks) {
    if (signal?.aborted) break
    if (!transformer) {
      transformer = await prepare()
      names = transformer.destinationColumns.map((name) => JSON.stringify(name))
    }
    let text = ''
    for (let at = 0; at < chunk.rows.length; at++) {
      stats.rowsRead++
      let result
      try {
        result = transformer.transform(chunk.rows[at])
      } catch (error) {
        throw dumpError(subject, chunk.lines[at], `a handler failed: ${describeCause(error)}`, 'Fix the row or the map.')
      }
      if (result === DROP) {
        stats.rowsDropped++
        continue
      }
      text += `${encodeRow(names, result)}\n`
      stats.rowsWritten++
    }
    if (text !== '') await writeTo(output, text)
  }
  return stats
}
