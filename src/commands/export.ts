import {Args, Command, Flags} from '@oclif/core'
import {levelFromFlags, Logger, stderrSink} from '../log/logger.js'
import {runExport} from '../modes/run-export.js'
import {runCommand} from '../cli/command-outcome.js'

export default class Export extends Command {
  static override summary = 'Write one side of a config (a live database) to a dump folder: NDJSON files and schema.json'
  static override description = 'Reads every table of the <source> or <destination> database of config.xml in key order and writes <table>.ndjson and schema.json into --out, streaming (memory stays flat). The folder appears only when complete. With --schema-only, only schema.json: the schema file an SQL-file or dump destination needs.'
  static override examples = [
    '<%= config.bin %> export config.xml --side source --out dumps/m1',
    '<%= config.bin %> export config.xml --side destination --out schema/m2 --schema-only',
  ]

  static override args = {
    config: Args.string({required: true, description: 'path to config.xml'}),
  }

  static override flags = {
    side: Flags.string({required: true, options: ['source', 'destination'], description: 'which database of config.xml to export'}),
    out: Flags.string({required: true, description: 'the dump folder to write (an earlier dump there is replaced)'}),
    'schema-only': Flags.boolean({default: false, description: 'write schema.json only, no rows'}),
    quiet: Flags.boolean({char: 'q', default: false, description: 'log errors only'}),
    verbosity: Flags.integer({default: 0, min: 0, max: 3, description: 'log detail: -v (info, the default), -vv or -vvv (debug)'}),
  }

  async run(): Promise<void> {
    // Statics are passed explicitly: parse() copies only the subclass's own static properties.
    const {args, flags} = await this.parse({args: Export.args, flags: Export.flags, strict: true})
    const log = new Logger({level: levelFromFlags(flags.quiet, flags.verbosity), console: stderrSink})
    await runCommand(log, (signal) => runExport({configFile: args.config, side: flags.side as 'source' | 'destination', out: flags.out, schemaOnly: flags['schema-only'], log, signal}))
  }
}
