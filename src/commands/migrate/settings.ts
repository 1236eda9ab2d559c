import {MigrateCommand} from '../../cli/migrate-command.js'

export default class MigrateSettings extends MigrateCommand {
  static override summary = 'Migrate the settings (core_config_data, stores) of a Magento 1 store (not built yet)'
  static override description = 'Runs <steps mode="settings"> of config.xml. Not built yet: it exits with an error that says so.'
  protected readonly mode = 'settings' as const
}
