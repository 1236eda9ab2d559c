/**
 * Helpers for runs with dump folders and SQL files: configs whose sides are files, export in
 * process, checksums of every table, and the CLI as a child process.
 */
import {spawn} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Logger} from '../../src/log/logger.js'
import {type ExportResult, runExport} from '../../src/modes/run-export.js'
import {PROGRESS_TABLE} from '../../src/progress/progress-store.js'
import {projectRoot, type TestDatabase} from './db.js'
import {databaseXml as serverDatabaseXml, mapStepConfigXml, xmlText} from './config-xml.js'
import {CapturedLog} from './migration.js'
import {tempFolder} from './temp.js'

/** `<database …/>` for a test database. */
export function databaseXml(db: TestDatabase): string {
  return serverDatabaseXml({...db.params, name: db.name})
}

export function dumpXml(folder: string, schema?: string): string {
  return `<dump path="${xmlText(folder)}"${schema ? ` schema="${xmlText(schema)}"` : ''}/>`
}

export function sqlFileXml(file: string, schema: string, createTables = false): string {
  return `<sql_file path="${xmlText(file)}" schema="${xmlText(schema)}" create_tables="${createTables ? 1 : 0}"/>`
}

export interface FileConfigSpec {
  /** The element inside <source> and <destination>. */
  readonly source: string
  readonly destination: string
  readonly mapFile: string
  readonly options?: Record<string, string>
  /** Where config.xml goes (relative paths in it resolve there); default a fresh temp folder. */
  readonly folder?: string
}

/** A fresh temp folder. */
export {tempFolder}

/** Writes config.xml with the Map step's three stages and the given sides; returns its path. */
export function writeFileConfig(spec: FileConfigSpec): string {
  const folder = spec.folder ?? tempFolder('config')
  const options = {map_file: spec.mapFile, bulk_size: '0', ...spec.options}
  const file = join(folder, 'config.xml')
  writeFileSync(file, mapStepConfigXml({source: spec.source, destination: spec.destination, options}))
  return file
}

/** `m2-migrate export` in process; the log is captured. */
export async function exportSide(configFile: string, side: 'source' | 'destination', out: string, schemaOnly = false): Promise<ExportResult & {log: CapturedLog}> {
  const log = new CapturedLog()
  const result = await runExport({configFile, side, out, schemaOnly, log: new Logger({level: 'debug', console: log})})
  return {...result, log}
}

/** CHECKSUM TABLE of every base table but our progress table, by name. */
export async function tableChecksums(db: TestDatabase): Promise<Record<string, string>> {
  const tables = await db.query<{name: string}>("SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME")
  const sums: Record<string, string> = {}
  for (const {name} of tables) {
    if (name === PROGRESS_TABLE) continue
    const [row] = await db.query<{Checksum: number | string | null}>(`CHECKSUM TABLE \`${name.replaceAll('`', '``')}\``)
    sums[name] = String(row.Checksum)
  }
  return sums
}

export interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs `m2-migrate <args>` (bin/run.js) as a child process, with optional stdin text and extra node options. */
export function runCli(args: readonly string[], options: {input?: string; env?: NodeJS.ProcessEnv; nodeArgs?: readonly string[]; cwd?: string} = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), join(projectRoot(), 'bin', 'run.js'), ...args], {cwd: options.cwd ?? projectRoot(), env: {...process.env, ...options.env}, stdio: ['pipe', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({code, stdout, stderr}))
    child.stdin.on('error', () => undefined)
    child.stdin.end(options.input ?? '')
  })
}
