import test from 'ava'
import type {Handler, Value} from '../../transforms/handler.js'
import {MigrationError} from '../../src/errors.js'
import {truncateSuffix} from '../../transforms/truncate-suffix.js'
import {type CannedAnswer, type FakeLookup, fakeLookup, handlerSetup} from '../helpers/fake-lookup.js'
import {recordView} from '../helpers/record-view.js'

function record(values: Record<string, Value>) {
  return recordView('catalog_product_entity_varchar', values)
}

/** The map's params for catalog_product_entity_varchar.value (1.6.1.0 map.xml.dist). */
const PRODUCT_PARAMS = {suffixPath: 'catalog/seo/product_url_suffix', attributeCodes: '[url_key,url_path]', entityTypeCode: 'catalog_product'}

/** url_key is 481 and url_path 570 for catalog_product in the M1 sample; the suffix row is given. */
function source(suffixRows: Value[][]): FakeLookup {
  const answers: CannedAnswer[] = [
    [/FROM `core_config_data`/, suffixRows],
    [/FROM `eav_attribute` AS ea INNER JOIN `eav_entity_type` AS eet/, [[481], [570]]],
  ]
  return fakeLookup(answers)
}

async function create(lookup: FakeLookup, params: Record<string, string> = PRODUCT_PARAMS, field = 'value'): Promise<Handler> {
  return truncateSuffix.create(handlerSetup({className: '\\Migration\\Handler\\TruncateSuffix', document: 'catalog_product_entity_varchar', field, params, source: lookup}))
}

async function truncated(suffixRows: Value[][], attributeId: Value, value: Value): Promise<Value> {
  const row = record({value_id: 1278, attribute_id: attributeId, store_id: 1, entity_id: 16, value})
  ;(await create(source(suffixRows))).handle(row, record({}))
  return row.values.value
}

test('without a configured suffix, .html is taken off url_path values', async (t) => {
  t.is(await truncated([], 570, 'nokia-2610-phone.html'), 'nokia-2610-phone')
})

test('an empty or "0" suffix setting counts as unset, so .html is taken off', async (t) => {
  t.is(await truncated([['']], 570, 'nokia-2610-phone.html'), 'nokia-2610-phone')
  t.is(await truncated([['0']], 570, 'nokia-2610-phone.html'), 'nokia-2610-phone')
  t.is(await truncated([[null]], 570, 'nokia-2610-phone.html'), 'nokia-2610-phone')
})

test('a configured suffix is taken off instead of .html', async (t) => {
  t.is(await truncated([['.htm']], 570, 'blackberry-8100-pearl.htm'), 'blackberry-8100-pearl')
  t.is(await truncated([['.htm']], 570, 'blackberry-8100-pearl.html'), 'blackberry-8100-pearl.html')
})

test('the suffix is taken off the end only, and its dot is a dot', async (t) => {
  t.is(await truncated([], 570, 'apparel.html/shirts.html'), 'apparel.html/shirts')
  t.is(await truncated([], 570, 'sony-ericsson-w810i.html.bak'), 'sony-ericsson-w810i.html.bak')
  t.is(await truncated([], 570, 'xhtml'), 'xhtml')
})

test('the suffix is taken off from before one final newline, as the DMT does', async (t) => {
  t.is(await truncated([], 570, 'nokia-2610-phone.html\n'), 'nokia-2610-phone\n')
})

test('url_key values lose the suffix too, other attributes keep it', async (t) => {
  t.is(await truncated([], 481, 'nokia-2610-phone.html'), 'nokia-2610-phone')
  t.is(await truncated([], '481', 'nokia-2610-phone.html'), 'nokia-2610-phone')
  // 571 is custom_design.
  t.is(await truncated([], 571, 'default/modern.html'), 'default/modern.html')
})

test('a NULL value stays NULL', async (t) => {
  t.is(await truncated([], 570, null), null)
})

test('the suffix and the attribute ids are asked of the source once each, with prefix and literals', async (t) => {
  const lookup = fakeLookup([[/core_config_data/, []], [/eav_attribute/, []]], {prefix: 'm1_'})
  await create(lookup)

  t.deepEqual(lookup.queries, [
    "SELECT `value` FROM `m1_core_config_data` WHERE `path` = 'catalog/seo/product_url_suffix' ORDER BY `scope` = 'default' DESC, `config_id` LIMIT 1",
    "SELECT ea.`attribute_id` FROM `m1_eav_attribute` AS ea INNER JOIN `m1_eav_entity_type` AS eet ON ea.`entity_type_id` = eet.`entity_type_id` WHERE ea.`attribute_code` IN ('url_key', 'url_path') AND eet.`entity_type_code` = 'catalog_product'",
  ])
})

test('transforming 10,000 rows sends no query beyond the two create() sent', async (t) => {
  const lookup = source([])
  const handler = await create(lookup)
  const afterCreate = lookup.count
  const row = record({attribute_id: 570, value: ''})
  for (let i = 0; i < 10_000; i++) {
    row.values.attribute_id = i % 2 === 0 ? 570 : 571
    row.values.value = `product-${i}.html`
    handler.handle(row, record({}))
  }

  t.is(afterCreate, 2)
  t.is(lookup.count, afterCreate)
})

test('a record without the field fails with "<field> field not found in the record."', async (t) => {
  const handler = await create(source([]), PRODUCT_PARAMS, 'url')

  t.throws(() => handler.handle(record({attribute_id: 570, value: 'a.html'}), record({})), {message: 'url field not found in the record.'})
})

test('without a source database the handler is refused when created, naming handler and field', async (t) => {
  const setup = handlerSetup({className: '\\Migration\\Handler\\TruncateSuffix', document: 'catalog_category_entity_varchar', field: 'value', params: PRODUCT_PARAMS})
  const error = await t.throwsAsync(async () => truncateSuffix.create(setup), {instanceOf: MigrationError})

  t.true(error.message.includes('TruncateSuffix on catalog_category_entity_varchar.value'), error.message)
  t.true(error.message.includes('catalog/seo/product_url_suffix'), error.message)
})
