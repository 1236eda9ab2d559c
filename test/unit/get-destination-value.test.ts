import test from 'ava'
import type {Handler} from '../../transforms/handler.js'
import {getDestinationValue} from '../../transforms/get-destination-value.js'
import {fakeLookup, handlerSetup} from '../helpers/fake-lookup.js'
import {recordView} from '../helpers/record-view.js'

const record = recordView

async function create(params: Record<string, string>, field = 'increment_model'): Promise<Handler> {
  return getDestinationValue.create(handlerSetup({className: '\\Migration\\Handler\\GetDestinationValue', document: 'eav_entity_type', field, params}))
}

/** The order entity type as Magento 1 and Magento 2 store it. */
function sourceOrderType() {
  return record('eav_entity_type', {entity_type_id: 4, entity_type_code: 'order', increment_model: 'eav/entity_increment_numeric', additional_attribute_table: ''})
}

test("the field takes the opposite record's value", async (t) => {
  const row = sourceOrderType()
  const destination = record('eav_entity_type', {entity_type_id: 5, increment_model: 'Magento\\Eav\\Model\\Entity\\Increment\\NumericValue'})
  ;(await create({setNullIfEmpty: 'true'})).handle(row, destination)

  t.is(row.values.increment_model, 'Magento\\Eav\\Model\\Entity\\Increment\\NumericValue')
})

test('a NULL on the opposite side is copied when setNullIfEmpty is true', async (t) => {
  const row = sourceOrderType()
  ;(await create({setNullIfEmpty: 'true'})).handle(row, record('eav_entity_type', {increment_model: null}))

  t.is(row.values.increment_model, null)
})

test('a NULL on the opposite side leaves the field as it is without setNullIfEmpty', async (t) => {
  const row = sourceOrderType()
  ;(await create({})).handle(row, record('eav_entity_type', {increment_model: null}))

  t.is(row.values.increment_model, 'eav/entity_increment_numeric')
})

test('only the exact text "true" turns setNullIfEmpty on', async (t) => {
  for (const text of ['TRUE', '1', 'yes', 'false']) {
    const row = sourceOrderType()
    ;(await create({setNullIfEmpty: text})).handle(row, record('eav_entity_type', {increment_model: null}))
    t.is(row.values.increment_model, 'eav/entity_increment_numeric', text)
  }
})

test('an opposite record without the field counts as NULL there', async (t) => {
  const kept = sourceOrderType()
  const cleared = sourceOrderType()
  ;(await create({})).handle(kept, record('eav_entity_type', {}))
  ;(await create({setNullIfEmpty: 'true'})).handle(cleared, record('eav_entity_type', {}))

  t.is(kept.values.increment_model, 'eav/entity_increment_numeric')
  t.is(cleared.values.increment_model, null)
})

test('an empty text on the opposite side is copied: only NULL counts as empty', async (t) => {
  const row = sourceOrderType()
  ;(await create({}, 'additional_attribute_table')).handle(row, record('eav_entity_type', {additional_attribute_table: ''}))

  t.is(row.values.additional_attribute_table, '')
})

test('it needs no database and sends no query, however many rows it handles', async (t) => {
  const source = fakeLookup([])
  const handler = await getDestinationValue.create(handlerSetup({className: 'GetDestinationValue', document: 'eav_entity_type', field: 'increment_model', params: {setNullIfEmpty: 'true'}, source, destination: source}))
  const row = sourceOrderType()
  const opposite = record('eav_entity_type', {increment_model: null})
  for (let i = 0; i < 10_000; i++) handler.handle(row, opposite)

  t.is(source.count, 0)
})

test('a record without the field fails with "<field> field not found in the record."', async (t) => {
  const handler = await create({}, 'increment_per_store')

  t.throws(() => handler.handle(sourceOrderType(), record('eav_entity_type', {increment_per_store: 1})), {message: 'increment_per_store field not found in the record.'})
})
