import test from 'ava'
import type {Handler, Value} from '../../transforms/handler.js'
import {MigrationError} from '../../src/errors.js'
import {cleanMultiselect} from '../../transforms/clean-multiselect.js'
import {type FakeLookup, fakeLookup, handlerSetup} from '../helpers/fake-lookup.js'
import {recordView} from '../helpers/record-view.js'

function record(values: Record<string, Value>) {
  return recordView('catalog_product_entity_varchar', values)
}

/** A multiselect product attribute, 960 (e.g. a "features" attribute an operator added). */
const MULTISELECT = 960

function sampleSource(): FakeLookup {
  return fakeLookup([[/frontend_input/, [[MULTISELECT]]]])
}

async function create(source: FakeLookup = sampleSource(), field = 'value'): Promise<Handler> {
  return cleanMultiselect.create(handlerSetup({className: '\\Migration\\Handler\\CleanMultiselect', document: 'catalog_product_entity_varchar', field, source}))
}

async function cleaned(attributeId: Value, value: Value): Promise<Value> {
  const row = record({value_id: 2001, attribute_id: attributeId, store_id: 0, entity_id: 166, value})
  ;(await create()).handle(row, record({}))
  return row.values.value
}

test('empty entries are dropped from a multiselect value', async (t) => {
  t.is(await cleaned(MULTISELECT, '24,,,41,,'), '24,41')
  t.is(await cleaned(MULTISELECT, ',24'), '24')
  t.is(await cleaned(MULTISELECT, '24,41'), '24,41')
})

test('"0" entries are dropped too, as PHP drops falsy entries', async (t) => {
  t.is(await cleaned(MULTISELECT, '24,0,41'), '24,41')
})

test('a NULL, empty or "0" multiselect value becomes the empty text', async (t) => {
  t.is(await cleaned(MULTISELECT, null), '')
  t.is(await cleaned(MULTISELECT, ''), '')
  t.is(await cleaned(MULTISELECT, '0'), '')
})

test('values of other attributes are left alone', async (t) => {
  // 272 is color (a select) in the M1 sample.
  t.is(await cleaned(272, '24,,,41,,'), '24,,,41,,')
  t.is(await cleaned(272, null), null)
})

test('the multiselect product attributes are asked of the source once, with the table prefix', async (t) => {
  const source = fakeLookup([[/eav_attribute/, []]], {prefix: 'm1_'})
  await create(source)

  t.deepEqual(source.queries, ["SELECT ea.`attribute_id` FROM `m1_eav_attribute` AS ea INNER JOIN `m1_eav_entity_type` AS eet ON ea.`entity_type_id` = eet.`entity_type_id` WHERE ea.`frontend_input` = 'multiselect' AND eet.`entity_type_code` = 'catalog_product'"])
})

test('transforming 10,000 rows sends no query beyond the one create() sent', async (t) => {
  const source = sampleSource()
  const handler = await create(source)
  const afterCreate = source.count
  const row = record({attribute_id: MULTISELECT, value: ''})
  for (let i = 0; i < 10_000; i++) {
    row.values.attribute_id = i % 2 === 0 ? MULTISELECT : 272
    row.values.value = `${i},,${i + 1}`
    handler.handle(row, record({}))
  }

  t.is(afterCreate, 1)
  t.is(source.count, afterCreate)
})

test('a record without the field fails with "<field> field not found in the record."', async (t) => {
  const handler = await create(sampleSource(), 'options')

  t.throws(() => handler.handle(record({attribute_id: MULTISELECT, value: '1,,2'}), record({})), {message: 'options field not found in the record.'})
})

test('without a source database the handler is refused when created, naming handler and field', async (t) => {
  const setup = handlerSetup({className: '\\Migration\\Handler\\CleanMultiselect', document: 'catalog_product_entity_text', field: 'value'})
  const error = await t.throwsAsync(async () => cleanMultiselect.create(setup), {instanceOf: MigrationError})

  t.true(error.message.includes('CleanMultiselect on catalog_product_entity_text.value'), error.message)
})
