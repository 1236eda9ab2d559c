/**
 * `m2-migrate transform`: NDJSON rows of one source document on stdin, the mapped rows as NDJSON
 * on stdout. The document's field rules and handlers are those migrate:data applies. The columns
 * come from a schema file when the config names one for that side (a dump or an SQL file), else
 * from the first row (source) and from the map (destination: every mapped column, every column a
 * destination handler fills).
 */
import type {Readable, Writable} from 'node:stream'
import {HandlerRegistry} from '../../transforms/registry.js'
import {loadDumpSchema} from '../adapters/dump/dump-schema.js'
import {readJsonRows, type RowDecoder} from '../adapters/dump/json-row-reader.js'
import {FirstRowDecoder, SchemaRowDecoder} from '../adapters/dump/row-decoders.js'
import {readConfig, resolveOptionFile} from '../config/config-reader.js'
import {readMap} from '../config/map-reader.js'
import type {MapRules} from '../config/map-rules.js'
import type {MigrationConfig, ResourceConfig} from '../config/migration-config.js'
import {MigrationError} from '../errors.js'
import type {Logger} from '../log/logger.js'
import {type BoundHandler, compileDocumentTransformer, type DocumentTransformer} from '../pipeline/document-transformer.js'
import {type ColumnSchema, pagingKey, type TableSchema} from '../schema/table-schema.js'
import {bindHandlers, type BindingContext} from '../steps/handler-binding.js'
import {transformRows, type TransformStats} from '../transfer/ndjson-transform.js'

export interface TransformOptions {
  readonly mapFile: string
  /** The source document the rows belong to (its name in the map, e.g. sales_flat_order). */
  readonly document: string
  /** A config.xml, for handler options (class_map, crypt_key, …) and the schema files of file sides. */
  readonly configFile?: string
  readonly input: Readable
  readonly output: Writable
  readonly log: Logger
  readonly signal?: AbortSignal
  readonly handlers?: HandlerRegistry
}

/** A column known only by name: text, neither numeric nor binary. */
function untypedColumn(name: string): ColumnSchema {
  return {name, dataType: 'longtext', columnType: 'longtext', nullable: true, defaultValue: null, autoIncrement: false, binary: false, numeric: false}
}

function untypedTable(name: string, columns: readonly string[]): TableSchema {
  return {name, physicalName: name, columns: columns.map(untypedColumn), primaryKey: [], uniqueKeys: [], averageRowLength: 0}
}

/** The table a file side's schema file gives for a document, or undefined (a database side, no config). */
async function schemaTable(side: ResourceConfig | undefined, document: string): Promise<TableSchema | undefined> {
  if (!side || side.kind === 'database') return undefined
  const schema = await loadDumpSchema(side.schemaFile, {prefix: side.prefix})
  const table = schema.database.tables.get(document)
  if (!table) throw new MigrationError('DOCUMENT_MISSING', `${side.schemaFile}: has no table ${side.prefix}${document}`, {document}, 'Check --document and the map: the schema file names tables as the config\'s side has them.')
  return table
}

function binding(rules: MapRules, log: Logger, config: MigrationConfig | undefined, registry: HandlerRegistry, source: TableSchema, destination: TableSchema): BindingContext {
  return {
    registry,
    mapFile: rules.file,
    log,
    // No database on either side: handlers that need lookups fail in create(), saying so.
    options: config?.options ?? {},
    resolveOptionFile: (option: string) => {
      if (!config) throw new MigrationError('CONFIG_INVALID', `option <${option}> is needed, and no config.xml was given`, {}, 'Pass --config with a config.xml whose <options> set it.')
      return resolveOptionFile(config, option)
    },
    recordKey: {source: pagingKey(source), destination: pagingKey(destination)},
  }
}

/**
 * The destination as far as the map says: each mapped source column under its mapped name, then
 * the columns handlers fill. Used when no schema file describes the destination.
 */
function mappedDestination(rules: MapRules, document: string, target: string, source: TableSchema, sourceHandlers: readonly BoundHandler[]): TableSchema {
  const names: string[] = []
  const add = (name: string) => {
    if (!names.includes(name)) names.push(name)
  }
  for (const column of source.columns) {
    const mapped = rules.getFieldMap(document, column.name, 'source')
    if (mapped !== false) add(mapped)
  }
  for (const bound of sourceHandlers) for (const name of bound.writesOpposite ?? []) add(name)
  for (const config of rules.allHandlerConfigs('destination')) if (config.document === target) add(config.field)
  return untypedTable(target, names)
}

/** Reads rows from `input`, writes the mapped rows to `output`. */
export async function runTransform(options: TransformOptions): Promise<TransformStats> {
  const {log, document} = options
  const rules = await readMap(options.mapFile)
  const target = rules.getDocumentMap(document, 'source')
  if (target === false) throw new MigrationError('DOCUMENT_MISSING', `${rules.file}: the map ignores document ${document}: no row of it is migrated`, {document}, 'Name a document the map migrates.')
  const config = options.configFile ? await readConfig(options.configFile) : undefined
  const knownSource = await schemaTable(config?.source, document)
  const knownDestination = await schemaTable(config?.destination, target)
  const registry = options.handlers ?? new HandlerRegistry()
  const decoder: RowDecoder = knownSource ? new SchemaRowDecoder(knownSource) : new FirstRowDecoder()

  const prepare = async (): Promise<DocumentTransformer> => {
    const source = knownSource ?? untypedTable(document, (decoder as FirstRowDecoder).columns ?? [])
    const provisional = knownDestination ?? untypedTable(target, [])
    const sourceConfigs = source.columns.flatMap((column) => rules.getHandlerConfigs(document, column.name, 'source'))
    const sourceHandlers = await bindHandlers(sourceConfigs, binding(rules, log, config, registry, source, provisional))
    const destination = knownDestination ?? mappedDestination(rules, document, target, source, sourceHandlers)
    const destinationConfigs = destination.columns.flatMap((column) => rules.getHandlerConfigs(target, column.name, 'destination'))
    const destinationHandlers = await bindHandlers(destinationConfigs, binding(rules, log, config, registry, source, destination))
    const transformer = compileDocumentTransformer({rules, source, destination, sourceHandlers, destinationHandlers})
    log.debug(`${document} -> ${target}: columns ${transformer.destinationColumns.join(', ')}`)
    return transformer
  }

  const subject = {file: 'stdin', table: document}
  options.input.setEncoding('utf8')
  const chunks = readJsonRows(options.input as AsyncIterable<string>, 'ndjson', decoder, subject)
  const stats = await transformRows(chunks, prepare, options.output, subject, options.signal)
  log.info(`${document}${target === document ? '' : ` -> ${target}`}: ${stats.rowsRead} rows read, ${stats.rowsWritten} written, ${stats.rowsDropped} dropped`)
  return stats
}
