import test from 'ava'
import type {Handler, Value} from '../../transforms/handler.js'
import {MigrationError} from '../../src/errors.js'
import {convertEavValue} from '../../transforms/convert-eav-value.js'
import {type FakeLookup, failingLookup, fakeLookup, handlerSetup} from '../helpers/fake-lookup.js'
import {recordView} from '../helpers/record-view.js'

/** The map's own params for catalog_category_entity_varchar.value (1.6.1.0 map.xml.dist). */
const PAGE_LAYOUT_MAP = '[one_column:1column;two_columns_left:2columns-left;two_columns_right:2columns-right;three_columns:3columns]'

function record(values: Record<string, Value>) {
  return recordView('catalog_category_entity_varchar', values)
}

/** eav_attribute of the M1 sample: page_layout is 514 (catalog_category) and 931 (catalog_product). */
function sampleSource(): FakeLookup {
  return fakeLookup([[/FROM `eav_attribute` WHERE `attribute_code` = 'page_layout'/, [[514], [931]]]])
}

async function create(source: FakeLookup | undefined = sampleSource(), params: Record<string, string> = {map: PAGE_LAYOUT_MAP, attributeCode: 'page_layout'}, field = 'value'): Promise<Handler> {
  return convertEavValue.create(handlerSetup({className: '\\Migration\\Handler\\ConvertEavValue', document: 'catalog_category_entity_varchar', field, params, source}))
}

async function convert(attributeId: Value, value: Value): Promise<Value> {
  const row = record({value_id: 1, attribute_id: attributeId, value})
  ;(await create()).handle(row, record({}))
  return row.values.value
}

test('a page_layout value the map names becomes its Magento 2 counterpart', async (t) => {
  t.is(await convert(514, 'one_column'), '1column')
  t.is(await convert(931, 'three_columns'), '3columns')
  t.is(await convert(514, 'two_columns_left'), '2columns-left')
})

test('a page_layout value the map does not name stays as it is', async (t) => {
  t.is(await convert(514, 'empty'), 'empty')
  t.is(await convert(514, ''), '')
  t.is(await convert(514, null), null)
})

test('rows of other attributes keep their value even when it is a key of the map', async (t) => {
  // 563 is custom_design, 533 url_path in the sample.
  t.is(await convert(563, 'one_column'), 'one_column')
  t.is(await convert(533, 'apparel.html'), 'apparel.html')
})

test('an attribute id that arrives as text still matches the id loaded as a number', async (t) => {
  t.is(await convert('514', 'one_column'), '1column')
})

test('the attribute ids are asked of the source eav_attribute by code, with the table prefix', async (t) => {
  const source = fakeLookup([[/attribute_code/, [[514]]]], {prefix: 'mage_'})
  await create(source)

  t.deepEqual(source.queries, ["SELECT `attribute_id` FROM `mage_eav_attribute` WHERE `attribute_code` = 'page_layout'"])
})

test('an attribute code holding a quote is written into the SQL as an escaped literal', async (t) => {
  const source = fakeLookup([[/attribute_code/, []]])
  await create(source, {map: '[a:b]', attributeCode: "o'layout"})

  t.true(source.queries[0].endsWith("`attribute_code` = 'o\\'layout'"), source.queries[0])
})

test('transforming 10,000 rows sends no query beyond the one create() sent', async (t) => {
  const source = sampleSource()
  const handler = await create(source)
  const afterCreate = source.count
  const row = record({value_id: 0, attribute_id: 514, value: ''})
  for (let i = 0; i < 10_000; i++) {
    row.values.attribute_id = i % 2 === 0 ? 514 : 533
    row.values.value = 'one_column'
    handler.handle(row, record({}))
  }

  t.is(afterCreate, 1)
  t.is(source.count, afterCreate)
})

test('an attribute code the source does not have converts nothing', async (t) => {
  const handler = await create(fakeLookup([[/attribute_code/, []]]))
  const row = record({attribute_id: 514, value: 'one_column'})
  handler.handle(row, record({}))

  t.is(row.values.value, 'one_column')
})

test('a map entry that is not from:to is refused when the handler is created, naming the entry', async (t) => {
  const error = await t.throwsAsync(create(sampleSource(), {map: '[one_column:1column;three_columns]', attributeCode: 'page_layout'}), {instanceOf: MigrationError})

  t.is(error.code, 'HANDLER_PARAMS')
  t.true(error.message.includes('"three_columns"'), error.message)
  t.true(error.message.includes('catalog_category_entity_varchar.value'), error.message)
})

test('an empty map is refused, as the DMT refuses it', async (t) => {
  await t.throwsAsync(create(sampleSource(), {map: '[]', attributeCode: 'page_layout'}), {instanceOf: MigrationError})
})

test('spaces around a map entry are ignored, spaces inside it are kept', async (t) => {
  const handler = await create(sampleSource(), {map: '[ one_column:1column ; a b:c d ]', attributeCode: 'page_layout'})
  const first = record({attribute_id: 514, value: 'one_column'})
  const second = record({attribute_id: 514, value: 'a b'})
  handler.handle(first, record({}))
  handler.handle(second, record({}))

  t.is(first.values.value, '1column')
  t.is(second.values.value, 'c d')
})

test('a record without the field fails with "<field> field not found in the record."', async (t) => {
  const handler = await create(sampleSource(), undefined, 'layout')

  t.throws(() => handler.handle(record({attribute_id: 514, value: 'one_column'}), record({})), {message: 'layout field not found in the record.'})
})

test('without a source database the handler is refused when created, naming handler and field', async (t) => {
  const setup = handlerSetup({className: '\\Migration\\Handler\\ConvertEavValue', document: 'catalog_category_entity_varchar', field: 'value', params: {map: PAGE_LAYOUT_MAP, attributeCode: 'page_layout'}})
  const error = await t.throwsAsync(async () => convertEavValue.create(setup), {instanceOf: MigrationError})

  t.true(error.message.includes('ConvertEavValue'), error.message)
  t.true(error.message.includes('catalog_category_entity_varchar.value'), error.message)
  t.true(error.message.includes('source database'), error.message)
})

test('a lookup that fails makes create() fail with the cause and the handler named', async (t) => {
  const error = await t.throwsAsync(create(failingLookup("Table 'm1.eav_attribute' doesn't exist")), {instanceOf: MigrationError})

  t.true(error.message.includes('ConvertEavValue'), error.message)
  t.true(error.message.includes("Table 'm1.eav_attribute' doesn't exist"), error.message)
})
