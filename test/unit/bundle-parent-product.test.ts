import test from 'ava'
import type {Handler, Value} from '../../transforms/handler.js'
import {MigrationError} from '../../src/errors.js'
import {bundleParentProduct} from '../../transforms/bundle-parent-product.js'
import {type FakeLookup, fakeLookup, handlerSetup} from '../helpers/fake-lookup.js'
import {recordView} from '../helpers/record-view.js'

const record = recordView

/** The map's params for catalog_product_bundle_option_value.parent_product_id (1.6.1.0 map.xml.dist). */
const OPTION_PARAMS = {parentField: 'option_id', documentWithProductId: 'catalog_product_bundle_option', fieldWithProductId: 'parent_id'}
/** And for catalog_product_bundle_selection_price.parent_product_id. */
const SELECTION_PARAMS = {parentField: 'selection_id', documentWithProductId: 'catalog_product_bundle_selection', fieldWithProductId: 'parent_product_id'}

/** catalog_product_bundle_option and _selection of the M1 sample (bundles 158, 163 and 164). */
function sampleSource(): FakeLookup {
  return fakeLookup([
    [/FROM `catalog_product_bundle_option`$/, [[1, 158], [2, 158], [3, 163], [11, 164], [20, 164], [21, 164]]],
    [/FROM `catalog_product_bundle_selection`$/, [[1, 158], [4, 158], [5, 163], [27, 164]]],
  ])
}

async function create(params: Record<string, string>, source: FakeLookup = sampleSource(), document = 'catalog_product_bundle_option_value', field = 'parent_product_id'): Promise<Handler> {
  return bundleParentProduct.create(handlerSetup({className: '\\Migration\\Handler\\BundleParentProduct', document, field, side: 'destination', params, source}))
}

function optionValue(optionId: Value) {
  return record('catalog_product_bundle_option_value', {value_id: 3, option_id: optionId, store_id: 0, title: 'Case', parent_product_id: null})
}

test('an option title gets the bundle product of its option', async (t) => {
  const handler = await create(OPTION_PARAMS)
  const warranty = optionValue(1)
  const kase = optionValue(21)
  handler.handle(warranty, record('catalog_product_bundle_option', {}))
  handler.handle(kase, record('catalog_product_bundle_option', {}))

  t.is(warranty.values.parent_product_id, 158)
  t.is(kase.values.parent_product_id, 164)
})

test('a selection price gets the bundle product of its selection', async (t) => {
  const handler = await create(SELECTION_PARAMS, sampleSource(), 'catalog_product_bundle_selection_price')
  const price = record('catalog_product_bundle_selection_price', {selection_id: '27', website_id: 1, selection_price_value: '25.0000', parent_product_id: null})
  handler.handle(price, record('catalog_product_bundle_selection_price', {}))

  t.is(price.values.parent_product_id, 164)
})

test('a parent row the source does not hold gives product 0', async (t) => {
  const handler = await create(OPTION_PARAMS)
  const orphan = optionValue(99)
  const none = optionValue(null)
  handler.handle(orphan, record('x', {}))
  handler.handle(none, record('x', {}))

  t.is(orphan.values.parent_product_id, 0)
  t.is(none.values.parent_product_id, 0)
})

test('a parent row whose product is NULL or 0 gives product 0', async (t) => {
  const source = fakeLookup([[/bundle_option/, [[30, null], [31, '0']]]])
  const handler = await create(OPTION_PARAMS, source)
  const rows = [optionValue(30), optionValue(31)]
  for (const row of rows) handler.handle(row, record('x', {}))

  t.deepEqual(rows.map((row) => row.values.parent_product_id), [0, 0])
})

test('the columns and document the params name are asked of the source, quoted and prefixed', async (t) => {
  const source = fakeLookup([[/SELECT/, []]], {prefix: 'm1_'})
  await create(OPTION_PARAMS, source)
  await create({parentField: 'odd`name', documentWithProductId: 'custom_bundle', fieldWithProductId: 'product'}, source)

  t.deepEqual(source.queries, [
    'SELECT `option_id`, `parent_id` FROM `m1_catalog_product_bundle_option`',
    'SELECT `odd``name`, `product` FROM `m1_custom_bundle`',
  ])
})

test('transforming 10,000 rows sends no query beyond the one create() sent', async (t) => {
  const source = sampleSource()
  const handler = await create(OPTION_PARAMS, source)
  const afterCreate = source.count
  const row = optionValue(1)
  for (let i = 0; i < 10_000; i++) {
    row.values.option_id = 1 + (i % 25)
    handler.handle(row, record('x', {}))
  }

  t.is(afterCreate, 1)
  t.is(source.count, afterCreate)
})

test('a record without the field fails with "<field> field not found in the record."', async (t) => {
  const handler = await create(OPTION_PARAMS, sampleSource(), 'catalog_product_bundle_option_value', 'parent_id')

  t.throws(() => handler.handle(optionValue(1), record('x', {})), {message: 'parent_id field not found in the record.'})
})

test('without a source database the handler is refused when created, naming handler and field', async (t) => {
  const setup = handlerSetup({className: '\\Migration\\Handler\\BundleParentProduct', document: 'catalog_product_bundle_option_value', field: 'parent_product_id', params: OPTION_PARAMS})
  const error = await t.throwsAsync(async () => bundleParentProduct.create(setup), {instanceOf: MigrationError})

  t.true(error.message.includes('BundleParentProduct on catalog_product_bundle_option_value.parent_product_id'), error.message)
})
