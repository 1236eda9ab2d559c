import test from 'ava'
import type {Handler, HandlerSetup, Value} from '../../transforms/handler.js'
import {HandlerRegistry} from '../../transforms/registry.js'
import {serializeToJsonSalesOrderItem} from '../../transforms/serialize-to-json-sales-order-item.js'
import {recordView} from '../helpers/record-view.js'

/** s:<byte length>:"text"; — a PHP-serialized string, its length counted in bytes. */
function s(text: string): string {
  return `s:${Buffer.byteLength(text)}:"${text}";`
}

// sales_flat_order_item.product_options in Magento 1's format. A file option's option_value and
// a bundle item's bundle_selection_attributes are serialized a second time inside.
const TEXT_OPTION = `a:7:{${s('label')}${s('Engraving')}${s('value')}${s('Anna')}${s('print_value')}${s('Anna')}${s('option_id')}${s('3')}${s('option_type')}${s('field')}${s('option_value')}${s('Anna')}${s('custom_view')}b:0;}`
const UPLOAD = `a:2:{${s('type')}${s('image/jpeg')}${s('title')}${s('logo.jpg')}}`
function fileOption(optionValue: string): string {
  return `a:7:{${s('label')}${s('Logo')}${s('value')}${s('logo.jpg')}${s('print_value')}${s('logo.jpg')}${s('option_id')}${s('4')}${s('option_type')}${s('file')}${s('option_value')}${s(optionValue)}${s('custom_view')}b:1;}`
}
function withOptions(...options: string[]): string {
  return `a:2:{${s('info_buyRequest')}a:2:{${s('product')}${s('52')}${s('qty')}i:1;}${s('options')}a:${options.length}:{${options.map((option, i) => `i:${i};${option}`).join('')}}}`
}
const SELECTION_ATTRIBUTES = `a:4:{${s('price')}d:49.990000000000002;${s('qty')}d:1;${s('option_label')}${s('Color')}${s('option_id')}${s('2')}}`
function bundleItem(attributes: string): string {
  return `a:2:{${s('info_buyRequest')}a:1:{${s('product')}${s('447')}}${s('bundle_selection_attributes')}${attributes}}`
}

const TEXT_OPTION_JSON = '{"label":"Engraving","value":"Anna","print_value":"Anna","option_id":"3","option_type":"field","option_value":"Anna","custom_view":false}'
const BUY_REQUEST_JSON = '"info_buyRequest":{"product":"52","qty":1}'

function create(params: Record<string, string>, warnings: string[]): Handler {
  const setup: HandlerSetup = {
    className: '\\Migration\\Handler\\SerializeToJson\\SalesOrderItem',
    document: 'sales_flat_order_item',
    field: 'product_options',
    side: 'source',
    params,
    mapFile: '/maps/map.xml',
    at: '/maps/map.xml:1110:17',
    warn: (message) => warnings.push(message),
  }
  return serializeToJsonSalesOrderItem.create(setup) as Handler
}

function orderItem(productOptions: Value, params: Record<string, string> = {}): {value: Value; warnings: string[]} {
  const warnings: string[] = []
  const record = recordView('sales_flat_order_item', {item_id: '59', order_id: '12', product_options: productOptions})
  create(params, warnings).handle(record, recordView('sales_order_item', {}))
  return {value: record.values.product_options!, warnings}
}

test('product options without nested serialized values become JSON as SerializeToJson makes it', (t) => {
  const result = orderItem(withOptions(TEXT_OPTION))

  t.is(result.value, `{${BUY_REQUEST_JSON},"options":[${TEXT_OPTION_JSON}]}`)
  t.deepEqual(result.warnings, [])
})

test('a file option\'s serialized option_value becomes a JSON string inside the JSON', (t) => {
  const result = orderItem(withOptions(TEXT_OPTION, fileOption(UPLOAD)))

  // The upload details as JSON, {"type":"image\/jpeg","title":"logo.jpg"}, written again as a JSON string.
  const optionValue = String.raw`"{\"type\":\"image\\\/jpeg\",\"title\":\"logo.jpg\"}"`
  t.is(result.value, `{${BUY_REQUEST_JSON},"options":[${TEXT_OPTION_JSON},{"label":"Logo","value":"logo.jpg","print_value":"logo.jpg","option_id":"4","option_type":"file","option_value":${optionValue},"custom_view":true}]}`)
  t.deepEqual(JSON.parse(JSON.parse(result.value as string).options[1].option_value), {type: 'image/jpeg', title: 'logo.jpg'})
})

test('an empty file option_value is not unserialized: it becomes the JSON string ""', (t) => {
  const value = JSON.parse(orderItem(withOptions(fileOption(''))).value as string)

  t.is(value.options[0].option_value, '""')
})

test('a non-file option keeps its option_value even when it looks serialized', (t) => {
  const option = TEXT_OPTION.replace(`${s('option_value')}${s('Anna')}`, `${s('option_value')}${s('a:0:{}')}`)
  const value = JSON.parse(orderItem(withOptions(option)).value as string)

  t.is(value.options[0].option_value, 'a:0:{}')
})

test('bundle_selection_attributes become a JSON string, floats with 14 digits', (t) => {
  const result = orderItem(bundleItem(s(SELECTION_ATTRIBUTES)))

  t.is(result.value, String.raw`{"info_buyRequest":{"product":"447"},"bundle_selection_attributes":"{\"price\":49.99,\"qty\":1,\"option_label\":\"Color\",\"option_id\":\"2\"}"}`)
})

test('a NULL bundle_selection_attributes stays null (PHP\'s isset() is false for it)', (t) => {
  t.is(orderItem(bundleItem('N;')).value, '{"info_buyRequest":{"product":"447"},"bundle_selection_attributes":null}')
})

test('broken data nested in a file option makes the whole value NULL, with a warning saying where', (t) => {
  const result = orderItem(withOptions(TEXT_OPTION, fileOption('a:2:{s:4:"type";')))

  t.is(result.value, null)
  t.is(result.warnings.length, 1)
  t.true(result.warnings[0]!.includes('record item_id 59 '), result.warnings[0])
  t.true(result.warnings[0]!.includes('options[1].option_value'), result.warnings[0])
})

test('broken bundle_selection_attributes make the value NULL with a warning', (t) => {
  const result = orderItem(bundleItem(s('a:4:{s:5:"price";')))

  t.is(result.value, null)
  t.regex(result.warnings[0]!, /bundle_selection_attributes/)
})

test('broken product options become NULL with a warning', (t) => {
  const result = orderItem(withOptions(TEXT_OPTION).slice(0, -3))

  t.is(result.value, null)
  t.regex(result.warnings[0]!, /record item_id 59 /)
})

test('ignoreBrokenData=false stops on broken data, also nested', (t) => {
  t.throws(() => orderItem('a:1:{', {ignoreBrokenData: 'false'}), {message: /^sales_flat_order_item\.product_options: record item_id 59 .*ignoreBrokenData/})
  t.throws(() => orderItem(withOptions(fileOption('a:9:{')), {ignoreBrokenData: 'false'}), {message: /options\[0\]\.option_value/})
})

test('NULL stays NULL', (t) => {
  t.is(orderItem(null).value, null)
})

test('a missing field fails with "<field> field not found in the record."', (t) => {
  t.throws(() => create({}, []).handle(recordView('sales_flat_order_item', {item_id: '59'}), recordView('x', {})), {message: 'product_options field not found in the record.'})
})

test('the registry finds it by the DMT class name; ignoreBrokenData is optional', (t) => {
  t.is(new HandlerRegistry().find('\\Migration\\Handler\\SerializeToJson\\SalesOrderItem'), serializeToJsonSalesOrderItem)
  t.deepEqual(Object.entries(serializeToJsonSalesOrderItem.params).map(([name, param]) => [name, param.required]), [['ignoreBrokenData', false]])
})
