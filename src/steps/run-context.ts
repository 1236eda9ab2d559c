import type {HandlerRegistry} from '../../transforms/registry.js'
import type {DocumentReader, DocumentWriter} from '../adapters/document-port.js'
import type {SqlDatabase} from '../adapters/sql-port.js'
import type {MapRules} from '../config/map-rules.js'
import type {MigrationConfig, ResourceConfig, StageKind, StepConfig} from '../config/migration-config.js'
import type {Logger} from '../log/logger.js'
import type {ProgressDisplay} from '../log/progress-display.js'
import type {RunJournal} from '../progress/run-journal.js'
import type {DatabaseSchema} from '../schema/table-schema.js'

/** One side of the migration, as the steps see it. */
export interface Resource {
  readonly side: 'source' | 'destination'
  readonly config: ResourceConfig
  /**
   * The SQL connection pool, when the side is a database; steps that need SQL beyond reading and
   * writing documents use it. Absent for a dump or an SQL file: handlers then get no lookups.
   */
  readonly sql?: SqlDatabase
  /** Tables, columns and keys, read once per run and cached. */
  schema(): Promise<DatabaseSchema>
  /** Forgets the cached schema (after a step changed tables). */
  refreshSchema(): void
}

export interface Tuning {
  /** Documents copied at once. */
  readonly documentConcurrency: number
  /** Batches being written at once per document. */
  readonly writesInFlight: number
  /** The config's bulk_size (0 = automatic). */
  readonly bulkSize: number
  /** Read page size when bulk_size is 0 (rows). */
  readonly autoPageRows: number
}

export interface RunStats {
  documents: number
  rows: number
}

/** Everything a stage gets. Built once per run by the mode runner. */
export interface RunContext {
  readonly config: MigrationConfig
  readonly mode: string
  /** -a/--auto: integrity errors become warnings and the run goes on. */
  readonly auto: boolean
  readonly log: Logger
  readonly progress: ProgressDisplay
  readonly source: Resource
  readonly destination: Resource
  readonly reader: DocumentReader
  readonly writer: DocumentWriter
  readonly handlers: HandlerRegistry
  readonly signal: AbortSignal
  readonly tuning: Tuning
  readonly stats: RunStats
  /** What earlier runs finished, and where this run records what it finishes. */
  readonly journal: RunJournal
  /** A map file named by a config option, read once per run. */
  map(option: string): Promise<MapRules>
}

export interface StageInstance {
  /** True on success. Integrity stages report their findings through the log. */
  perform(): Promise<boolean>
}

/** A stage class of the DMT's config.xml that we implement. */
export interface StageDefinition {
  /** The class as config.xml names it, without a leading backslash. */
  readonly className: string
  /** The stage elements it may stand in (<integrity>, <data>, <volume>, <delta>). */
  readonly kinds: readonly StageKind[]
  create(context: RunContext, kind: StageKind, step: StepConfig): StageInstance
}
