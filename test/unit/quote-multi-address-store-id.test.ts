import test from 'ava'
import type {Handler, Value} from '../../transforms/handler.js'
import {MigrationError} from '../../src/errors.js'
import {quoteMultiAddressStoreId} from '../../transforms/quote-multi-address-store-id.js'
import {type FakeLookup, fakeLookup, handlerSetup} from '../helpers/fake-lookup.js'
import {recordView} from '../helpers/record-view.js'

function record(values: Record<string, Value>) {
  return recordView('quote_address_item', values)
}

/** Quote items of a multi-address checkout: items 101 and 102 in store 1 (default), 103 in store 3 (french), 104 without a store. */
function sampleSource(): FakeLookup {
  return fakeLookup([[/FROM `sales_flat_quote_item` AS qi/, [[101, 1], [102, 1], [103, 3], [104, null]]]])
}

async function create(source: FakeLookup = sampleSource(), field = 'store_id'): Promise<Handler> {
  return quoteMultiAddressStoreId.create(handlerSetup({className: '\\Migration\\Handler\\QuoteMultiAddressStoreId', document: 'quote_address_item', field, side: 'destination', source}))
}

function addressItem(quoteItemId: Value) {
  return record({address_item_id: 1, quote_address_id: 12, quote_item_id: quoteItemId, store_id: null})
}

function storeOf(handler: Handler, quoteItemId: Value): Value {
  const row = addressItem(quoteItemId)
  handler.handle(row, record({}))
  return row.values.store_id
}

test('an address item gets the store of its quote item', async (t) => {
  const handler = await create()

  t.is(storeOf(handler, 101), 1)
  t.is(storeOf(handler, 103), 3)
  t.is(storeOf(handler, '103'), 3)
})

test('a quote item stored without a store gives NULL', async (t) => {
  t.is(storeOf(await create(), 104), null)
})

test('a quote item the source does not hold gives store 0', async (t) => {
  const handler = await create()

  t.is(storeOf(handler, 999), 0)
  t.is(storeOf(handler, null), 0)
})

test('only the quote items that multi-address items refer to are loaded, with the table prefix', async (t) => {
  const source = fakeLookup([[/sales_flat_quote_item/, []]], {prefix: 'm1_'})
  await create(source)

  t.deepEqual(source.queries, ['SELECT qi.`item_id`, qi.`store_id` FROM `m1_sales_flat_quote_item` AS qi WHERE qi.`item_id` IN (SELECT qai.`quote_item_id` FROM `m1_sales_flat_quote_address_item` AS qai)'])
})

test('transforming 10,000 rows sends no query beyond the one create() sent', async (t) => {
  const source = sampleSource()
  const handler = await create(source)
  const afterCreate = source.count
  const row = addressItem(101)
  for (let i = 0; i < 10_000; i++) {
    row.values.quote_item_id = 100 + (i % 6)
    handler.handle(row, record({}))
  }

  t.is(afterCreate, 1)
  t.is(source.count, afterCreate)
})

test('a record without the field fails with "<field> field not found in the record."', async (t) => {
  const handler = await create(sampleSource(), 'store')

  t.throws(() => handler.handle(addressItem(101), record({})), {message: 'store field not found in the record.'})
})

test('without a source database the handler is refused when created, naming handler and field', async (t) => {
  const setup = handlerSetup({className: '\\Migration\\Handler\\QuoteMultiAddressStoreId', document: 'quote_address_item', field: 'store_id'})
  const error = await t.throwsAsync(async () => quoteMultiAddressStoreId.create(setup), {instanceOf: MigrationError})

  t.true(error.message.includes('QuoteMultiAddressStoreId on quote_address_item.store_id'), error.message)
})
