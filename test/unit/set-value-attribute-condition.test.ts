import test from 'ava'
import type {Handler, Value} from '../../transforms/handler.js'
import {MigrationError} from '../../src/errors.js'
import {setValueAttributeCondition} from '../../transforms/set-value-attribute-condition.js'
import {type FakeLookup, fakeLookup, handlerSetup} from '../helpers/fake-lookup.js'
import {recordView} from '../helpers/record-view.js'

function record(values: Record<string, Value>) {
  return recordView('catalog_category_entity_varchar', values)
}

/** eav_attribute of the M1 sample: custom_design is 563 (category) and 571 (product); middlename 827, 833, 843, 849. */
function sampleSource(): FakeLookup {
  return fakeLookup([
    [/`attribute_code` = 'custom_design'/, [[563, 'custom_design'], [571, 'custom_design']]],
    [/`attribute_code` = 'middlename'/, [[827, 'middlename'], [833, 'middlename'], [843, 'middlename'], [849, 'middlename']]],
  ])
}

function create(params: Record<string, string>, source: FakeLookup = sampleSource(), document = 'catalog_category_entity_varchar', field = 'value'): Promise<Handler> {
  return Promise.resolve(setValueAttributeCondition.create(handlerSetup({className: '\\Migration\\Handler\\SetValueAttributeCondition', document, field, params, source})))
}

test('rows of the named attribute get the value; NULL in any case is SQL NULL', async (t) => {
  const handler = await create({attributeCode: 'custom_design', value: 'NULL'})
  const category = record({attribute_id: 563, value: 'default/modern'})
  const product = record({attribute_id: 571, value: 'default/blue'})
  handler.handle(category, record({}))
  handler.handle(product, record({}))

  t.is(category.values.value, null)
  t.is(product.values.value, null)
  const lower = await create({attributeCode: 'custom_design', value: 'null'})
  const row = record({attribute_id: 563, value: 'default/modern'})
  lower.handle(row, record({}))
  t.is(row.values.value, null)
})

test('rows of other attributes keep their value', async (t) => {
  const handler = await create({attributeCode: 'custom_design', value: 'NULL'})
  const urlPath = record({attribute_id: 533, value: 'apparel.html'})
  handler.handle(urlPath, record({}))

  t.is(urlPath.values.value, 'apparel.html')
})

test('a value other than NULL is set as text, for every entity type of the code', async (t) => {
  const handler = await create({attributeCode: 'middlename', value: '0'}, sampleSource(), 'customer_eav_attribute', 'is_visible')
  const customer = record({attribute_id: 827, is_visible: 1})
  const address = record({attribute_id: 833, is_visible: 1})
  const firstname = record({attribute_id: 826, is_visible: 1})
  for (const row of [customer, address, firstname]) handler.handle(row, record({}))

  t.is(customer.values.is_visible, '0')
  t.is(address.values.is_visible, '0')
  t.is(firstname.values.is_visible, 1)
})

test('codes are compared exactly, though SQL would also return one differing in case', async (t) => {
  const source = fakeLookup([[/attribute_code/, [[563, 'custom_design'], [900, 'Custom_Design']]]])
  const handler = await create({attributeCode: 'custom_design', value: 'NULL'}, source)
  const other = record({attribute_id: 900, value: 'kept'})
  handler.handle(other, record({}))

  t.is(other.values.value, 'kept')
})

test('the attribute is asked of the source eav_attribute by code, with the table prefix', async (t) => {
  const source = fakeLookup([[/attribute_code/, []]], {prefix: 'm1_'})
  await create({attributeCode: 'custom_design', value: 'NULL'}, source)

  t.deepEqual(source.queries, ["SELECT `attribute_id`, `attribute_code` FROM `m1_eav_attribute` WHERE `attribute_code` = 'custom_design'"])
})

test('transforming 10,000 rows sends no query beyond the one create() sent', async (t) => {
  const source = sampleSource()
  const handler = await create({attributeCode: 'custom_design', value: 'NULL'}, source)
  const afterCreate = source.count
  const row = record({attribute_id: 0, value: null})
  for (let i = 0; i < 10_000; i++) {
    row.values.attribute_id = 560 + (i % 5)
    row.values.value = 'default/modern'
    handler.handle(row, record({}))
  }

  t.is(afterCreate, 1)
  t.is(source.count, afterCreate)
})

test('a record without the field fails with "<field> field not found in the record."', async (t) => {
  const handler = await create({attributeCode: 'custom_design', value: 'NULL'}, sampleSource(), 'catalog_category_entity_varchar', 'design')

  t.throws(() => handler.handle(record({attribute_id: 563, value: 'x'}), record({})), {message: 'design field not found in the record.'})
})

test('without a source database the handler is refused when created, naming handler and field', async (t) => {
  const setup = handlerSetup({className: '\\Migration\\Handler\\SetValueAttributeCondition', document: 'customer_eav_attribute', field: 'is_visible', params: {attributeCode: 'middlename', value: '0'}})
  const error = await t.throwsAsync(async () => setValueAttributeCondition.create(setup), {instanceOf: MigrationError})

  t.true(error.message.includes('SetValueAttributeCondition on customer_eav_attribute.is_visible'), error.message)
})
