import {MigrationError} from '../errors.js'
import type {Logger} from '../log/logger.js'
import {EXIT_CODES} from '../modes/run-migration.js'

/**
 * Runs the work of a command that is not a migration (export, transform): Ctrl-C aborts the
 * signal, a MigrationError becomes one log line, its hint and the exit code of the README's
 * table; anything else is a bug, shown with its stack.
 */
export async function runCommand(log: Logger, work: (signal: AbortSignal) => Promise<unknown>): Promise<void> {
  const controller = new AbortController()
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130)
    controller.abort()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    await work(controller.signal)
  } catch (error) {
    if (!(error instanceof MigrationError)) throw error
    log.error(error.message)
    if (error.hint) log.notice(error.hint)
    process.exitCode = EXIT_CODES[error.code] ?? EXIT_CODES.default
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}
