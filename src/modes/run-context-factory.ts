import {readFileSync} from 'node:fs'
import {resolve} from 'node:path'
import {HandlerRegistry} from '../../transforms/registry.js'
import {MysqlBatchWriter} from '../adapters/mysql/batch-writer.js'
import {MysqlDatabase} from '../adapters/mysql/mysql-database.js'
import {introspectMysql} from '../adapters/mysql/mysql-introspector.js'
import {MysqlProgressStore} from '../adapters/mysql/mysql-progress-store.js'
import {MysqlSource} from '../adapters/mysql/mysql-source.js'
import {resolveNearConfig} from '../config/path-resolver.js'
import {fingerprintOf, PROGRESS_TABLE} from '../progress/progress-store.js'
import {RunJournal} from '../progress/run-journal.js'
import {flagOption, intOption, resolveOptionFile} from '../config/config-reader.js'
import type {MapRules} from '../config/map-rules.js'
import {readMap} from '../config/map-reader.js'
import type {MigrationConfig, ResourceConfig} from '../config/migration-config.js'
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

/** Defaults that suit a 2-core machine: two documents at once, two batches in flight each. */
export function defaultTuning(config: MigrationConfig): Tuning {
  return {documentConcurrency: 2, writesInFlight: 2, bulkSize: Math.max(0, intOption(config, 'bulk_size', 0)), autoPageRows: 0}
}

/** Tables the tool keeps for itself; integrity and volume checks never see them. */
const OWN_TABLES = new Set([PROGRESS_TABLE])

function withoutOwnTables(schema: DatabaseSchema): DatabaseSchema {
  const tables = new Map([...schema.tables].filter(([name, table]) => !OWN_TABLES.has(table.physicalName) && !OWN_TABLES.has(name)))
  return {documents: schema.documents.filter((name) => tables.has(name)), tables}
}

function resource(side: 'source' | 'destination', config: ResourceConfig, sql: MysqlDatabase): Resource {
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

export interface OpenedContext {
  readonly context: RunContext
  close(): Promise<void>
}

/** Opens both databases (checking that they answer) and builds the context every stage gets. */
export async function openRunContext(options: ContextOptions): Promise<OpenedContext> {
  const {config, log} = options
  const tuning = {...defaultTuning(config), ...options.tuning}
  const sourceDb = await MysqlDatabase.open(config.source, 'source', {connectionLimit: tuning.documentConcurrency + 2})
  let destinationDb: MysqlDatabase
  try {
    destinationDb = await MysqlDatabase.open(config.destination, 'destination', {connectionLimit: tuning.documentConcurrency * tuning.writesInFlight + 2, strict: flagOption(config, 'strict_mode')})
  } catch (error) {
    await sourceDb.close()
    throw error
  }
  const budget = await MysqlBatchWriter.statementBudget(destinationDb)
  const progressStore = new MysqlProgressStore(destinationDb)
  let journal: RunJournal
  try {
    journal = await RunJournal.open(progressStore, {mode: options.mode, reset: options.reset ?? false, fingerprint: configFingerprint(config)})
  } catch (error) {
    await Promise.allSettled([sourceDb.close(), destinationDb.close()])
    throw error
  }
  const maps = new Map<string, Promise<MapRules>>()
  const context: RunContext = {
    config,
    mode: options.mode,
    auto: options.auto,
    log,
    progress: options.progress,
    source: resource('source', config.source, sourceDb),
    destination: resource('destination', config.destination, destinationDb),
    reader: new MysqlSource(sourceDb, (table) => log.info(`${table.name} has no primary or unique NOT NULL key: it is read in one ordered stream`)),
    writer: new MysqlBatchWriter(destinationDb, {bulkSize: tuning.bulkSize, maxStatementBytes: budget, onWarnings: warningReporter(log), progress: progressStore, log: (message) => log.warning(message)}),
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
    async close() {
      await Promise.allSettled([sourceDb.close(), destinationDb.close()])
    },
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
