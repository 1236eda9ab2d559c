import {readConfig} from '../config/config-reader.js'
import {type ErrorCode, MigrationError} from '../errors.js'
import {type Level, type LogSink, Logger} from '../log/logger.js'
import {type ProgressDisplay, SilentProgress, TerminalProgress} from '../log/progress-display.js'
import type {Tuning} from '../steps/run-context.js'
import {runDataMode} from './data-mode.js'
import {logFilePath, openRunContext} from './run-context-factory.js'

export type Mode = 'data' | 'settings' | 'delta'

export interface RunOptions {
  readonly configFile: string
  readonly mode: Mode
  readonly reset?: boolean
  readonly auto?: boolean
  readonly level?: Level
  /** Draw progress bars (a terminal). */
  readonly interactive?: boolean
  readonly signal?: AbortSignal
  /** Where console lines go (tests capture them). */
  readonly console?: LogSink
  readonly tuning?: Partial<Tuning>
}

export interface RunOutcome {
  readonly exitCode: number
  readonly documents: number
  readonly rows: number
  readonly seconds: number
  readonly error?: MigrationError
}

/** Exit codes, documented in the README. */
export const EXIT_CODES: Partial<Record<ErrorCode, number>> & {default: number} = {
  default: 1,
  CONFIG_FILE: 2,
  CONFIG_INVALID: 2,
  MAP_FILE: 2,
  MAP_INVALID: 2,
  XML_MALFORMED: 2,
  STEP_UNSUPPORTED: 2,
  HANDLER_PARAMS: 2,
  DB_CONNECT: 3,
  INTEGRITY_FAILED: 4,
  DATA_FAILED: 5,
  BATCH_FAILED: 5,
  VOLUME_FAILED: 6,
  INTERRUPTED: 130,
  PROGRESS_MISMATCH: 2,
  DUMP_INVALID: 2,
  OUTPUT_FAILED: 7,
}

export const RESET_MESSAGE = 'Reset the current position of migration to start from the beginning'

function exitCodeFor(error: MigrationError): number {
  return EXIT_CODES[error.code] ?? EXIT_CODES.default
}

/**
 * One whole run of a mode: read config.xml, open both sides, run the steps, print the summary.
 * Never throws: every failure is logged as one clear line (plus a hint) and becomes an exit code.
 */
export async function runMigration(options: RunOptions): Promise<RunOutcome> {
  const started = Date.now()
  const level = options.level ?? 'info'
  let log = new Logger({level, console: options.console})
  const progress: ProgressDisplay = options.interactive ? new TerminalProgress() : new SilentProgress()
  let close: (() => Promise<void>) | undefined
  let documents = 0
  let rows = 0
  try {
    const config = await readConfig(options.configFile)
    log = new Logger({level, console: options.console, file: logFilePath(config)})
    log.beforeWrite = () => progress.clear()
    log.afterWrite = () => progress.redraw()
    if (options.reset) log.info(RESET_MESSAGE)
    if (options.mode !== 'data') {
      throw new MigrationError('STEP_UNSUPPORTED', `migrate:${options.mode} is not built yet; only migrate:data runs in this version`, {})
    }
    const opened = await openRunContext({config, mode: options.mode, reset: options.reset ?? false, auto: options.auto ?? false, log, progress, signal: options.signal ?? new AbortController().signal, tuning: options.tuning})
    close = opened.close
    try {
      await runDataMode(opened.context)
      // A file destination appears at its path only now, complete; on any failure close() discards it.
      await opened.complete()
    } finally {
      documents = opened.context.stats.documents
      rows = opened.context.stats.rows
    }
    const seconds = (Date.now() - started) / 1000
    log.info(`Summary: ${documents} documents, ${rows} rows, ${seconds.toFixed(1)} s, ${Math.round(rows / Math.max(seconds, 0.001))} rows/s`)
    return {exitCode: 0, documents, rows, seconds}
  } catch (caught) {
    const error = caught instanceof MigrationError
      ? caught
      : new MigrationError('DATA_FAILED', `Unexpected error: ${caught instanceof Error ? caught.message : String(caught)}`, {}, 'This is a bug in m2-migrate; please report it with the log (-vv shows the stack).', caught)
    log.error(error.message)
    if (error.hint) log.notice(error.hint)
    if (!(caught instanceof MigrationError) && caught instanceof Error && caught.stack) log.debug(caught.stack)
    const seconds = (Date.now() - started) / 1000
    return {exitCode: exitCodeFor(error), documents, rows, seconds, error}
  } finally {
    progress.stop()
    await close?.()
  }
}
