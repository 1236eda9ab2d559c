import test from 'ava'
import type {Handler, HandlerSetup, Value} from '../../transforms/handler.js'
import {MigrationError} from '../../src/errors.js'
import {HandlerRegistry} from '../../transforms/registry.js'
import {phpPattern, serializeToJsonConvertWithConditions} from '../../transforms/serialize-to-json-convert-with-conditions.js'
import {serializeToJsonItemOption} from '../../transforms/serialize-to-json-item-option.js'
import {recordView} from '../helpers/record-view.js'

/** The pattern the DMT's maps give this handler for quote and wishlist item options. */
const DMT_PATTERN = '/(parameters)|(info_buyRequest)|(attributes)|(bundle_option_ids)|(bundle_selection_ids)|(bundle_selection_attributes)/'

// Item option values in Magento 1's format (sales_flat_quote_item_option, wishlist_item_option).
const INFO_BUY_REQUEST = 'a:3:{s:7:"product";s:3:"166";s:15:"related_product";s:0:"";s:3:"qty";s:1:"2";}'
const ATTRIBUTES = 'a:1:{i:525;s:2:"99";}'
const BUNDLE_SELECTION_IDS = 'a:2:{i:0;s:1:"3";i:1;s:1:"5";}'
const FILE_OPTION = 'a:2:{s:4:"type";s:10:"image/jpeg";s:5:"title";s:8:"logo.jpg";}'

function setupFor(params: Record<string, string>, warnings: string[] = []): HandlerSetup {
  return {
    className: '\\Migration\\Handler\\SerializeToJson\\ConvertWithConditions',
    document: 'sales_flat_quote_item_option',
    field: 'value',
    side: 'source',
    params,
    mapFile: '/maps/map.xml',
    at: '/maps/map.xml:1203:17',
    warn: (message) => warnings.push(message),
  }
}

function create(params: Record<string, string> = {}, warnings: string[] = []): Handler {
  return serializeToJsonConvertWithConditions.create(setupFor({conditionalField: 'code', conditionalFieldValuesPattern: DMT_PATTERN, ...params}, warnings)) as Handler
}

function option(code: Value, value: Value, params: Record<string, string> = {}): {value: Value; warnings: string[]} {
  const warnings: string[] = []
  const record = recordView('sales_flat_quote_item_option', {option_id: '31', item_id: '12', code, value})
  create(params, warnings).handle(record, recordView('quote_item_option', {}))
  return {value: record.values.value!, warnings}
}

test('an option whose code matches the pattern becomes JSON', (t) => {
  t.is(option('info_buyRequest', INFO_BUY_REQUEST).value, '{"product":"166","related_product":"","qty":"2"}')
  t.is(option('attributes', ATTRIBUTES).value, '{"525":"99"}')
  t.is(option('bundle_selection_ids', BUNDLE_SELECTION_IDS).value, '["3","5"]')
})

test('an option whose code does not match is kept as it is', (t) => {
  t.is(option('product_type', 'grouped').value, 'grouped')
  t.is(option('option_ids', '12,13').value, '12,13')
  t.is(option('option_12', FILE_OPTION).value, FILE_OPTION)
})

test('the pattern matches anywhere in the value, as preg_match does', (t) => {
  t.is(option('super_attributes_x', ATTRIBUTES).value, '{"525":"99"}')
})

test('NULL stays NULL', (t) => {
  t.is(option('info_buyRequest', null).value, null)
})

test('after it, ItemOption converts the custom options, and each value is converted once', (t) => {
  const itemOption = serializeToJsonItemOption.create({...setupFor({}), className: '\\Migration\\Handler\\SerializeToJson\\ItemOption'}) as Handler
  const conditions = create()
  const rows = [recordView('sales_flat_quote_item_option', {option_id: '1', code: 'info_buyRequest', value: INFO_BUY_REQUEST}), recordView('sales_flat_quote_item_option', {option_id: '2', code: 'option_4', value: FILE_OPTION})]

  for (const row of rows) {
    conditions.handle(row, recordView('x', {}))
    itemOption.handle(row, recordView('x', {}))
  }
  t.deepEqual(rows.map((row) => row.values.value), ['{"product":"166","related_product":"","qty":"2"}', '{"type":"image\\/jpeg","title":"logo.jpg"}'])
})

test('broken data in a matching option becomes NULL with a warning naming the record', (t) => {
  const result = option('info_buyRequest', 'a:3:{s:7:"product";s:3:"166";')

  t.is(result.value, null)
  t.is(result.warnings.length, 1)
  t.true(result.warnings[0]!.includes('record option_id 31 '), result.warnings[0])
})

test('broken data in an option that does not match is kept without a word', (t) => {
  const result = option('option_12', 'a:3:{')

  t.is(result.value, 'a:3:{')
  t.deepEqual(result.warnings, [])
})

test('ignoreBrokenData=false stops on broken data', (t) => {
  const error = t.throws(() => option('attributes', 'a:1:{i:525;', {ignoreBrokenData: 'false'}))

  t.regex(error.message, /^sales_flat_quote_item_option\.value: record option_id 31 .*ignoreBrokenData/)
})

test('modifiers and other delimiters of a PHP pattern are honoured', (t) => {
  t.is(option('Info_BuyRequest', INFO_BUY_REQUEST, {conditionalFieldValuesPattern: '/info_buyrequest/i'}).value, '{"product":"166","related_product":"","qty":"2"}')
  t.is(option('attributes', ATTRIBUTES, {conditionalFieldValuesPattern: '{^attributes$}'}).value, '{"525":"99"}')
  t.is(option('my_attributes', ATTRIBUTES, {conditionalFieldValuesPattern: '#^attributes$#'}).value, ATTRIBUTES)
})

test('a pattern without delimiters is refused when the handler is created', (t) => {
  const error = t.throws(() => create({conditionalFieldValuesPattern: 'info_buyRequest'}), {instanceOf: MigrationError})

  t.is(error.code, 'HANDLER_PARAMS')
  t.regex(error.message, /^\/maps\/map\.xml:1203:17: .*conditionalFieldValuesPattern "info_buyRequest" cannot be used: it does not start with a delimiter/)
})

test('a PCRE feature JavaScript would read differently is refused rather than misread', (t) => {
  t.regex(phpPattern('/\\Ainfo/') as string, /escape \\A/)
  t.regex(phpPattern('/info/x') as string, /modifier "x"/)
  t.regex(phpPattern('/(?P<name>info)/') as string, /PCRE syntax/)
  t.regex(phpPattern('/a++/') as string, /PCRE syntax/)
  t.regex(phpPattern('/info') as string, /no closing delimiter/)
})

test('phpPattern reads the DMT\'s pattern and escaped delimiters', (t) => {
  const dmt = phpPattern(DMT_PATTERN)
  const escaped = phpPattern('/a\\/b/')

  t.true(dmt instanceof RegExp && dmt.test('bundle_selection_attributes') && !dmt.test('option_1'))
  t.true(escaped instanceof RegExp && escaped.test('a/b'))
})

test('a record without the conditional field fails naming it', (t) => {
  t.throws(() => create().handle(recordView('sales_flat_quote_item_option', {option_id: '31', value: INFO_BUY_REQUEST}), recordView('x', {})), {message: 'code field not found in the record.'})
})

test('a record whose conditional field is NULL is refused, as the DMT refuses it', (t) => {
  t.throws(() => option(null, INFO_BUY_REQUEST), {message: /code is NULL in record option_id 31/})
})

test('an empty conditionalField is refused when the handler is created', (t) => {
  const error = t.throws(() => create({conditionalField: ''}), {instanceOf: MigrationError})

  t.is(error.code, 'HANDLER_PARAMS')
})

test('the registry finds it by the DMT class name; the field and pattern are required', (t) => {
  t.is(new HandlerRegistry().find('\\Migration\\Handler\\SerializeToJson\\ConvertWithConditions'), serializeToJsonConvertWithConditions)
  t.deepEqual(Object.entries(serializeToJsonConvertWithConditions.params).map(([name, param]) => [name, param.required]), [['conditionalField', true], ['conditionalFieldValuesPattern', true], ['ignoreBrokenData', false]])
})
