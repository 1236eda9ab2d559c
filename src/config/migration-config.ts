/**
 * The typed, frozen result of reading config.xml. Nothing here does I/O.
 */
export type StageKind = 'integrity' | 'data' | 'volume' | 'delta'
export const STAGE_KINDS: readonly StageKind[] = ['integrity', 'data', 'volume', 'delta']

export interface StageConfig {
  readonly kind: StageKind
  /** The PHP class name as written, e.g. `Migration\Step\Map\Data`. */
  readonly className: string
  /** `file:line:column` of the element, for error messages. */
  readonly at: string
}

export interface StepConfig {
  readonly title: string
  readonly stages: readonly StageConfig[]
  readonly at: string
}

export interface DatabaseConfig {
  readonly host: string
  readonly port: number
  readonly name: string
  readonly user: string
  /** Never logged, never put in an error. */
  readonly password: string
  readonly sslCa?: string
  readonly sslCert?: string
  readonly sslKey?: string
}

export interface ResourceConfig {
  readonly kind: 'database'
  readonly database: DatabaseConfig
  /** `init_statements_source` / `init_statements_destination`, split on `;`. */
  readonly initStatements: readonly string[]
  /** `source_prefix` / `dest_prefix`. */
  readonly prefix: string
}

export interface MigrationConfig {
  /** Absolute path of config.xml. */
  readonly file: string
  /** mode → steps, in file order. */
  readonly modes: ReadonlyMap<string, readonly StepConfig[]>
  readonly source: ResourceConfig
  readonly destination: ResourceConfig
  /** Every element under `<options>`, as trimmed text. */
  readonly options: Readonly<Record<string, string>>
}

/** A database's description for logs and errors: never includes the password. */
export function describeDatabase(database: DatabaseConfig): string {
  return `${database.user}@${database.host}:${database.port}/${database.name}`
}
