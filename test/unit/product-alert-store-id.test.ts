import test from 'ava'
import type {Handler, Value} from '../../transforms/handler.js'
import {MigrationError} from '../../src/errors.js'
import {productAlertStoreId} from '../../transforms/product-alert-store-id.js'
import {type FakeLookup, fakeLookup, handlerSetup} from '../helpers/fake-lookup.js'
import {recordView} from '../helpers/record-view.js'

function record(values: Record<string, Value>) {
  return recordView('product_alert_price', values)
}

/**
 * The M1 sample's websites joined to their default store groups: admin (0) → group 0 → store 0,
 * base (1) → group 1 "Main Store" → store 1; plus a second website 2 whose default store is 4.
 */
function sampleSource(): FakeLookup {
  return fakeLookup([[/FROM `core_website` AS cw INNER JOIN `core_store_group` AS csg/, [[0, 0], [1, 1], [2, 4]]]])
}

async function create(source: FakeLookup = sampleSource(), warnings: string[] = [], field = 'store_id'): Promise<Handler> {
  return productAlertStoreId.create(handlerSetup({className: '\\Migration\\Handler\\ProductAlertStoreId', document: 'product_alert_price', field, side: 'destination', source, warn: (message) => warnings.push(message)}))
}

function alert(websiteId: Value, storeId: Value = 0) {
  return record({alert_price_id: 1, customer_id: 136, product_id: 166, website_id: websiteId, store_id: storeId})
}

test('an alert gets the default store of its website', async (t) => {
  const handler = await create()
  const main = alert(1)
  const second = alert('2')
  handler.handle(main, record({}))
  handler.handle(second, record({}))

  t.is(main.values.store_id, 1)
  t.is(second.values.store_id, 4)
})

test('an alert without a website keeps its store', async (t) => {
  const handler = await create()
  for (const website of [0, '0', null, '']) {
    const row = alert(website, 3)
    handler.handle(row, record({}))
    t.is(row.values.store_id, 3, String(website))
  }
})

test('a website the source does not know gives store 0 and one warning naming it', async (t) => {
  const warnings: string[] = []
  const handler = await create(sampleSource(), warnings)
  const rows = [alert(7, 3), alert(7, 3), alert('7', 3)]
  for (const row of rows) handler.handle(row, record({}))

  t.deepEqual(rows.map((row) => row.values.store_id), [0, 0, 0])
  t.is(warnings.length, 1)
  t.true(warnings[0].includes('website 7'), warnings[0])
})

test('the website → store pairs are asked of the source with the table prefix', async (t) => {
  const source = fakeLookup([[/core_website/, []]], {prefix: 'm1_'})
  await create(source)

  t.is(source.count, 1)
  t.true(source.queries[0].includes('FROM `m1_core_website` AS cw INNER JOIN `m1_core_store_group` AS csg ON csg.`group_id` = cw.`default_group_id`'), source.queries[0])
})

test('transforming 10,000 rows sends no query beyond the one create() sent', async (t) => {
  const source = sampleSource()
  const handler = await create(source)
  const afterCreate = source.count
  const row = alert(1)
  for (let i = 0; i < 10_000; i++) {
    row.values.website_id = i % 3
    handler.handle(row, record({}))
  }

  t.is(afterCreate, 1)
  t.is(source.count, afterCreate)
})

test('a record without the field fails with "<field> field not found in the record."', async (t) => {
  const handler = await create(sampleSource(), [], 'store')

  t.throws(() => handler.handle(alert(1), record({})), {message: 'store field not found in the record.'})
})

test('without a source database the handler is refused when created, naming handler and field', async (t) => {
  const setup = handlerSetup({className: '\\Migration\\Handler\\ProductAlertStoreId', document: 'product_alert_stock', field: 'store_id'})
  const error = await t.throwsAsync(async () => productAlertStoreId.create(setup), {instanceOf: MigrationError})

  t.true(error.message.includes('ProductAlertStoreId on product_alert_stock.store_id'), error.message)
})
