import test from 'ava'
import type {Handler, Value} from '../../transforms/handler.js'
import {MigrationError} from '../../src/errors.js'
import {eavAttributeBackendTypeForMultiselect} from '../../transforms/eav-attribute-backend-type-for-multiselect.js'
import {type FakeLookup, fakeLookup, handlerSetup} from '../helpers/fake-lookup.js'
import {recordView} from '../helpers/record-view.js'

function record(values: Record<string, Value>) {
  return recordView('eav_attribute', values)
}

/** catalog_product is entity type 10 in the M1 sample (catalog_category is 9). */
function sampleSource(): FakeLookup {
  return fakeLookup([[/FROM `eav_entity_type` WHERE `entity_type_code` = 'catalog_product'/, [[10]]]])
}

async function create(source: FakeLookup = sampleSource(), field = 'backend_type'): Promise<Handler> {
  return eavAttributeBackendTypeForMultiselect.create(handlerSetup({className: '\\Migration\\Handler\\EavAttribute\\BackendTypeForMultiselect', document: 'eav_attribute', field, source}))
}

function attribute(entityTypeId: Value, frontendInput: Value, backendType: Value) {
  return record({attribute_id: 929, entity_type_id: entityTypeId, attribute_code: 'x', backend_type: backendType, frontend_input: frontendInput})
}

async function backendType(entityTypeId: Value, frontendInput: Value, backendType: Value, source?: FakeLookup): Promise<Value> {
  const row = attribute(entityTypeId, frontendInput, backendType)
  ;(await create(source)).handle(row, record({}))
  return row.values.backend_type
}

test('a multiselect product attribute gets backend type varchar', async (t) => {
  t.is(await backendType(10, 'multiselect', 'text'), 'varchar')
  t.is(await backendType('10', 'multiselect', 'varchar'), 'varchar')
})

test('a multiselect attribute of another entity type keeps its backend type', async (t) => {
  // available_sort_by (929) is a catalog_category multiselect stored as text in the sample.
  t.is(await backendType(9, 'multiselect', 'text'), 'text')
})

test('a product attribute of another input keeps its backend type', async (t) => {
  t.is(await backendType(10, 'select', 'int'), 'int')
  t.is(await backendType(10, null, 'static'), 'static')
})

test('without a catalog_product entity type nothing changes', async (t) => {
  t.is(await backendType(10, 'multiselect', 'text', fakeLookup([[/eav_entity_type/, []]])), 'text')
})

test('the entity type is asked of the source once, with the table prefix', async (t) => {
  const source = fakeLookup([[/eav_entity_type/, [[10]]]], {prefix: 'm1_'})
  await create(source)

  t.deepEqual(source.queries, ["SELECT `entity_type_id` FROM `m1_eav_entity_type` WHERE `entity_type_code` = 'catalog_product' LIMIT 1"])
})

test('transforming 10,000 rows sends no query beyond the one create() sent', async (t) => {
  const source = sampleSource()
  const handler = await create(source)
  const afterCreate = source.count
  const row = attribute(10, 'multiselect', 'text')
  for (let i = 0; i < 10_000; i++) {
    row.values.entity_type_id = 9 + (i % 2)
    handler.handle(row, record({}))
  }

  t.is(afterCreate, 1)
  t.is(source.count, afterCreate)
})

test('a record without the field fails with "<field> field not found in the record."', async (t) => {
  const handler = await create(sampleSource(), 'backend')

  t.throws(() => handler.handle(attribute(10, 'multiselect', 'text'), record({})), {message: 'backend field not found in the record.'})
})

test('without a source database the handler is refused when created, naming handler and field', async (t) => {
  const setup = handlerSetup({className: '\\Migration\\Handler\\EavAttribute\\BackendTypeForMultiselect', document: 'eav_attribute', field: 'backend_type'})
  const error = await t.throwsAsync(async () => eavAttributeBackendTypeForMultiselect.create(setup), {instanceOf: MigrationError})

  t.true(error.message.includes('EavAttribute\\BackendTypeForMultiselect on eav_attribute.backend_type'), error.message)
})
