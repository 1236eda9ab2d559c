import {existsSync, readFileSync} from 'node:fs'
import {stat} from 'node:fs/promises'
import {basename, resolve} from 'node:path'
import {HandlerRegistry} from '../../transforms/registry.js'
import type {DocumentReader, DocumentWriter, FileOutputWriter} from '../adapters/document-port.js'
import {loadDumpSchema} from '../adapters/dump/dump-schema.js'
import {DumpSource} from '../adapters/dump/ndjson-source.js'
import {DumpWriter} from '../adapters/dump/ndjson-writer.js'
import {MysqlBatchWriter} from '../adapters/mysql/batch-writer.js'
import {MysqlDatabase} from '../adapters/mysql/mysql-database.js'
import {introspectMysql} from '../adapters/mysql/mysql-introspector.js'
import {MysqlProgressStore} from '../adapters/mysql/mysql-progress-store.js'
import {MysqlSource} from '../adapters/mysql/mysql-source.js'
import {SqlFileWriter} from '../adapters/sql-file/sql-file-writer.js'
import {resolveNearConfig} from '../config/path-resolver.js'
import {MigrationError} from '../errors.js'
import {MemoryProgressStore} from '../progress/memory-progress-store.js'
import type {ProgressStore} from '../progress/progress-store.js'
import {fingerprintOf, PROGRESS_TABLE} from '../progress/progress-store.js'
import {RunJournal} from '../progress/run-journal.js'
import {flagOption, intOption, resolveOptionFile} from '../config/config-reader.js'
import type {MapRules} from '../config/map-rules.js'
import {readMap} from '../config/map-reader.js'
import {type DatabaseResourceConfig, describeResource, type DumpResourceConfig, type MigrationConfig, type SqlFileResourceConfig} from '../config/migration-config.js'
import type {Logger} from '../log/logger.js'
import type {ProgressDisplay} from '../log/progress-display.js'
import type {DatabaseSchema} from '../schema/table-schema.js'
import type {Resource, RunContext, Tuning} from '../steps/run-context.js'

export interface ContextOptions {
  readonly config: MigrationConfig
  readonly mode: string
  readonly auto: boolean
  readonly log: Logger
  readonly progress: ProgressDisplay
  readonly signal: AbortSignal
  readonly tuning?: Partial<Tuning>
  readonly handlers?: HandlerRegistry
  /** --reset: forget the saved progress before anything runs. */
  readonly reset?: boolean
}

/**
 * Defaults that suit a 2-core machine: two documents at once, two batches in flight each. A file
 * destination is written one document at a time, so that its tables follow one another.
 */
export function defaultTuning(config: MigrationConfig): Tuning {
  const documentConcurrency = config.destination.kind === 'database' ? 2 : 1
  return {documentConcurrency, writesInFlight: 2, bulkSize: Math.max(0, intOption(config, 'bulk_size', 0)), autoPageRows: 0}
}

/** Tables the tool keeps for itself; integrity and volume checks never see them. */
const OWN_TABLES = new Set([PROGRESS_TABLE])

function withoutOwnTables(schema: DatabaseSchema): DatabaseSchema {
  const tables = new Map([...schema.tables].filter(([name, table]) => !OWN_TABLES.has(table.physicalName) && !OWN_TABLES.has(name)))
  return {documents: schema.documents.filter((name) => tables.has(name)), tables}
}

function resource(side: 'source' | 'destination', config: DatabaseResourceConfig, sql: MysqlDatabase): Resource {
  let cached: Promise<DatabaseSchema> | undefined
  return {
    side,
    config,
    sql,
    schema: () => (cached ??= introspectMysql(sql, config.prefix).then(side === 'destination' ? withoutOwnTables : (schema) => schema)),
    refreshSchema: () => {
      cached = undefined
    },
  }
}

/** A side that is a file: its schema comes from a schema file, read (and checked) once when the run opens. */
function fileResource(side: 'source' | 'destination', config: DumpResourceConfig | SqlFileResourceConfig, schema: DatabaseSchema): Resource {
  return {side, config, schema: async () => schema, refreshSchema: () => undefined}
}

export interface OpenedContext {
  readonly context: RunContext
  /** Puts a file destination in place (renamed from its temporary name); call once the run succeeded. */
  complete(): Promise<void>
  /** Closes the databases, and discards a file destination that was not completed. */
  close(): Promise<void>
}

interface OpenedSource {
  readonly resource: Resource
  readonly reader: DocumentReader
  close(): Promise<void>
}

interface OpenedDestination {
  readonly resource: Resource
  readonly writer: DocumentWriter
  readonly progressStore: ProgressStore
  /** The file or folder written, when the destination is one. */
  readonly output?: FileOutputWriter
  close(): Promise<void>
}

async function requireFolder(config: DumpResourceConfig): Promise<void> {
  try {
    if ((await stat(config.folder)).isDirectory()) return
  } catch {
    // reported below
  }
  throw new MigrationError('DUMP_INVALID', `${config.at}: <dump path="…">: ${config.folder} is not a folder`, {file: config.folder}, 'Relative paths in config.xml are relative to its folder; `m2-migrate export` writes a dump folder from a live database.')
}

async function openSource(config: MigrationConfig, tuning: Tuning, log: Logger): Promise<OpenedSource> {
  const side = config.source
  if (side.kind === 'dump') {
    await requireFolder(side)
    const dump = await loadDumpSchema(side.schemaFile, {prefix: side.prefix, dataFolder: side.folder})
    log.debug(`source: dump ${side.folder}, ${dump.database.documents.length} tables (schema ${side.schemaFile})`)
    return {resource: fileResource('source', side, dump.database), reader: new DumpSource(dump), close: async () => undefined}
  }
  const sourceDb = await MysqlDatabase.open(side, 'source', {connectionLimit: tuning.documentConcurrency + 2})
  return {
    resource: resource('source', side, sourceDb),
    reader: new MysqlSource(sourceDb, (table) => log.info(`${table.name} has no primary or unique NOT NULL key: it is read in one ordered stream`)),
    close: () => sourceDb.close(),
  }
}

/**
 * Rows go in with LOAD DATA LOCAL INFILE when the server allows it (local_infile ON) and the
 * `load_data_local` option is not 0; else as multi-row INSERTs. The results are the same.
 */
async function useLoadData(config: MigrationConfig, database: MysqlDatabase, log: Logger): Promise<boolean> {
  if (config.options.load_data_local !== undefined && !flagOption(config, 'load_data_local')) {
    log.debug('destination: rows are written as INSERT statements (load_data_local is off)')
    return false
  }
  const accepted = await MysqlBatchWriter.acceptsLoadData(database)
  log.debug(accepted ? 'destination: rows are written with LOAD DATA LOCAL INFILE' : 'destination: the server has local_infile OFF: rows are written as INSERT statements')
  return accepted
}

async function openDestination(config: MigrationConfig, tuning: Tuning, log: Logger): Promise<OpenedDestination> {
  const side = config.destination
  if (side.kind === 'database') {
    const strict = flagOption(config, 'strict_mode')
    const destinationDb = await MysqlDatabase.open(side, 'destination', {connectionLimit: tuning.documentConcurrency * tuning.writesInFlight + 2, strict})
    try {
      const budget = await MysqlBatchWriter.statementBudget(destinationDb)
      const progressStore = new MysqlProgressStore(destinationDb)
      const loadData = await useLoadData(config, destinationDb, log)
      return {
        resource: resource('destination', side, destinationDb),
        writer: new MysqlBatchWriter(destinationDb, {bulkSize: tuning.bulkSize, maxStatementBytes: budget, onWarnings: warningReporter(log), progress: progressStore, log: (message) => log.warning(message), loadData, strict}),
        progressStore,
        close: () => destinationDb.close(),
      }
    } catch (error) {
      await destinationDb.close()
      throw error
    }
  }
  const dump = await loadDumpSchema(side.schemaFile, {prefix: side.prefix})
  const createStatements = new Map([...dump.tables.values()].flatMap((table) => (table.create === undefined ? [] : [[table.schema.physicalName, table.create] as const])))
  const output: FileOutputWriter = side.kind === 'sql_file'
    ? await SqlFileWriter.open(side.file, {
      bulkSize: tuning.bulkSize,
      strict: flagOption(config, 'strict_mode'),
      createTables: side.createTables,
      createStatements,
      comments: [`Written by m2-migrate migrate:data from ${config.file}`, `Destination schema: ${side.schemaFile}`, `Load it with: mariadb <database> < ${basename(side.file)}`],
    })
    : await DumpWriter.open(side.folder, {createStatements})
  return {
    resource: fileResource('destination', side, dump.database),
    writer: output,
    output,
    progressStore: new MemoryProgressStore(),
    close: () => output.discard(),
  }
}

/** Opens both sides (checking that databases answer and dumps are whole) and builds the context every stage gets. */
export async function openRunContext(options: ContextOptions): Promise<OpenedContext> {
  const {config, log} = options
  const tuning = {...defaultTuning(config), ...options.tuning}
  const source = await openSource(config, tuning, log)
  let destination: OpenedDestination
  try {
    destination = await openDestination(config, tuning, log)
  } catch (error) {
    await source.close()
    throw error
  }
  let completed = false
  const closeBoth = async () => {
    // A file destination not completed is discarded: nothing half-written stays behind.
    await Promise.allSettled([source.close(), completed ? Promise.resolve() : destination.close()])
  }
  let journal: RunJournal
  try {
    journal = await RunJournal.open(destination.progressStore, {mode: options.mode, reset: options.reset ?? false, fingerprint: configFingerprint(config)})
  } catch (error) {
    await closeBoth()
    throw error
  }
  const maps = new Map<string, Promise<MapRules>>()
  const context: RunContext = {
    config,
    mode: options.mode,
    auto: options.auto,
    log,
    progress: options.progress,
    source: source.resource,
    destination: destination.resource,
    reader: source.reader,
    writer: destination.writer,
    handlers: options.handlers ?? new HandlerRegistry(),
    signal: options.signal,
    tuning,
    stats: {documents: 0, rows: 0},
    journal,
    map(option: string) {
      let rules = maps.get(option)
      if (!rules) {
        rules = readMap(resolveOptionFile(config, option))
        maps.set(option, rules)
      }
      return rules
    },
  }
  return {
    context,
    async complete() {
      if (!destination.output || completed) return
      await destination.output.complete()
      completed = true
      log.info(`Wrote ${describeResource(config.destination)}`)
    },
    close: closeBoth,
  }
}

/**
 * Logs each distinct server warning once per document ("at row N" folded away), so a store with
 * a million truncated values gets one line, not a million.
 */
export function warningReporter(log: Logger): (document: string, messages: readonly string[]) => void {
  const seen = new Set<string>()
  return (document, messages) => {
    for (const message of messages) {
      const key = `${document}\0${message.replace(/ at row \d+$/, '')}`
      if (seen.has(key)) continue
      seen.add(key)
      log.warning(`${document}: the server warned on insert: ${message.replace(/ at row \d+$/, '')} (later repeats are not logged)`)
    }
  }
}

/**
 * What decides a migration's result: config.xml's text and the text of every file its options
 * name. Saved with the progress; a rerun with other files refuses to resume.
 */
export function configFingerprint(config: MigrationConfig): string {
  const texts = [readFileSync(config.file, 'utf8')]
  // A dump source's schema decides what is read; its data files are too large to hash on every run.
  if (config.source.kind === 'dump' && existsSync(config.source.schemaFile)) texts.push(`source schema\n${readFileSync(config.source.schemaFile, 'utf8')}`)
  for (const [option, value] of Object.entries(config.options).sort(([a], [b]) => a.localeCompare(b))) {
    if (!/\.(xml|dist)$/.test(value)) continue
    const {path} = resolveNearConfig(value, config.file)
    if (path) texts.push(`${option}\n${readFileSync(path, 'utf8')}`)
  }
  return fingerprintOf(texts)
}

/** log_file, resolved against the current folder (where the operator runs the command). */
export function logFilePath(config: MigrationConfig): string | undefined {
  const value = config.options.log_file
  return value ? resolve(value) : undefined
}
