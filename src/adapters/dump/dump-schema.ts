/**
 * The schema file of a dump (docs/dump-format.md): tables, columns, types and keys, as the
 * migration's integrity, data and volume stages need them, plus what the SQL file writer may use
 * (each table's CREATE TABLE). Read whole (it is small) and checked field by field; written by
 * `export` and by the dump writer.
 */
import {access, readFile} from 'node:fs/promises'
import {join, resolve} from 'node:path'
import {none} from 'stream-chain/defs.js'
import {jsonParser} from 'stream-json/core/parser.js'
import {MigrationError} from '../../errors.js'
import {type ColumnSchema, type DatabaseSchema, isBinaryType, isNumericType, type TableSchema} from '../../schema/table-schema.js'
import type {DumpFileFormat} from './json-row-reader.js'

export const DUMP_SCHEMA_FORMAT = 'm2-migrate-dump'
export const DUMP_SCHEMA_VERSION = 1

/** A table of a dump: its schema and, for a dump that is read, its data file. */
export interface DumpTable {
  readonly schema: TableSchema
  /** `CREATE TABLE …` as SHOW CREATE TABLE printed it (without AUTO_INCREMENT=n), when known. */
  readonly create?: string
  /** Rows the file held when it was written (informational). */
  readonly rows?: number
  /** The data file (absolute), for a dump that is read. */
  readonly dataFile?: DataFile
}

export interface DataFile {
  readonly path: string
  readonly format: DumpFileFormat
  readonly gzip: boolean
}

export interface DumpSchema {
  /** The schema file, absolute. */
  readonly file: string
  /** Tables under their document names (without the side's prefix), as the steps see them. */
  readonly database: DatabaseSchema
  /** By document name. */
  readonly tables: ReadonlyMap<string, DumpTable>
}

export interface LoadOptions {
  /** Only tables whose names start with it are documents, named without it (source_prefix / dest_prefix). */
  readonly prefix?: string
  /** The folder whose data files are read: each document's file must exist there. */
  readonly dataFolder?: string
}

const HINT = 'See docs/dump-format.md for the schema file\'s format; `m2-migrate export <config.xml> --side … --out DIR` writes one from a live database.'

function invalid(file: string, message: string, hint = HINT): MigrationError {
  return new MigrationError('DUMP_INVALID', `${file}: ${message}`, {file}, hint)
}

/**
 * The line where JSON text stops being valid (JSON.parse does not always say where): the text is
 * given to stream-json's tokenizer a line at a time until it refuses one.
 */
export function invalidJsonLine(text: string): number {
  const tokenize = jsonParser() as unknown as (text: string | typeof none) => unknown
  const lines = text.split('\n')
  for (let at = 0; at < lines.length; at++) {
    try {
      tokenize(at < lines.length - 1 ? `${lines[at]}\n` : lines[at])
    } catch {
      return at + 1
    }
  }
  return lines.length
}

type Json = Record<string, unknown>

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function stringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string' && item !== '')
}

/** `int(10) unsigned` → `int`; `enum('a','b')` → `enum`. */
export function dataTypeOf(columnType: string): string | undefined {
  return /^\s*([a-zA-Z]+)/.exec(columnType)?.[1].toLowerCase()
}

function readColumn(file: string, table: string, value: unknown, at: number): ColumnSchema {
  const where = `table ${table}: column ${at + 1}`
  if (!isObject(value)) throw invalid(file, `${where} must be an object {"name", "type", …}`)
  const {name, type, nullable, default: defaultValue, auto_increment: autoIncrement} = value
  if (typeof name !== 'string' || name === '') throw invalid(file, `${where} needs a "name" (a non-empty string)`)
  if (typeof type !== 'string' || !dataTypeOf(type)) throw invalid(file, `${where} (${name}) needs a "type" as information_schema's COLUMN_TYPE prints it, e.g. "int(10) unsigned" or "varchar(255)"`)
  if (nullable !== undefined && typeof nullable !== 'boolean') throw invalid(file, `${where} (${name}): "nullable" must be true or false`)
  if (defaultValue !== undefined && defaultValue !== null && typeof defaultValue !== 'string') throw invalid(file, `${where} (${name}): "default" must be a string (as information_schema prints it) or null`)
  if (autoIncrement !== undefined && typeof autoIncrement !== 'boolean') throw invalid(file, `${where} (${name}): "auto_increment" must be true or false`)
  const dataType = dataTypeOf(type)!
  return Object.freeze({
    name,
    dataType,
    columnType: type,
    nullable: nullable ?? true,
    defaultValue: defaultValue ?? null,
    autoIncrement: autoIncrement ?? false,
    binary: isBinaryType(dataType),
    numeric: isNumericType(dataType),
  })
}

interface ParsedTable {
  readonly physicalName: string
  readonly columns: readonly ColumnSchema[]
  readonly primaryKey: readonly string[]
  readonly uniqueKeys: readonly (readonly string[])[]
  readonly averageRowLength: number
  readonly create?: string
  readonly rows?: number
  readonly file?: string
}

function readTable(file: string, value: unknown, at: number): ParsedTable {
  if (!isObject(value)) throw invalid(file, `tables[${at}] must be an object {"name", "columns", …}`)
  const name = value.name
  if (typeof name !== 'string' || name === '') throw invalid(file, `tables[${at}] needs a "name" (the table's name, prefix included)`)
  if (!Array.isArray(value.columns) || value.columns.length === 0) throw invalid(file, `table ${name}: "columns" must be a non-empty array`)
  const columns = value.columns.map((column, index) => readColumn(file, name, column, index))
  const names = new Set<string>()
  for (const column of columns) {
    if (names.has(column.name)) throw invalid(file, `table ${name}: column ${column.name} is listed twice`)
    names.add(column.name)
  }
  const keyOf = (key: unknown, label: string): string[] => {
    if (!stringList(key)) throw invalid(file, `table ${name}: ${label} must be an array of column names`)
    const unknown = key.find((column) => !names.has(column))
    if (unknown !== undefined) throw invalid(file, `table ${name}: ${label} names column ${unknown}, which the table does not have`)
    return key
  }
  const primaryKey = value.primary_key === undefined ? [] : keyOf(value.primary_key, '"primary_key"')
  if (value.unique_keys !== undefined && !Array.isArray(value.unique_keys)) throw invalid(file, `table ${name}: "unique_keys" must be an array of keys, each an array of column names`)
  const uniqueKeys = ((value.unique_keys as unknown[] | undefined) ?? []).map((key, index) => Object.freeze(keyOf(key, `unique_keys[${index}]`)))
  const numberField = (field: string): number | undefined => {
    const raw = value[field]
    if (raw === undefined) return undefined
    if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < 0) throw invalid(file, `table ${name}: "${field}" must be a whole number`)
    return raw
  }
  for (const field of ['create', 'file'] as const) {
    if (value[field] !== undefined && typeof value[field] !== 'string') throw invalid(file, `table ${name}: "${field}" must be a string`)
  }
  return {
    physicalName: name,
    columns: Object.freeze(columns),
    primaryKey: Object.freeze(primaryKey),
    uniqueKeys: Object.freeze(uniqueKeys),
    averageRowLength: numberField('avg_row_length') ?? 0,
    rows: numberField('rows'),
    create: value.create as string | undefined,
    file: value.file as string | undefined,
  }
}

/** Parses and checks a schema file's text; `file` names it in errors. */
export function parseDumpSchema(text: string, file: string): ParsedTable[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    throw invalid(`${file}:${invalidJsonLine(text)}`, `not valid JSON: ${(error as Error).message}`)
  }
  if (!isObject(parsed)) throw invalid(file, `the schema file must be a JSON object {"format": "${DUMP_SCHEMA_FORMAT}", "version": 1, "tables": […]}`)
  if (parsed.format !== DUMP_SCHEMA_FORMAT) throw invalid(file, `"format" must be "${DUMP_SCHEMA_FORMAT}", got ${JSON.stringify(parsed.format)}`)
  if (parsed.version !== DUMP_SCHEMA_VERSION) throw invalid(file, `"version" ${JSON.stringify(parsed.version)} is not one this m2-migrate reads (it reads ${DUMP_SCHEMA_VERSION})`)
  if (!Array.isArray(parsed.tables)) throw invalid(file, '"tables" must be an array')
  const tables = parsed.tables.map((table, at) => readTable(file, table, at))
  const seen = new Set<string>()
  for (const table of tables) {
    if (seen.has(table.physicalName)) throw invalid(file, `table ${table.physicalName} is listed twice`)
    seen.add(table.physicalName)
  }
  return tables
}

const DATA_FILE_SUFFIXES: readonly [string, DumpFileFormat, boolean][] = [
  ['.ndjson', 'ndjson', false],
  ['.jsonl', 'ndjson', false],
  ['.json', 'json', false],
  ['.ndjson.gz', 'ndjson', true],
  ['.jsonl.gz', 'ndjson', true],
  ['.json.gz', 'json', true],
]

/** The format a data file's name says: `.ndjson`/`.jsonl` (one row per line) or `.json` (one array), optionally `.gz`. */
export function dataFileFormat(path: string): {format: DumpFileFormat; gzip: boolean} | undefined {
  const match = DATA_FILE_SUFFIXES.find(([suffix]) => path.endsWith(suffix))
  return match && {format: match[1], gzip: match[2]}
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path)
    return true
  } catch {
    return false
  }
}

async function findDataFile(schemaFile: string, folder: string, table: ParsedTable): Promise<DataFile> {
  if (table.file !== undefined) {
    const path = resolve(folder, table.file)
    const kind = dataFileFormat(path)
    if (!kind) throw invalid(schemaFile, `table ${table.physicalName}: "file" ${table.file} must end in .ndjson, .jsonl or .json (optionally .gz)`)
    if (!(await exists(path))) throw invalid(folder, `table ${table.physicalName} has no data file: ${table.file} (named by ${schemaFile}) does not exist`, 'Every table the schema file lists needs its file (an empty one for a table without rows); export the dump again, or remove the table from the schema file.')
    return {path, ...kind}
  }
  for (const [suffix, format, gzip] of DATA_FILE_SUFFIXES) {
    const path = join(folder, `${table.physicalName}${suffix}`)
    if (await exists(path)) return {path, format, gzip}
  }
  const tried = DATA_FILE_SUFFIXES.map(([suffix]) => `${table.physicalName}${suffix}`).join(', ')
  throw invalid(folder, `table ${table.physicalName} has no data file (looked for ${tried})`, 'Every table the schema file lists needs its file (an empty one for a table without rows); export the dump again, or remove the table from the schema file.')
}

/** Reads a schema file; with `dataFolder`, also finds each document's data file (failing for a missing one). */
export async function loadDumpSchema(schemaFile: string, options: LoadOptions = {}): Promise<DumpSchema> {
  let text: string
  try {
    text = await readFile(schemaFile, 'utf8')
  } catch (error) {
    throw invalid(schemaFile, `cannot read the schema file: ${(error as Error).message}`, 'Check the schema attribute (or the dump folder) in config.xml; relative paths are relative to config.xml\'s folder.')
  }
  const prefix = options.prefix ?? ''
  const tables = new Map<string, DumpTable>()
  const parsed = parseDumpSchema(text, schemaFile).filter((table) => table.physicalName.startsWith(prefix))
  // information_schema lists tables by name: so do we, whatever order the file has.
  parsed.sort((a, b) => (a.physicalName < b.physicalName ? -1 : a.physicalName > b.physicalName ? 1 : 0))
  for (const table of parsed) {
    const name = table.physicalName.slice(prefix.length)
    const schema: TableSchema = Object.freeze({
      name,
      physicalName: table.physicalName,
      columns: table.columns,
      primaryKey: table.primaryKey,
      uniqueKeys: table.uniqueKeys,
      averageRowLength: table.averageRowLength,
    })
    const dataFile = options.dataFolder === undefined ? undefined : await findDataFile(schemaFile, options.dataFolder, table)
    tables.set(name, Object.freeze({schema, create: table.create, rows: table.rows, dataFile}))
  }
  const database: DatabaseSchema = Object.freeze({documents: Object.freeze([...tables.keys()]), tables: new Map([...tables].map(([name, table]) => [name, table.schema]))})
  return Object.freeze({file: schemaFile, database, tables})
}

/** What the schema file says of one table when it is written. */
export interface TableEntry {
  readonly table: TableSchema
  /** Only these columns (in table order) are listed; default all. */
  readonly columns?: readonly string[]
  readonly file?: string
  readonly rows?: number
  readonly create?: string
}

function columnJson(column: ColumnSchema): string {
  return JSON.stringify({name: column.name, type: column.columnType, nullable: column.nullable, default: column.defaultValue, auto_increment: column.autoIncrement})
}

/**
 * A schema file's text: one table per entry, one column per line. Keys are kept only when all
 * their columns are listed.
 */
export function formatDumpSchema(entries: readonly TableEntry[]): string {
  const tables = entries.map((entry) => {
    const listed = entry.columns ? new Set(entry.columns) : undefined
    const columns = entry.table.columns.filter((column) => !listed || listed.has(column.name))
    const complete = (key: readonly string[]) => !listed || key.every((name) => listed.has(name))
    const fields = [
      `"name": ${JSON.stringify(entry.table.physicalName)}`,
      ...(entry.file === undefined ? [] : [`"file": ${JSON.stringify(entry.file)}`]),
      `"columns": [\n${columns.map((column) => `        ${columnJson(column)}`).join(',\n')}\n      ]`,
      `"primary_key": ${JSON.stringify(complete(entry.table.primaryKey) ? entry.table.primaryKey : [])}`,
      `"unique_keys": ${JSON.stringify(entry.table.uniqueKeys.filter(complete))}`,
      `"avg_row_length": ${entry.table.averageRowLength}`,
      ...(entry.rows === undefined ? [] : [`"rows": ${entry.rows}`]),
      ...(entry.create === undefined ? [] : [`"create": ${JSON.stringify(entry.create)}`]),
    ]
    return `    {\n${fields.map((field) => `      ${field}`).join(',\n')}\n    }`
  })
  return `{\n  "format": "${DUMP_SCHEMA_FORMAT}",\n  "version": ${DUMP_SCHEMA_VERSION},\n  "tables": [\n${tables.join(',\n')}\n  ]\n}\n`
}
