import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import pLimit from 'p-limit'
import type {Level, LogSink} from '../../src/log/logger.js'
import {type RunOutcome, runMigration} from '../../src/modes/run-migration.js'
import type {Tuning} from '../../src/steps/run-context.js'
import {databaseXml, mapStepConfigXml} from './config-xml.js'
import type {TestDatabase} from './db.js'
import {tempFolder} from './temp.js'

export interface ConfigSpec {
  readonly source: TestDatabase
  readonly destination: TestDatabase
  /** Absolute path of the map file. */
  readonly mapFile: string
  /** Extra <options> elements, name → text. */
  readonly options?: Record<string, string>
  /** Stage classes of the Map step; default all three. */
  readonly stages?: {integrity?: string; data?: string; volume?: string}
  /** Password to write into config.xml instead of the server's. */
  readonly password?: string
}

/** A map with no rules: every document and field under its own name. */
export const EMPTY_MAP = '<map><source><document_rules/><field_rules/></source><destination><document_rules/><field_rules/></destination></map>'

/** Writes a map file (default: one with no rules) into a fresh temp folder; returns its path. */
export function writeMapFile(xml = EMPTY_MAP): string {
  const file = join(tempFolder('map'), 'map.xml')
  writeFileSync(file, xml)
  return file
}

/** Writes a DMT-format config.xml for two test databases into a fresh temp folder; returns its path. */
export function writeConfig(spec: ConfigSpec): string {
  const folder = tempFolder('config')
  const database = (db: TestDatabase) => databaseXml({...db.params, name: db.name, password: spec.password ?? db.params.password})
  const options = {map_file: spec.mapFile, bulk_size: '0', ...spec.options}
  const xml = mapStepConfigXml({source: database(spec.source), destination: database(spec.destination), options, stages: spec.stages})
  const file = join(folder, 'config.xml')
  writeFileSync(file, xml)
  return file
}

/** Collects console lines of a run. */
export class CapturedLog implements LogSink {
  readonly lines: string[] = []
  write(line: string): void {
    this.lines.push(line)
  }

  /** Lines without the `[timestamp]` prefix, e.g. `[ERROR]: Source documents are not mapped: a`. */
  get messages(): string[] {
    return this.lines.map((line) => line.replace(/^\[[^\]]+\]/, ''))
  }

  /** Messages of one level, without any prefix. */
  at(level: 'ERROR' | 'WARNING' | 'NOTICE' | 'INFO' | 'DEBUG'): string[] {
    return this.lines.filter((line) => line.includes(`][${level}]`)).map((line) => line.replace(/^(\[[^\]]*\])+: /, ''))
  }
}

export interface MigrateResult extends RunOutcome {
  readonly log: CapturedLog
}

/**
 * Migrations one test file runs at once. ava runs a file's tests concurrently, and each run opens
 * up to a dozen connections (two pools): unbounded, two files of fifteen tests each reached the
 * server's default max_connections (151).
 */
const runs = pLimit(4)

/** Runs migrate:data in-process, as the command would, capturing the log. */
export async function migrateData(configFile: string, options: {auto?: boolean; reset?: boolean; level?: Level; tuning?: Partial<Tuning>; signal?: AbortSignal} = {}): Promise<MigrateResult> {
  const log = new CapturedLog()
  const outcome = await runs(() => runMigration({configFile, mode: 'data', auto: options.auto, reset: options.reset, level: options.level ?? 'info', console: log, tuning: options.tuning, signal: options.signal}))
  return {...outcome, log}
}
