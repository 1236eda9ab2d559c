import {Args, Command, Flags} from '@oclif/core'
import {levelFromFlags} from '../log/logger.js'
import {type Mode, runMigration} from '../modes/run-migration.js'

/**
 * What migrate:data, migrate:settings and migrate:delta share: the DMT's arguments and flags,
 * Ctrl-C handling, and the exit code. The work itself is runMigration's.
 */
export abstract class MigrateCommand extends Command {
  static override args = {
    config: Args.string({required: true, description: 'path to config.xml (the Data Migration Tool\'s format)'}),
  }

  static override baseFlags = {
    reset: Flags.boolean({char: 'r', description: 'Reset the current position of migration to start from the beginning', default: false}),
    auto: Flags.boolean({char: 'a', description: 'Automatically resolve issues on the way of migration (integrity errors become warnings)', default: false}),
    quiet: Flags.boolean({char: 'q', description: 'log errors only', default: false}),
    verbosity: Flags.integer({description: 'log detail: -v (info, the default), -vv or -vvv (debug)', default: 0, min: 0, max: 3}),
  }

  protected abstract readonly mode: Mode

  async run(): Promise<void> {
    // Statics are passed explicitly: parse() copies only the subclass's own static properties.
    const {args, flags} = await this.parse({args: MigrateCommand.args, baseFlags: MigrateCommand.baseFlags, flags: {}, strict: true})
    const controller = new AbortController()
    let interrupts = 0
    const onSignal = (signal: NodeJS.Signals) => {
      interrupts++
      if (interrupts > 1) process.exit(130)
      process.stderr.write(`\n${signal}: finishing the batches in flight; press Ctrl-C again to stop at once\n`)
      controller.abort()
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    try {
      const outcome = await runMigration({
        configFile: args.config,
        mode: this.mode,
        reset: flags.reset,
        auto: flags.auto,
        level: levelFromFlags(flags.quiet, flags.verbosity),
        interactive: Boolean(process.stderr.isTTY) && !flags.quiet,
        signal: controller.signal,
      })
      process.exitCode = outcome.exitCode
    } finally {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  }
}
