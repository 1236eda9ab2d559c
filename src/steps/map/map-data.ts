import pLimit from 'p-limit'
import type {LookupPort} from '../../../transforms/handler.js'
import {flagOption, resolveOptionFile} from '../../config/config-reader.js'
import type {DatabaseConfig} from '../../config/migration-config.js'
import {describeCause, MigrationError} from '../../errors.js'
import type {MapRules} from '../../config/map-rules.js'
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
    const jobs: Job[] = []
    for (const pair of mappedDocuments(rules, source, destination)) {
      const missing = unavailableHandlers(pair, context.handlers)
      if (missing.length > 0) {
        const names = [...new Set(missing.map((config) => config.className))].join(',')
        context.log.warning(`Document ${pair.source.name} is skipped: handler ${names} is not available`)
        continue
      }
      jobs.push({pair, transformer: await this.prepare(pair, rules)})
    }
    // Emptying is DDL (TRUNCATE): done one table at a time before any insert starts, because
    // InnoDB refuses DDL on a table while another transaction holds locks on a table linked to
    // it by a foreign key.
    for (const {pair} of jobs) await emptyDocument(context, pair)
    const limit = pLimit(context.tuning.documentConcurrency)
    const failures: unknown[] = []
    const controller = new AbortController()
    const stop = () => controller.abort()
    context.signal.addEventListener('abort', stop, {once: true})
    try {
      await Promise.all(jobs.map((job) => limit(async () => {
        if (controller.signal.aborted) return
        try {
          await this.copy(job, controller.signal)
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

  /** Creates the document's handlers (once) and compiles its field stages. */
  private async prepare(pair: DocumentPair, rules: MapRules): Promise<DocumentTransformer> {
    const {context} = this
    const binding = {
      registry: context.handlers,
      mapFile: rules.file,
      log: context.log,
      source: lookup(context.source.sql, context.source.config.prefix),
      destination: lookup(context.destination.sql, context.destination.config.prefix),
      options: context.config.options,
      resolveOptionFile: (option: string) => resolveOptionFile(context.config, option),
    }
    return compileDocumentTransformer({
      rules,
      source: pair.source,
      destination: pair.destination,
      sourceHandlers: await bindHandlers(pair.sourceHandlers, binding),
      destinationHandlers: await bindHandlers(pair.destinationHandlers, binding),
    })
  }

  private async copy({pair, transformer}: Job, signal: AbortSignal): Promise<void> {
    const {context} = this
    const {source, destination} = pair
    const started = Date.now()
    context.log.debug(`migrating ${source.name}`)
    let rows: number
    if (this.directCopy && transformer.projection && await this.copyDirectly(pair, transformer.projection, transformer.destinationColumns)) {
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

  /** INSERT … SELECT on the server (one atomic statement); false, with the DMT's warning, when it cannot be done. */
  private async copyDirectly(pair: DocumentPair, projection: readonly string[], columns: readonly string[]): Promise<boolean> {
    const {context} = this
    const sourceDb = context.source.config.database
    if (!sameServer(sourceDb, context.destination.config.database)) {
      this.directCopy = false
      context.log.warning(`Document ${pair.source.name} can not be copied directly because of error: source and destination are not on the same server`)
      return false
    }
    try {
      await context.destination.sql.execute(`INSERT INTO ${quoteIdentifier(pair.destination.physicalName)} (${columns.map(quoteIdentifier).join(', ')}) SELECT ${projection.map(quoteIdentifier).join(', ')} FROM ${qualifiedName(sourceDb.name, pair.source.physicalName)}`)
      return true
    } catch (error) {
      this.directCopy = false
      context.log.warning(`Document ${pair.source.name} can not be copied directly because of error: ${describeCause(error instanceof MigrationError && error.cause !== undefined ? error.cause : error)}`)
      return false
    }
  }
}

interface Job {
  readonly pair: DocumentPair
  readonly transformer: DocumentTransformer
}

const LOCK_RETRIES = 5

/** Empties a destination document, retrying a few times when a lock held elsewhere refuses it. */
async function emptyDocument(context: RunContext, pair: DocumentPair): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await context.writer.clear(pair.destination)
      return
    } catch (error) {
      const code = error instanceof MigrationError ? error.context.sqlCode : undefined
      if (code !== 'ER_LOCK_WAIT_TIMEOUT' || attempt >= LOCK_RETRIES) throw error
      context.log.debug(`${pair.destination.name}: locked elsewhere, emptying it again (attempt ${attempt + 1})`)
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt))
    }
  }
}

function lookup(sql: {query(sql: string): Promise<Value[][]>}, prefix: string): LookupPort {
  return {query: (statement: string) => sql.query(statement), table: (document: string) => quoteIdentifier(`${prefix}${document}`)}
}
