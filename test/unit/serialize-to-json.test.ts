import test from 'ava'
import type {Handler, HandlerSetup, Value} from '../../transforms/handler.js'
import {MigrationError} from '../../src/errors.js'
import {HandlerRegistry} from '../../transforms/registry.js'
import {serializeToJson} from '../../transforms/serialize-to-json.js'
import {recordView} from '../helpers/record-view.js'

// Values as they are stored in the Magento 1.6.1.0 sample database (shared/reference/dumps).
const CATALOGRULE_1_ACTIONS = 'a:4:{s:4:"type";s:34:"catalogrule/rule_action_collection";s:9:"attribute";N;s:8:"operator";s:1:"=";s:5:"value";N;}'
const CATALOGRULE_5_CONDITIONS = 'a:7:{s:4:"type";s:34:"catalogrule/rule_condition_combine";s:9:"attribute";N;s:8:"operator";N;s:5:"value";s:1:"1";s:18:"is_value_processed";N;s:10:"aggregator";s:3:"any";s:10:"conditions";a:3:{i:0;a:5:{s:4:"type";s:34:"catalogrule/rule_condition_product";s:9:"attribute";s:3:"sku";s:8:"operator";s:2:"==";s:5:"value";s:6:"384822";s:18:"is_value_processed";b:0;}i:1;a:5:{s:4:"type";s:34:"catalogrule/rule_condition_product";s:9:"attribute";s:3:"sku";s:8:"operator";s:2:"==";s:5:"value";s:6:"349838";s:18:"is_value_processed";b:0;}i:2;a:5:{s:4:"type";s:34:"catalogrule/rule_condition_product";s:9:"attribute";s:3:"sku";s:8:"operator";s:2:"==";s:5:"value";s:4:"1112";s:18:"is_value_processed";b:0;}}}'
const VALIDATE_RULES_1 = 'a:2:{s:15:"max_text_length";i:255;s:15:"min_text_length";i:1;}'

interface Run {
  readonly handler: Handler
  readonly warnings: string[]
}

function create(document: string, field: string, params: Record<string, string> = {}, recordKey?: readonly string[]): Run {
  const warnings: string[] = []
  const setup: HandlerSetup = {
    className: '\\Migration\\Handler\\SerializeToJson',
    document,
    field,
    side: 'source',
    params,
    mapFile: '/maps/map.xml',
    at: '/maps/map.xml:40:17',
    warn: (message) => warnings.push(message),
    recordKey,
  }
  return {handler: serializeToJson.create(setup) as Handler, warnings}
}

/** Runs the handler on one record and returns the record's values afterwards. */
function convert(run: Run, document: string, values: Record<string, Value>): Record<string, Value> {
  const record = recordView(document, values)
  run.handler.handle(record, recordView(document, {}))
  return record.values
}

function catalogrule(value: Value, params: Record<string, string> = {}): {result: Value; warnings: string[]} {
  const run = create('catalogrule', 'actions_serialized', params)
  const result = convert(run, 'catalogrule', {rule_id: '7', name: 'Sony Sale', actions_serialized: value}).actions_serialized!
  return {result, warnings: run.warnings}
}

test('a real catalogrule value becomes the JSON json_encode writes', (t) => {
  const {result, warnings} = catalogrule(CATALOGRULE_1_ACTIONS)

  t.is(result, '{"type":"catalogrule\\/rule_action_collection","attribute":null,"operator":"=","value":null}')
  t.deepEqual(warnings, [])
})

test('nested condition lists become JSON arrays', (t) => {
  const {result} = catalogrule(CATALOGRULE_5_CONDITIONS)

  t.true(typeof result === 'string' && result.startsWith('{"type":"catalogrule\\/rule_condition_combine",'))
  t.true(typeof result === 'string' && result.includes('"aggregator":"any","conditions":[{"type":"catalogrule\\/rule_condition_product","attribute":"sku","operator":"==","value":"384822","is_value_processed":false},{'))
  t.deepEqual(JSON.parse(result as string).conditions.map((condition: {value: string}) => condition.value), ['384822', '349838', '1112'])
})

test('validate_rules become a JSON object, and an empty array becomes []', (t) => {
  const run = create('customer_eav_attribute', 'validate_rules')

  t.is(convert(run, 'customer_eav_attribute', {attribute_id: '1', validate_rules: VALIDATE_RULES_1}).validate_rules, '{"max_text_length":255,"min_text_length":1}')
  t.is(convert(run, 'customer_eav_attribute', {attribute_id: '14', validate_rules: 'a:0:{}'}).validate_rules, '[]')
})

test('a serialized null (admin_user.extra "N;") becomes the JSON text null, and SQL NULL stays NULL', (t) => {
  const run = create('admin_user', 'extra')

  t.is(convert(run, 'admin_user', {user_id: '1', extra: 'N;'}).extra, 'null')
  t.is(convert(run, 'admin_user', {user_id: '2', extra: null}).extra, null)
  t.deepEqual(run.warnings, [])
})

test('an empty value becomes false, since unserialize("") is false to PHP', (t) => {
  t.is(catalogrule('').result, 'false')
})

test('multibyte text and ints beyond 2^53 come out exactly', (t) => {
  const {result} = catalogrule('a:2:{s:5:"title";s:9:"Café 日";s:5:"limit";i:9007199254740993;}')

  t.is(result, '{"title":"Caf\\u00e9 \\u65e5","limit":9007199254740993}')
})

test('floats written by PHP 5 with 17 digits come out with Magento 2\'s 14', (t) => {
  t.is(catalogrule('a:1:{s:5:"price";d:49.990000000000002;}').result, '{"price":49.99}')
})

test('broken data becomes NULL with one warning naming the record and the reason', (t) => {
  const {result, warnings} = catalogrule('a:4:{s:4:"type";s:40:"catalogrule/rule_action_collection";}')

  t.is(result, null)
  t.is(warnings.length, 1)
  t.true(warnings[0]!.includes('rule_id 7'), warnings[0])
  t.true(warnings[0]!.includes('runs past the end'), warnings[0])
  t.true(warnings[0]!.includes('migrated as NULL'), warnings[0])
  t.true(warnings[0]!.includes('"a:4:{s:4:\\"type\\";s:40:'), warnings[0])
})

test('bytes after a complete value make it broken: PHP warns, and the DMT fails on warnings', (t) => {
  const {result, warnings} = catalogrule('a:0:{}a:0:{}')

  t.is(result, null)
  t.regex(warnings[0]!, /extra data starting at offset 6/)
})

test('a value that is already JSON is broken data too, as in the DMT', (t) => {
  const {result, warnings} = catalogrule('{"type":"catalogrule\\/rule_action_collection"}')

  t.is(result, null)
  t.is(warnings.length, 1)
})

test('suppressWarning=true migrates broken data as NULL without a warning', (t) => {
  const {result, warnings} = catalogrule('a:1:{', {suppressWarning: 'true'})

  t.is(result, null)
  t.deepEqual(warnings, [])
})

test('migrateBrokenData=false stops on broken data, naming document, field and record', (t) => {
  const error = t.throws(() => catalogrule('a:1:{', {migrateBrokenData: 'false'}))

  t.regex(error.message, /^catalogrule\.actions_serialized: record rule_id 7 /)
  t.true(error.message.includes('migrateBrokenData'), error.message)
})

test('text json_encode cannot write (not UTF-8) becomes NULL with a warning', (t) => {
  const value = Buffer.concat([Buffer.from('s:3:"'), Buffer.from([0x43, 0x61, 0xe9]), Buffer.from('";')])
  const {result, warnings} = catalogrule(value)

  t.is(result, null)
  t.regex(warnings[0]!, /not valid UTF-8/)
})

test('a Buffer value converts like the same text', (t) => {
  t.is(catalogrule(Buffer.from(VALIDATE_RULES_1)).result, '{"max_text_length":255,"min_text_length":1}')
})

test('a record of a table not listed is named by entity_id when it has one', (t) => {
  const run = create('sales_flat_order', 'gift_cards')

  convert(run, 'sales_flat_order', {entity_id: '100', gift_cards: 'a:1:{'})
  t.true(run.warnings[0]!.includes('record entity_id 100 '), run.warnings[0])
})

test('a record whose key the handler cannot tell is still reported, as one with an unknown key', (t) => {
  const run = create('custom_table', 'payload')

  convert(run, 'custom_table', {code: 'x', payload: 'a:1:{'})
  t.true(run.warnings[0]!.includes('with an unknown key'), run.warnings[0])
})

test('a missing field fails with "<field> field not found in the record."', (t) => {
  const run = create('catalogrule', 'conditions_serialized')

  t.throws(() => convert(run, 'catalogrule', {rule_id: '1'}), {message: 'conditions_serialized field not found in the record.'})
})

test('a flag param other than true or false is refused when the handler is created', (t) => {
  const error = t.throws(() => create('catalogrule', 'actions_serialized', {migrateBrokenData: 'maybe'}), {instanceOf: MigrationError})

  t.is(error.code, 'HANDLER_PARAMS')
  t.regex(error.message, /^\/maps\/map\.xml:40:17: .*migrateBrokenData is "maybe"/)
})

test('the registry finds it by the DMT class name; both params are optional', (t) => {
  t.is(new HandlerRegistry().find('\\Migration\\Handler\\SerializeToJson'), serializeToJson)
  t.deepEqual(Object.entries(serializeToJson.params).map(([name, param]) => [name, param.required]), [['migrateBrokenData', false], ['suppressWarning', false]])
})

test('broken data in a document with a composite key names the record by the key the step gives the handler', (t) => {
  const run = create('eav_entity_varchar_options', 'value', {}, ['entity_id', 'store_id'])
  convert(run, 'eav_entity_varchar_options', {entity_id: '12', store_id: '3', value: 'a:1:{s:3:"abc"'})
  t.is(run.warnings.length, 1)
  t.true(run.warnings[0].startsWith('record entity_id, store_id 12, 3 holds data PHP cannot convert'), run.warnings[0])
})
