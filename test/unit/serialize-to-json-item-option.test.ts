import test from 'ava'
import type {Handler, HandlerSetup, Value} from '../../transforms/handler.js'
import {HandlerRegistry} from '../../transforms/registry.js'
import {serializeToJsonItemOption} from '../../transforms/serialize-to-json-item-option.js'
import {recordView} from '../helpers/record-view.js'

// Item option values in Magento 1's format (sales_flat_quote_item_option): a file custom option
// keeps its upload details serialized; other custom options keep plain text or an option id.
const FILE_OPTION = 'a:3:{s:4:"type";s:10:"image/jpeg";s:5:"title";s:8:"logo.jpg";s:5:"width";i:200;}'
const INFO_BUY_REQUEST = 'a:2:{s:7:"product";s:3:"166";s:3:"qty";i:1;}'

function create(): {handler: Handler; warnings: string[]} {
  const warnings: string[] = []
  const setup: HandlerSetup = {
    className: '\\Migration\\Handler\\SerializeToJson\\ItemOption',
    document: 'sales_flat_quote_item_option',
    field: 'value',
    side: 'source',
    params: {},
    mapFile: '/maps/map.xml',
    at: '/maps/map.xml:1210:17',
    warn: (message) => warnings.push(message),
  }
  return {handler: serializeToJsonItemOption.create(setup) as Handler, warnings}
}

function option(code: Value, value: Value): {value: Value; warnings: string[]} {
  const {handler, warnings} = create()
  const record = recordView('sales_flat_quote_item_option', {option_id: '31', item_id: '12', product_id: '166', code, value})
  handler.handle(record, recordView('quote_item_option', {}))
  return {value: record.values.value!, warnings}
}

test('a custom option (code option_<id>) holding serialized data becomes JSON', (t) => {
  t.is(option('option_12', FILE_OPTION).value, '{"type":"image\\/jpeg","title":"logo.jpg","width":200}')
})

test('a custom option holding plain text or an option id is kept as it is', (t) => {
  t.is(option('option_5', '12').value, '12')
  t.is(option('option_6', 'Happy birthday, Anna!').value, 'Happy birthday, Anna!')
})

test('an option whose code is not option_<id> is left to other handlers, serialized or not', (t) => {
  t.is(option('info_buyRequest', INFO_BUY_REQUEST).value, INFO_BUY_REQUEST)
  // option_ids lists the custom option ids: no digits follow "option_".
  t.is(option('option_ids', '12,13').value, '12,13')
})

test('the code matches option_<digits> anywhere in it, as preg_match does', (t) => {
  t.is(option('bundle_option_3', 'a:0:{}').value, '[]')
})

test('a serialized false is kept as it is, since @unserialize gives false for it too', (t) => {
  t.is(option('option_7', 'b:0;').value, 'b:0;')
})

test('what PHP only warns about (bytes after the value) is converted, since @ hides warnings', (t) => {
  t.is(option('option_7', 'a:1:{i:0;s:1:"x";}trailing').value, '["x"]')
})

test('NULL stays NULL', (t) => {
  t.is(option('option_7', null).value, null)
})

test('a value json_encode cannot write is kept, with a warning', (t) => {
  const value = Buffer.concat([Buffer.from('s:3:"'), Buffer.from([0x43, 0x61, 0xe9]), Buffer.from('";')])
  const result = option('option_7', value)

  t.is(result.value, value)
  t.regex(result.warnings[0]!, /option_id 31.*not valid UTF-8.*kept/)
})

test('a record without a code field fails with "code field not found in the record."', (t) => {
  const {handler} = create()

  t.throws(() => handler.handle(recordView('sales_flat_quote_item_option', {option_id: '31', value: FILE_OPTION}), recordView('x', {})), {message: 'code field not found in the record.'})
})

test('a record whose code is NULL is refused, as the DMT refuses it', (t) => {
  t.throws(() => option(null, FILE_OPTION), {message: /code is NULL in record option_id 31/})
})

test('a record without the value field fails with "value field not found in the record."', (t) => {
  const {handler} = create()

  t.throws(() => handler.handle(recordView('sales_flat_quote_item_option', {option_id: '31', code: 'option_1'}), recordView('x', {})), {message: 'value field not found in the record.'})
})

test('the registry finds it by the DMT class name; it takes no params', (t) => {
  t.is(new HandlerRegistry().find('\\Migration\\Handler\\SerializeToJson\\ItemOption'), serializeToJsonItemOption)
  t.deepEqual(serializeToJsonItemOption.params, {})
})
