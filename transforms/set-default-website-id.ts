import {quoteIdentifier} from '../src/adapters/mysql/sql-text.js'
import {type HandlerDefinition, requireField, type Value} from './handler.js'
import {idKey, loadRows, requireLookup} from './lookup-support.js'

/**
 * SetDefaultWebsiteId: sets the field to the default website of the Magento 1 store: the value
 * of the same-named column of the first core_website row (in website_id order) whose is_default
 * is 1. With no default website the field becomes NULL, as in the DMT. The DMT reads core_website
 * when it handles its first record; here it is read once, when the handler is created.
 */
export const setDefaultWebsiteId: HandlerDefinition = {
  name: 'SetDefaultWebsiteId',
  params: {},
  async create(setup) {
    const {field} = setup
    const purpose = `the default website's ${field} from core_website`
    const source = requireLookup(setup, 'source', purpose)
    const rows = await loadRows(setup, source, purpose,
      `SELECT ${quoteIdentifier(field)}, \`is_default\` FROM ${source.table('core_website')} ORDER BY \`website_id\``)
    const found = rows.find(([, isDefault]) => idKey(isDefault ?? null) === '1')
    const website: Value = found?.[0] ?? null
    return {
      handle(record) {
        requireField(record, field)
        record.set(field, website)
      },
    }
  },
}
