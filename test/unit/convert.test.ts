import test from 'ava'
import type {Handler, HandlerSetup, Value} from '../../transforms/handler.js'
import {MigrationError} from '../../src/errors.js'
import {readMap} from '../../src/config/map-reader.js'
import {convert} from '../../transforms/convert.js'
import {referencePath} from '../helpers/db.js'
import {recordView as record} from '../helpers/record-view.js'

/** The 1.6.1.0 map's handler on cms_page.root_template. */
const ROOT_TEMPLATE = {
  map: '[one_column:1column;two_columns_left:2columns-left;two_columns_right:2columns-right;three_columns:3columns]',
  defaultValue: '1column',
}
/** The 1.6.1.0 map's handler on sales_flat_order_payment.method. */
const PAYMENT_METHOD = {map: '[paypal_direct:payflowpro;paypal_standard:paypal_express]'}

function setup(params: Record<string, string>, field = 'root_template', warnings: string[] = []): HandlerSetup {
  return {
    className: '\\Migration\\Handler\\Convert',
    document: 'cms_page',
    field,
    side: 'source',
    params,
    mapFile: '/maps/map.xml',
    at: '/maps/map.xml:1312:17',
    warn: (message) => warnings.push(message),
  }
}

function create(params: Record<string, string>, field = 'root_template'): Handler {
  return convert.create(setup(params, field)) as Handler
}

function converted(params: Record<string, string>, value: Value, field = 'root_template'): Value {
  const row = record('cms_page', {[field]: value})
  create(params, field).handle(row, record('cms_page', {}))
  return row.values[field]
}

test('the values the map names are replaced: the M1 sample\'s page layouts', (t) => {
  // cms_page 3, 4 and 1 of the 1.6.1.0 sample: one_column, three_columns, two_columns_right.
  t.is(converted(ROOT_TEMPLATE, 'one_column'), '1column')
  t.is(converted(ROOT_TEMPLATE, 'three_columns'), '3columns')
  t.is(converted(ROOT_TEMPLATE, 'two_columns_right'), '2columns-right')
})

test('a value the map does not name becomes defaultValue', (t) => {
  // "empty" is Magento 1's layout without columns; the map has no entry for it.
  t.is(converted(ROOT_TEMPLATE, 'empty'), '1column')
  t.is(converted(ROOT_TEMPLATE, null), '1column')
})

test('without defaultValue, a value the map does not name stays as it is', (t) => {
  t.is(converted(PAYMENT_METHOD, 'checkmo', 'method'), 'checkmo')
  t.is(converted(PAYMENT_METHOD, null, 'method'), null)
  t.is(converted(PAYMENT_METHOD, 'paypal_standard', 'method'), 'paypal_express')
})

test('an empty or "0" defaultValue is no default, as PHP reads both as false', (t) => {
  t.is(converted({...PAYMENT_METHOD, defaultValue: ''}, 'checkmo', 'method'), 'checkmo')
  t.is(converted({...PAYMENT_METHOD, defaultValue: '0'}, 'checkmo', 'method'), 'checkmo')
})

test('a defaultValue of "0" is named in a warning, since it has no effect', (t) => {
  const warnings: string[] = []
  convert.create(setup({...PAYMENT_METHOD, defaultValue: '0'}, 'method', warnings))

  t.is(warnings.length, 1)
  t.true(warnings[0].includes('defaultValue "0"'), warnings[0])
})

test('the real map-eav.xml.dist map, spread over lines, converts M1 entity tables', async (t) => {
  const rules = await readMap(referencePath('magento-dmt', 'etc', 'opensource-to-opensource', 'map-eav.xml.dist'))
  const [handler] = rules.getHandlerConfigs('eav_entity_type', 'entity_table', 'source')
  const convertTable = (value: Value) => converted(handler.params, value, 'entity_table')

  // entity_table of the sample's customer, catalog_product, quote_item, invoice_shipment and order_item types.
  t.is(convertTable('customer/entity'), 'customer_entity')
  t.is(convertTable('catalog/product'), 'catalog_product_entity')
  t.is(convertTable('sales/quote_item'), 'quote_item')
  t.is(convertTable('sales/invoice'), 'sales_invoice')
  t.is(convertTable('sales/order_entity'), 'sales_order_entity')
  // An extension's table, which the map does not name, keeps its value (the map has no default).
  t.is(convertTable('enterprise_rma/rma'), 'enterprise_rma/rma')
})

test('a number is looked up by its text, as PHP\'s array keys find it', (t) => {
  t.is(converted({map: '[0:1;1:0]'}, 1, 'is_active'), '0')
  t.is(converted({map: '[0:1;1:0]'}, '0', 'is_active'), '1')
  // '01' is not the key '1' in PHP either.
  t.is(converted({map: '[0:1;1:0]'}, '01', 'is_active'), '01')
})

test('entries are trimmed, but key and value inside an entry are taken as written', (t) => {
  t.is(converted({map: '[ one_column:1column ;\n three_columns:3columns ]'}, 'three_columns'), '3columns')
  t.is(converted({map: '[one_column :1column]'}, 'one_column'), 'one_column')
  t.is(converted({map: '[one_column :1column]'}, 'one_column '), '1column')
})

test('a key given twice takes the later value', (t) => {
  t.is(converted({map: '[one_column:1column;one_column:empty]'}, 'one_column'), 'empty')
})

test('a map entry without exactly one colon is refused when the handler is created, naming it', (t) => {
  for (const map of ['[one_column:1column;three_columns]', '[a:b:c]', '[]']) {
    const error = t.throws(() => create({map}), {instanceOf: MigrationError})
    t.is(error.code, 'HANDLER_PARAMS')
    t.true(error.message.startsWith('/maps/map.xml:1312:17: handler \\Migration\\Handler\\Convert on cms_page.root_template'), error.message)
  }
  const error = t.throws(() => create({map: '[one_column:1column;three_columns]'}))
  t.true(error.message.includes('"three_columns"'), error.message)
})

test('a missing field fails with "<field> field not found in the record."', (t) => {
  const handler = create(ROOT_TEMPLATE)

  t.throws(() => handler.handle(record('cms_page', {identifier: 'home'}), record('cms_page', {})), {message: 'root_template field not found in the record.'})
})
