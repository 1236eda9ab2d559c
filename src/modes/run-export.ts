/**
 * `m2-migrate export`: one side of a config (a live database) written to the dump format, table
 * by table in key order, streaming: memory holds one page, whatever the table's size. With
 * --schema-only, only schema.json (a destination's schema for an SQL-file or dump destination).
 */
import {DumpWriter, SCHEMA_FILE} from '../adapters/dump/ndjson-writer.js'
import {AtomicFolder, endStream, openWriteStream, writeText} from '../adapters/dump/atomic-output.js'
import {formatDumpSchema} from '../adapters/dump/dump-schema.js'
import {MysqlDatabase} from '../adapters/mysql/mysql-database.js'
import {introspectMysql} from '../adapters/mysql/mysql-introspector.js'
import {MysqlSource} from '../adapters/mysql/mysql-source.js'
import {quoteIdentifier} from '../adapters/mysql/sql-text.js'
import type {SqlDatabase} from '../adapters/sql-port.js'
import {readConfig} from '../config/config-reader.js'
import {describeResource} from '../config/migration-config.js'
import {MigrationError} from '../errors.js'
import type {Logger} from '../log/logger.js'
import {PROGRESS_TABLE} from '../progress/progress-store.js'
import type {DatabaseSchema, TableSchema} from '../schema/table-schema.js'
import {pageRows} from '../steps/map/map-data.js'

export interface ExportOptions {
  readonly configFile: string
  readonly side: 'source' | 'destination'
  /** The dump folder to write (replaced when it is an earlier dump). */
  readonly out: string
  readonly schemaOnly?: boolean
  readonly log: Logger
  readonly signal?: AbortSignal
}

export interface ExportResult {
  readonly tables: number
  readonly rows: number
}

/** SHOW CREATE TABLE's statement without the AUTO_INCREMENT counter, which is data, not schema. */
export function createStatementOf(text: string): string {
  return text.replace(/ AUTO_INCREMENT=\d+/, '')
}

async function createStatements(database: SqlDatabase, schema: DatabaseSchema): Promise<Map<string, string>> {
  const statements = new Map<string, string>()
  for (const table of schema.tables.values()) {
    const [[, create]] = await database.query(`SHOW CREATE TABLE ${quoteIdentifier(table.physicalName)}`)
    statements.set(table.physicalName, createStatementOf(Buffer.isBuffer(create) ? create.toString('utf8') : String(create)))
  }
  return statements
}

function interrupted(): MigrationError {
  return new MigrationError('INTERRUPTED', 'Interrupted: nothing was written to the output folder', {}, 'Run the same command again.')
}

/** Writes the side's database to a dump folder; the folder appears only when complete. */
export async function runExport(options: ExportOptions): Promise<ExportResult> {
  const {log} = options
  const config = await readConfig(options.configFile)
  const side = config[options.side]
  if (side.kind !== 'database') {
    throw new MigrationError('CONFIG_INVALID', `${config.file}: the ${options.side} is ${describeResource(side)}; export reads a live database`, {file: config.file}, `Give a config.xml whose <${options.side}> holds a <database> element.`)
  }
  const database = await MysqlDatabase.open(side, options.side, {connectionLimit: 2})
  try {
    const introspected = await introspectMysql(database, side.prefix)
    // Our own progress table is not part of the store.
    const tables = [...introspected.tables.values()].filter((table) => table.physicalName !== PROGRESS_TABLE)
    const creates = await createStatements(database, {documents: introspected.documents, tables: new Map(tables.map((table) => [table.name, table]))})
    log.info(`${describeResource(side)}: ${tables.length} tables`)
    if (options.schemaOnly) {
      const folder = await AtomicFolder.create(options.out)
      try {
        const stream = await openWriteStream(folder.file(SCHEMA_FILE))
        await writeText(stream, formatDumpSchema(tables.map((table) => ({table, create: creates.get(table.physicalName)}))))
        await endStream(stream)
        await folder.commit()
      } catch (error) {
        await folder.discard()
        throw error
      }
      log.info(`Wrote the schema of ${tables.length} tables to ${options.out}/${SCHEMA_FILE}`)
      return {tables: tables.length, rows: 0}
    }
    const writer = await DumpWriter.open(options.out, {createStatements: creates})
    try {
      const reader = new MysqlSource(database)
      let rows = 0
      for (const table of tables) {
        if (options.signal?.aborted) throw interrupted()
        rows += await exportTable(reader, writer, table, options)
      }
      if (options.signal?.aborted) throw interrupted()
      await writer.complete()
      log.info(`Wrote ${tables.length} tables, ${rows} rows to ${options.out}`)
      return {tables: tables.length, rows}
    } catch (error) {
      await writer.discard()
      throw error
    }
  } finally {
    await database.close()
  }
}

/** One table, page by page in key order: each page is written (with backpressure) before the next is read. */
async function exportTable(reader: MysqlSource, writer: DumpWriter, table: TableSchema, options: ExportOptions): Promise<number> {
  await writer.clear(table)
  const sink = writer.sink(table, table.columns.map((column) => column.name))
  let rows = 0
  for await (const batch of reader.read(table, {pageSize: pageRows(table, 0)})) {
    await sink.write(batch.rows)
    rows += batch.rows.length
    if (options.signal?.aborted) break
  }
  options.log.debug(`${table.physicalName}: ${rows} rows`)
  return rows
}
