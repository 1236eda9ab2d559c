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

/** A side that is a MySQL/MariaDB database: `<database …/>`, the DMT's only kind. */
export interface DatabaseResourceConfig {
  readonly kind: 'database'
  readonly database: DatabaseConfig
  /** `init_statements_source` / `init_statements_destination`, split on `;`. */
  readonly initStatements: readonly string[]
  /** `source_prefix` / `dest_prefix`. */
  readonly prefix: string
}

/**
 * A dump folder: one JSON file per table and a schema file (docs/dump-format.md). As a source,
 * `<dump path="…"/>` reads it; as a destination, `<dump path="…" schema="…"/>` writes it.
 */
export interface DumpResourceConfig {
  readonly kind: 'dump'
  /** Absolute path of the folder. */
  readonly folder: string
  /** Absolute path of the schema file: `schema="…"`, or `<folder>/schema.json` for a source. */
  readonly schemaFile: string
  readonly prefix: string
  /** `file:line:column` of the element, for error messages. */
  readonly at: string
}

/** An SQL file written for `mariadb db < file.sql`: `<sql_file path="…" schema="…" create_tables="0|1"/>`. */
export interface SqlFileResourceConfig {
  readonly kind: 'sql_file'
  /** Absolute path of the file written. */
  readonly file: string
  /** Absolute path of the destination's schema file. */
  readonly schemaFile: string
  /** Drop and create each table written (from the schema file's `create` statements) instead of emptying it. */
  readonly createTables: boolean
  readonly prefix: string
  readonly at: string
}

/** One side of the migration, by kind. The DMT's configs only ever hold `database`. */
export type ResourceConfig = DatabaseResourceConfig | DumpResourceConfig | SqlFileResourceConfig
export type SourceConfig = DatabaseResourceConfig | DumpResourceConfig
export type DestinationConfig = ResourceConfig

export interface MigrationConfig {
  /** Absolute path of config.xml. */
  readonly file: string
  /** mode → steps, in file order. */
  readonly modes: ReadonlyMap<string, readonly StepConfig[]>
  readonly source: SourceConfig
  readonly destination: DestinationConfig
  /** Every element under `<options>`, as trimmed text. */
  readonly options: Readonly<Record<string, string>>
}

/** What a side is, for logs and errors: `user@host:port/name` (never the password) or the file's path. */
export function describeResource(resource: ResourceConfig): string {
  switch (resource.kind) {
    case 'database': return describeDatabase(resource.database)
    case 'dump': return `dump ${resource.folder}`
    case 'sql_file': return `SQL file ${resource.file}`
  }
}

/** A database's description for logs and errors: never includes the password. */
export function describeDatabase(database: DatabaseConfig): string {
  return `${database.user}@${database.host}:${database.port}/${database.name}`
}
