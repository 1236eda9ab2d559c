import {Command, Flags} from '@oclif/core'
import {runCommand} from '../cli/command-outcome.js'
import {levelFromFlags, Logger, stderrSink} from '../log/logger.js'
import {runTransform} from '../modes/run-transform.js'
import {OutputClosed} from '../transfer/ndjson-transform.js'

export default class Transform extends Command {
  static override summary = 'Map NDJSON rows of one document: rows on stdin, mapped rows on stdout'
  static override description = 'Applies a map\'s field rules and handlers for one source document (ignore, rename, move, transform), as migrate:data does, to NDJSON rows read from stdin, and writes the rows as the destination document has them, as NDJSON on stdout. Output waits for a slow reader; memory stays flat. Handlers that need a database (lookups) cannot run here.'
  static override examples = [
    'zcat sales_flat_order.ndjson.gz | <%= config.bin %> transform --map map.xml --document sales_flat_order > sales_order.ndjson',
    '<%= config.bin %> transform --map map.xml --document cms_page --config config.xml < cms_page.ndjson',
  ]

  static override flags = {
    map: Flags.string({required: true, description: 'the map file (the DMT\'s map.xml format)'}),
    document: Flags.string({required: true, description: 'the source document the rows belong to, e.g. sales_flat_order'}),
    config: Flags.string({description: 'a config.xml: its <options> (class_map, crypt_key, …) for handlers, and the schema files of its dump or SQL-file sides for the columns'}),
    quiet: Flags.boolean({char: 'q', default: false, description: 'log errors only'}),
    verbosity: Flags.integer({default: 0, min: 0, max: 3, description: 'log detail: -v (info, the default), -vv or -vvv (debug)'}),
  }

  async run(): Promise<void> {
    // Statics are passed explicitly: parse() copies only the subclass's own static properties.
    const {flags} = await this.parse({flags: Transform.flags, args: {}, strict: true})
    const log = new Logger({level: levelFromFlags(flags.quiet, flags.verbosity), console: stderrSink})
    await runCommand(log, async (signal) => {
      try {
        await runTransform({mapFile: flags.map, document: flags.document, configFile: flags.config, input: process.stdin, output: process.stdout, log, signal})
      } catch (error) {
        // The reader of stdout went away (`| head`): stop reading, as other filters do.
        if (!(error instanceof OutputClosed)) throw error
      } finally {
        process.stdin.destroy()
      }
    })
  }
}
