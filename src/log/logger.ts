import {appendFileSync, mkdirSync} from 'node:fs'
import {dirname} from 'node:path'

/**
 * Log lines in the Data Migration Tool's format:
 *   [2026-01-01 10:00:00][INFO][mode: data][stage: integrity check][step: Map Step]: started
 * Errors and warnings carry no context: `[…][ERROR]: message`. Lines go to the console and are
 * appended to log_file when one is set.
 */
export type Level = 'error' | 'warning' | 'notice' | 'info' | 'debug'
const RANK: Record<Level, number> = {error: 0, warning: 1, notice: 2, info: 3, debug: 4}
const LABEL: Record<Level, string> = {error: 'ERROR', warning: 'WARNING', notice: 'NOTICE', info: 'INFO', debug: 'DEBUG'}

/** -q → errors only; default and -v → info; -vv and more → debug. */
export function levelFromFlags(quiet: boolean, verbosity: number): Level {
  if (quiet) return 'error'
  return verbosity >= 2 ? 'debug' : 'info'
}

export interface LogContext {
  mode?: string
  stage?: string
  step?: string
}

export interface LogSink {
  write(line: string, level: Level): void
}

export interface LoggerOptions {
  level?: Level
  /** Where lines go besides the file; defaults to stdout (errors to stderr). */
  console?: LogSink
  /** Appended to, one line per entry. */
  file?: string
  /** Clock, for tests. */
  now?: () => Date
}

function pad(value: number): string {
  return String(value).padStart(2, '0')
}

export function formatTimestamp(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
}

export const consoleSink: LogSink = {
  write(line, level) {
    if (level === 'error') process.stderr.write(`${line}\n`)
    else process.stdout.write(`${line}\n`)
  },
}

/** Every line to stderr, for commands whose stdout carries data (export, transform). */
export const stderrSink: LogSink = {write: (line) => process.stderr.write(`${line}\n`)}

export class Logger {
  readonly level: Level
  private readonly console: LogSink
  private readonly file?: string
  private readonly now: () => Date
  private context: LogContext = {}
  /** Called before a line is printed, so a progress display can step aside. */
  beforeWrite?: () => void
  afterWrite?: () => void
  private readonly counts: Record<Level, number> = {error: 0, warning: 0, notice: 0, info: 0, debug: 0}

  constructor(options: LoggerOptions = {}) {
    this.level = options.level ?? 'info'
    this.console = options.console ?? consoleSink
    this.file = options.file
    this.now = options.now ?? (() => new Date())
    if (this.file) mkdirSync(dirname(this.file), {recursive: true})
  }

  /** The mode/stage/step named in info and debug lines from now on. */
  setContext(context: LogContext): void {
    this.context = {...context}
  }

  enabled(level: Level): boolean {
    return RANK[level] <= RANK[this.level]
  }

  count(level: Level): number {
    return this.counts[level]
  }

  log(level: Level, message: string): void {
    this.counts[level]++
    let prefix = `[${formatTimestamp(this.now())}][${LABEL[level]}]`
    if (level === 'info' || level === 'debug' || level === 'notice') {
      const {mode, stage, step} = this.context
      if (mode) prefix += `[mode: ${mode}]`
      if (stage) prefix += `[stage: ${stage}]`
      if (step) prefix += `[step: ${step}]`
    }
    if (!this.enabled(level)) return
    const line = `${prefix}: ${message}`
    if (this.file) appendFileSync(this.file, `${line}\n`)
    this.beforeWrite?.()
    this.console.write(line, level)
    this.afterWrite?.()
  }

  error(message: string): void { this.log('error', message) }
  warning(message: string): void { this.log('warning', message) }
  notice(message: string): void { this.log('notice', message) }
  info(message: string): void { this.log('info', message) }
  debug(message: string): void { this.log('debug', message) }
}
