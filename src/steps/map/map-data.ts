import pLimit from 'p-limit'
import type {LookupPort} from '../../../transforms/handler.js'
import {flagOption, resolveOptionFile} from '../../config/config-reader.js'
import type {DatabaseConfig} from '../../config/migration-config.js'
import {describeCause, MigrationError} from '../../errors.js'
import type {MapRules} from '../../config/map-rules.js'
import {quoteIdentifier} from '../../adapters/mysql/sql-text.js'
import {compileDocumentTransformer, type DocumentTransformer} from '../../pipeline/document-transformer.js'
import type {Value} from '../../pipeline/row.js'
import {type DatabaseSchema, pagingKey, type TableSchema} from '../../schema/table-schema.js'
import {SideRowBuffer} from '../../pipeline/side-rows.js'
import {copyDocument} from '../../transfer/document-copy.js'
import {bindHandlers} from '../handler-binding.js'
import type {RunContext, StageInstance} from '../run-context.js'
import {type DocumentPair, mappedDocuments, unavailableHandlers} from './map-documents.js'

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1'])

function sameServer(a: DatabaseConfig, b: DatabaseConfig): boolean {
  const host = (value: string) => (LOCAL_HOSTS.has(value) ? 'localhost' : value)
  return host(a.host) === host(b.host) && a.port === b.port
}

/**
 * Rows per read page: bulk_size, or when it is 0 about 2 MB worth of rows (10..5000). A page is
 * held up to four times per document (read, transformed, two being written), as JS values that
 * weigh several times their bytes: small pages keep memory flat, and bigger ones gain little.
 * Tables of very large rows get pages of a few rows, so that they too stay within memory.
 */
export function pageRows(table: TableSchema, bulkSize: number): number {
  if (bulkSize > 0) return bulkSize
  return Math.min(5000, Math.max(10, Math.floor((2 * 1024 * 1024) / Math.max(table.averageRowLength, 100))))
}

/**
 * The order documents start in when several run at once: the largest first (by the source's size
 * estimate), so that the longest one does not start last and run alone at the end. Documents of
 * unknown size keep their order, after the others.
 */
export function largestFirst<T extends {readonly pair: {readonly source: TableSchema}}>(jobs: readonly T[]): T[] {
  return jobs.map((job, at) => ({job, at, bytes: job.pair.source.dataBytes ?? 0}))
    .sort((a, b) => b.bytes - a.bytes || a.at - b.at)
    .map(({job}) => job)
}

/**
 * Map step, data stage: each document the map does not ignore is emptied in the destination, then
 * streamed from the source in key order through its field stages and written in batches. Several
 * documents run at once (p-limit). With direct_document_copy and no handler, a document is copied
 * by the server itself (INSERT … SELECT) when both databases share a server.
 */
export class MapData implements StageInstance {
  private directCopy: boolean

  constructor(private readonly context: RunContext, private readonly step = 'Map Step', private readonly mapOption = 'map_file') {
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
      jobs.push(await this.prepare(pair, rules, destination))
    }
    // An interruption before this stage (during the integrity checks) stops it before anything is emptied.
    if (context.signal.aborted) throw interrupted()
    // A document done in an earlier run is skipped; one in progress continues after its last
    // committed key; every other one is emptied first. Emptying is DDL (TRUNCATE): done one table
    // at a time before any insert starts, because InnoDB refuses DDL on a table while another
    // transaction holds locks on a table linked to it by a foreign key.
    const pending: Job[] = []
    const fresh: Job[] = []
    for (const job of jobs) {
      const saved = context.journal.document(this.step, 'data', job.pair.source.name)
      if (saved?.done) {
        context.log.debug(`${job.pair.source.name}: done in an earlier run`)
        continue
      }
      if (saved?.lastKey) {
        pending.push({...job, resumeAfter: saved.lastKey, rowsBefore: saved.rows})
        continue
      }
      fresh.push(job)
      pending.push(job)
    }
    // Documents that handlers add rows to are emptied with the documents that feed them, unless a
    // document that is done or resumes feeds them too (its rows there are committed and stay).
    const kept = new Set(jobs.filter((job) => !fresh.includes(job)).flatMap((job) => job.sideTables.map((table) => table.name)))
    const sideTables = new Map(fresh.flatMap((job) => job.sideTables).filter((table) => !kept.has(table.name)).map((table) => [table.name, table]))
    for (const table of sideTables.values()) await emptyDocument(context, table)
    for (const job of fresh) {
      await emptyDocument(context, job.pair.destination)
      await context.journal.startDocument(this.step, 'data', job.pair.source.name)
    }
    const limit = pLimit(context.tuning.documentConcurrency)
    const failures: unknown[] = []
    const queue = largestFirst(pending)
    const controller = new AbortController()
    const stop = () => controller.abort()
    // addEventListener never calls back for a signal aborted already (during the emptying above).
    if (context.signal.aborted) stop()
    else context.signal.addEventListener('abort', stop, {once: true})
    try {
      await Promise.all(queue.map((job) => limit(async () => {
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
    if (context.signal.aborted) throw interrupted()
    if (failures.length > 0) throw failures[0]
    return true
  }

  /** Creates the document's handlers (once), compiles its field stages, finds the documents its handlers add rows to. */
  private async prepare(pair: DocumentPair, rules: MapRules, destination: DatabaseSchema): Promise<Job> {
    const {context} = this
    const sideRows = new SideRowBuffer()
    const binding = {
      registry: context.handlers,
      mapFile: rules.file,
      log: context.log,
      // A side without a database (a dump, an SQL file) has no lookups: handlers that need them fail in create().
      source: context.source.sql && lookup(context.source.sql, context.source.config.prefix),
      destination: context.destination.sql && lookup(context.destination.sql, context.destination.config.prefix),
      options: context.config.options,
      resolveOptionFile: (option: string) => resolveOptionFile(context.config, option),
      recordKey: {source: pagingKey(pair.source), destination: pagingKey(pair.destination)},
      sideWriter: sideRows,
    }
    const sourceHandlers = await bindHandlers(pair.sourceHandlers, binding)
    const destinationHandlers = await bindHandlers(pair.destinationHandlers, binding)
    const sideTables: TableSchema[] = []
    for (const name of new Set([...sourceHandlers, ...destinationHandlers].flatMap((bound) => bound.sideDocuments ?? []))) {
      const table = destination.tables.get(name)
      if (!table) {
        throw new MigrationError('DOCUMENT_MISSING', `${pair.source.name}: a handler writes rows to ${name}, which the destination does not have`, {document: pair.source.name}, 'Check that the destination holds the Magento 2 schema the map was written for.')
      }
      sideTables.push(table)
    }
    const transformer = compileDocumentTransformer({rules, source: pair.source, destination: pair.destination, sourceHandlers, destinationHandlers})
    return {pair, transformer, sideRows, sideTables}
  }

  private async copy({pair, transformer, resumeAfter, rowsBefore, sideRows, sideTables}: Job, signal: AbortSignal): Promise<void> {
    const {context} = this
    const {source, destination} = pair
    const started = Date.now()
    const progress = {stage: context.journal.key(this.step, 'data'), document: source.name}
    context.log.debug(`migrating ${source.name}`)
    let rows: number
    if (this.directCopy && transformer.projection && !resumeAfter && await this.copyDirectly(pair, transformer.projection, transformer.destinationColumns, progress)) {
      rows = this.lastDirectRows
    } else {
      // A COUNT(*) of a big table costs seconds: only a progress bar needs it.
      const total = context.progress.showsBars ? await context.reader.count(source) : 0
      context.progress.start(source.name, total)
      context.progress.advance(source.name, rowsBefore ?? 0)
      try {
        const result = await copyDocument(
          context.reader.read(source, {pageSize: pageRows(source, context.tuning.bulkSize), afterKey: resumeAfter ?? undefined}),
          transformer,
          context.writer.sink(destination, transformer.destinationColumns, {progress, sideTables: new Map(sideTables.map((table) => [table.name, table]))}),
          {writesInFlight: context.tuning.writesInFlight, signal, document: source.name, step: this.step, afterKey: resumeAfter, sideRows, onProgress: (n) => context.progress.advance(source.name, n)},
        )
        rows = result.rowsWritten
      } finally {
        context.progress.finish(source.name)
      }
      if (signal.aborted) throw interrupted()
      await context.journal.finishDocument(this.step, 'data', source.name)
    }
    const seconds = (Date.now() - started) / 1000
    context.stats.documents++
    context.stats.rows += rows
    const target = destination.name === source.name ? '' : ` -> ${destination.name}`
    const resumed = resumeAfter ? `, resumed after ${rowsBefore ?? 0} rows done earlier` : ''
    context.log.info(`${source.name}${target}: ${rows} rows in ${seconds.toFixed(1)} s (${Math.round(rows / Math.max(seconds, 0.001))} rows/s${resumed})`)
  }

  private lastDirectRows = 0

  /** INSERT … SELECT on the server (one transaction, the document marked done in it); false, with the DMT's warning, when it cannot be done. */
  private async copyDirectly(pair: DocumentPair, projection: readonly string[], columns: readonly string[], progress: {stage: string; document: string}): Promise<boolean> {
    const {context} = this
    const sourceSide = context.source.config
    const destinationSide = context.destination.config
    if (sourceSide.kind !== 'database' || destinationSide.kind !== 'database') {
      this.directCopy = false
      context.log.warning(`Document ${pair.source.name} can not be copied directly because of error: source and destination are not both databases`)
      return false
    }
    const sourceDb = sourceSide.database
    const serverCopy = context.writer.serverCopy?.bind(context.writer)
    if (!serverCopy || !sameServer(sourceDb, destinationSide.database)) {
      this.directCopy = false
      context.log.warning(`Document ${pair.source.name} can not be copied directly because of error: source and destination are not on the same server`)
      return false
    }
    try {
      this.lastDirectRows = await serverCopy({sourceDatabase: sourceDb.name, source: pair.source, projection, destination: pair.destination, columns, progress})
      return true
    } catch (error) {
      this.directCopy = false
      context.log.warning(`Document ${pair.source.name} can not be copied directly because of error: ${describeCause(error instanceof MigrationError && error.cause !== undefined ? error.cause : error)}`)
      return false
    }
  }
}

function interrupted(): MigrationError {
  return new MigrationError('INTERRUPTED', 'Interrupted: the batches in flight were committed or rolled back, and the progress is saved', {}, 'Run the same command again to resume.')
}

interface Job {
  readonly pair: DocumentPair
  readonly transformer: DocumentTransformer
  /** Rows its handlers add to other documents, collected per batch. */
  readonly sideRows: SideRowBuffer
  /** The destination documents its handlers add rows to. */
  readonly sideTables: readonly TableSchema[]
  /** Continue after this key (a document an earlier run left in progress). */
  readonly resumeAfter?: readonly Value[]
  readonly rowsBefore?: number
}

const LOCK_RETRIES = 5

/** Empties a destination document, retrying a few times when a lock held elsewhere refuses it. */
async function emptyDocument(context: RunContext, table: TableSchema): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await context.writer.clear(table)
      return
    } catch (error) {
      const code = error instanceof MigrationError ? error.context.sqlCode : undefined
      if (code !== 'ER_LOCK_WAIT_TIMEOUT' || attempt >= LOCK_RETRIES) throw error
      context.log.debug(`${table.name}: locked elsewhere, emptying it again (attempt ${attempt + 1})`)
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt))
    }
  }
}

function lookup(sql: {query(sql: string): Promise<Value[][]>}, prefix: string): LookupPort {
  return {query: (statement: string) => sql.query(statement), table: (document: string) => quoteIdentifier(`${prefix}${document}`)}
}
