import {MigrateCommand} from '../../cli/migrate-command.js'

export default class MigrateDelta extends MigrateCommand {
  static override summary = 'Migrate the changes made in Magento 1 after migrate:data (not built yet)'
  static override description = 'Runs <steps mode="delta"> of config.xml. Not built yet: it exits with an error that says so.'
  protected readonly mode = 'delta' as const
}
