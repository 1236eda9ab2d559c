import {Args, Command} from '@oclif/core'
import {MigrationError} from '../../errors.js'
import {describeStatus} from '../../modes/migration-status.js'
import {EXIT_CODES} from '../../modes/run-migration.js'

export default class MigrateStatus extends Command {
  static override summary = 'Show the saved progress of a migration: stages done, documents done, the documents in progress with their last key'
  static override args = {
    config: Args.string({required: true, description: 'path to config.xml'}),
  }

  async run(): Promise<void> {
    const {args} = await this.parse(MigrateStatus)
    try {
      for (const line of await describeStatus(args.config)) this.log(line)
    } catch (error) {
      if (!(error instanceof MigrationError)) throw error
      process.stderr.write(`${error.message}\n${error.hint ? `${error.hint}\n` : ''}`)
      process.exitCode = EXIT_CODES[error.code] ?? EXIT_CODES.default
    }
  }
}
