import pLimit from 'p-limit'
import {flagOption} from '../../config/config-reader.js'
import type {DatabaseConfig} from '../../config/migration-config.js'
import {describeCause} from '../../errors.js'
import {quoteIdentifier, qualifiedName} from '../../adapters/mysql/sql-text.js'
import {compileDocumentTransformer, type DocumentTransformer} from '../../pipeline/document-transformer.js'
import type {Value} from '../../pipeline/row.js'
import type {TableSchema} from '../../schema/table-schema.js'
import {copyDocument} from '../../transfer/document-copy.js'
import {bindHandlers} from '../handler-binding.js'
import type {RunContext, StageInstance} from '../run-context.js'
import {type DocumentPair, mappedDocuments, unavailableHandlers} from './map-documents.js'

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1'])

function sameServer(a: DatabaseConfig, b: DatabaseConfig): boolean {
  const host = (value: string) => (LOCAL_HOSTS.has(value) ? 'localhost' : value)
  return host(a.host) === host(b.host) && a.port === b.port
}

/** Rows per read page: bulk_size, or when it is 0 about 8 MB worth of rows (200..20000). */
export function pageRows(table: TableSchema, bulkSize: number): number {
  if (bulkSize > 0) return bulkSize
  return Math.min(20_000, Math.max(200, Math.floor((8 * 1024 * 1024) / Math.max(table.averageRowLength, 100))))
}

/**
 * Map step, data stage: each document the map does not ignore is emptied in the destination, then
 * streamed from the source in key order through its field stages and written in batches. Several
 * documents run at once (p-limit). With direct_document_copy and no handler, a document is copied
 * by the server itself (INSERT … SELECT) when both databases share a server.
 */
export class MapData implements StageInstance {
  private directCopy: boolean

  constructor(private readonly context: RunContext, private readonly mapOption = 'map_file') {
    this.directCopy = flagOption(context.config, 'direct_document_copy')
  }

  async perform(): Promise<boolean> {
    const {context} = this
    const rules = await context.map(this.mapOption)
    const [source, destination] = await Promise.all([context.source.schema(), context.destination.schema()])
    const pairs = mappedDocuments(rules, source, destination)
    const limit = pLimit(context.tuning.documentConcurrency)
    const failures: unknown[] = []
    const controller = new AbortController()
    const stop = () => controller.abort()
    context.signal.addEventListener('abort', stop, {once: true})
    try {
      await Promise.all(pairs.map((pair) => limit(async () => {
        if (controller.signal.aborted) return
        try {
          await this.copyPair(pair, rules.file, controller.signal)
        } catch (error) {
          failures.push(error)
          controller.abort()
        }
      })))
    } finally {
      context.signal.removeEventListener('abort', stop)
    }
    if (failures.length > 0) throw failures[0]
    if (context.signal.aborted) throw context.signal.reason ?? new Error('interrupted')
    return true
  }

  private async copyPair(pair: DocumentPair, mapFile: string, signal: AbortSignal): Promise<void> {
    const {context} = this
    const {source, destination} = pair
    const missing = unavailableHandlers(pair, context.handlers)
    if (missing.length > 0) {
      const names = [...new Set(missing.map((config) => config.className))].join(',')
      context.log.warning(`Document ${source.name} is skipped: handler ${names} is not available`)
      return
    }
    const binding = {registry: context.handlers, mapFile, log: context.log, source: lookup(context.source.sql), destination: lookup(context.destination.sql)}
    const transformer = compileDocumentTransformer({
      rules: await context.map(this.mapOption),
      source,
      destination,
      sourceHandlers: await bindHandlers(pair.sourceHandlers, binding),
      destinationHandlers: await bindHandlers(pair.destinationHandlers, binding),
    })
    const started = Date.now()
    context.log.debug(`migrating ${source.name}`)
    await context.writer.clear(destination)
    let rows: number
    if (this.directCopy && pair.sourceHandlers.length === 0 && pair.destinationHandlers.length === 0 && await this.copyDirectly(pair, transformer)) {
      rows = await context.writer.count(destination)
    } else {
      const total = await context.reader.count(source)
      context.progress.start(source.name, total)
      try {
        const result = await copyDocument(
          context.reader.read(source, {pageSize: pageRows(source, context.tuning.bulkSize)}),
          transformer,
          context.writer.sink(destination, transformer.destinationColumns),
          {writesInFlight: context.tuning.writesInFlight, signal, document: source.name, step: 'Map Step', onProgress: (n) => context.progress.advance(source.name, n)},
        )
        rows = result.rowsWritten
      } finally {
        context.progress.finish(source.name)
      }
    }
    const seconds = (Date.now() - started) / 1000
    context.stats.documents++
    context.stats.rows += rows
    const target = destination.name === source.name ? '' : ` -> ${destination.name}`
    context.log.info(`${source.name}${target}: ${rows} rows in ${seconds.toFixed(1)} s (${Math.round(rows / Math.max(seconds, 0.001))} rows/s)`)
  }

  /** INSERT … SELECT on the server; false (with the DMT's warning) when it cannot be done. */
  private async copyDirectly(pair: DocumentPair, transformer: DocumentTransformer): Promise<boolean> {
    const {context} = this
    const sourceDb = context.source.config.database
    if (!sameServer(sourceDb, context.destination.config.database)) {
      this.directCopy = false
      context.log.warning(`Document ${pair.source.name} can not be copied directly because of error: source and destination are not on the same server`)
      return false
    }
    const projection = transformer.projection
    if (!projection) return false
    const selected = projection.map(quoteIdentifier)
    try {
      await context.destination.sql.execute(`INSERT INTO ${quoteIdentifier(pair.destination.physicalName)} (${transformer.destinationColumns.map(quoteIdentifier).join(', ')}) SELECT ${selected.join(', ')} FROM ${qualifiedName(sourceDb.name, pair.source.physicalName)}`)
      return true
    } catch (error) {
      this.directCopy = false
      context.log.warning(`Document ${pair.source.name} can not be copied directly because of error: ${describeCause(error)}`)
      await context.writer.clear(pair.destination)
      return false
    }
  }
}

function lookup(sql: {query(sql: string): Promise<Value[][]>}) {
  return {query: (statement: string) => sql.query(statement)}
}
