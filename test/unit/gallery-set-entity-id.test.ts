import test from 'ava'
import type {Handler, Value} from '../../transforms/handler.js'
import {MigrationError} from '../../src/errors.js'
import {gallerySetEntityId} from '../../transforms/gallery-set-entity-id.js'
import {type FakeLookup, fakeLookup, handlerSetup} from '../helpers/fake-lookup.js'
import {recordView} from '../helpers/record-view.js'

const CLASS = '\\Migration\\Handler\\Gallery\\SetEntityId'

/** catalog_product_entity_media_gallery of the M1 sample, its first images: value_id → product. */
const SAMPLE_GALLERY: Value[][] = [[1, 17], [2, 17], [3, 18], [4, 18], [5, 29], [6, 29], [7, 30], [8, 30], [9, 31], [10, 31]]

function gallery(rows: readonly (readonly Value[])[] = SAMPLE_GALLERY, options: {prefix?: string} = {}): FakeLookup {
  return fakeLookup([[/FROM `(m1_)?catalog_product_entity_media_gallery` ORDER BY `value_id`$/, rows]], options)
}

async function create(source: FakeLookup = gallery(), field = 'entity_id'): Promise<Handler> {
  return gallerySetEntityId.create(handlerSetup({className: CLASS, document: 'catalog_product_entity_media_gallery_value', field, side: 'destination', source}))
}

/** A destination catalog_product_entity_media_gallery_value row as the copy leaves it (entity_id not yet known). */
function storeValue(valueId: Value, entityId: Value = null) {
  return recordView('catalog_product_entity_media_gallery_value', {value_id: valueId, store_id: 0, entity_id: entityId, label: '', position: 2, disabled: 0})
}

function entityOf(handler: Handler, valueId: Value): Value {
  const row = storeValue(valueId)
  handler.handle(row, row)
  return row.values.entity_id!
}

test('a store value gets the product of its source gallery row', async (t) => {
  const handler = await create()

  t.deepEqual([1, 2, 3, 5, 10].map((valueId) => entityOf(handler, valueId)), [17, 17, 18, 29, 31])
})

test('a value_id the source gallery lacks, or NULL, gives 0', async (t) => {
  const handler = await create()

  t.deepEqual([11, 0, null, 'x'].map((valueId) => entityOf(handler, valueId)), [0, 0, 0, 0])
})

test('value ids given as text or bigint find their row', async (t) => {
  const handler = await create(gallery([['3', '18'], [4n, 18n]]))

  t.deepEqual(['3', 4n, ' 4'].map((valueId) => entityOf(handler, valueId)), [18, 18, 18])
})

test('a source answered out of value_id order still finds every row', async (t) => {
  const handler = await create(gallery([[9, 31], [1, 17], [5, 29], [3, 18]]))

  t.deepEqual([1, 3, 5, 9, 2].map((valueId) => entityOf(handler, valueId)), [17, 18, 29, 31, 0])
})

test('a gallery row whose product is NULL gives 0, as PHP\'s integer cast does', async (t) => {
  const handler = await create(gallery([[1, null]]))

  t.is(entityOf(handler, 1), 0)
})

test('the gallery is read once, prefixed; 10,000 rows send no further query', async (t) => {
  const rows = Array.from({length: 10_000}, (_, at) => [at + 1, 16 + (at % 300)])
  const source = gallery(rows, {prefix: 'm1_'})
  const handler = await create(source)
  const row = storeValue(1)
  let found = 0
  for (let i = 1; i <= 10_000; i++) {
    row.values.value_id = i
    handler.handle(row, row)
    if (row.values.entity_id === 16 + ((i - 1) % 300)) found++
  }

  t.deepEqual(source.queries, ['SELECT `value_id`, `entity_id` FROM `m1_catalog_product_entity_media_gallery` ORDER BY `value_id`'])
  t.is(found, 10_000)
})

test('a gallery value_id that is not a whole number is refused when the handler is created', async (t) => {
  const error = await t.throwsAsync(async () => create(gallery([[1, 17], ['abc', 18]])), {instanceOf: MigrationError})

  t.true(error.message.includes('value_id abc'), error.message)
})

test('a record without the field fails with "<field> field not found in the record."', async (t) => {
  const handler = await create(gallery(), 'product_id')
  const row = storeValue(1)

  t.throws(() => handler.handle(row, row), {message: 'product_id field not found in the record.'})
})

test('without a source database the handler is refused when created', async (t) => {
  const setup = handlerSetup({className: CLASS, document: 'catalog_product_entity_media_gallery_value', field: 'entity_id', side: 'destination'})
  const error = await t.throwsAsync(async () => gallerySetEntityId.create(setup), {instanceOf: MigrationError})

  t.true(error.message.includes('Gallery\\SetEntityId on catalog_product_entity_media_gallery_value.entity_id'), error.message)
})
