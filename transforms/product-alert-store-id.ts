import {type HandlerDefinition, requireField, type Value} from './handler.js'
import {idKey, isEmptyValue, loadRows, requireLookup, textOf, valueOrNull} from './lookup-support.js'

/**
 * ProductAlertStoreId: sets a product alert's store to the default store of its website (the
 * default store view of the website's default store group). A row without a website keeps its
 * value; a website the source does not know gives store 0, as the DMT's write of "not found"
 * does. The website → store pairs are loaded once from the source.
 */
export const productAlertStoreId: HandlerDefinition = {
  name: 'ProductAlertStoreId',
  params: {},
  async create(setup) {
    const {field} = setup
    const purpose = 'the default store of each website from core_website and core_store_group'
    const source = requireLookup(setup, 'source', purpose)
    const rows = await loadRows(setup, source, purpose,
      `SELECT cw.\`website_id\`, csg.\`default_store_id\` FROM ${source.table('core_website')} AS cw`
      + ` INNER JOIN ${source.table('core_store_group')} AS csg ON csg.\`group_id\` = cw.\`default_group_id\``)
    const storeByWebsite = new Map<string, Value>()
    for (const [website, store] of rows) {
      const key = idKey(website)
      if (key !== undefined && !storeByWebsite.has(key)) storeByWebsite.set(key, store)
    }
    const warned = new Set<string>()
    return {
      handle(record) {
        requireField(record, field)
        const website = valueOrNull(record, 'website_id')
        if (isEmptyValue(website)) return
        const key = idKey(website)!
        const store = storeByWebsite.get(key)
        if (store === undefined && !warned.has(key)) {
          warned.add(key)
          setup.warn(`website ${textOf(website)} has no default store in the source; ${field} is set to 0`)
        }
        record.set(field, store ?? 0)
      },
    }
  },
}
