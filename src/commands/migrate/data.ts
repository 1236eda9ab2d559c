import {MigrateCommand} from '../../cli/migrate-command.js'

export default class MigrateData extends MigrateCommand {
  static override summary = 'Migrate the data of a Magento 1 store into Magento 2'
  static override description = 'Runs every step of <steps mode="data"> in config.xml: all integrity checks first, then data and volume check step by step. Without --auto, integrity errors stop the run before anything is written.'
  static override examples = ['<%= config.bin %> migrate:data etc/opensource-to-opensource/1.9.4.5/config.xml', '<%= config.bin %> migrate:data --auto -vv config.xml']
  protected readonly mode = 'data' as const
}
