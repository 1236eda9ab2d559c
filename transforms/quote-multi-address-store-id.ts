import {type HandlerDefinition, requireField, type Value} from './handler.js'
import {idKey, loadRows, requireLookup, valueOrNull} from './lookup-support.js'

/**
 * QuoteMultiAddressStoreId: sets a multi-address quote item's store to the store of the quote
 * item it refers to (quote_item_id → sales_flat_quote_item.store_id). An item the source does not
 * hold gives store 0, as the DMT's write of "not found" does.
 *
 * The DMT asks the source once per row. We load the pairs once, and only for the quote items
 * that sales_flat_quote_address_item refers to: the quote item table of a live store holds every
 * abandoned cart, far more rows than the multi-address items that need them.
 */
export const quoteMultiAddressStoreId: HandlerDefinition = {
  name: 'QuoteMultiAddressStoreId',
  params: {},
  async create(setup) {
    const {field} = setup
    const purpose = 'the store of each multi-address quote item from sales_flat_quote_item'
    const source = requireLookup(setup, 'source', purpose)
    const rows = await loadRows(setup, source, purpose,
      `SELECT qi.\`item_id\`, qi.\`store_id\` FROM ${source.table('sales_flat_quote_item')} AS qi`
      + ` WHERE qi.\`item_id\` IN (SELECT qai.\`quote_item_id\` FROM ${source.table('sales_flat_quote_address_item')} AS qai)`)
    const storeByItem = new Map<string, Value>()
    for (const [item, store] of rows) {
      const key = idKey(item)
      if (key !== undefined) storeByItem.set(key, store)
    }
    return {
      handle(record) {
        requireField(record, field)
        const key = idKey(valueOrNull(record, 'quote_item_id'))
        const store = key === undefined ? undefined : storeByItem.get(key)
        record.set(field, store === undefined ? 0 : store)
      },
    }
  },
}
