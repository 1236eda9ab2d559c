import test from 'ava'
import type {Handler, HandlerSetup, Value} from '../../transforms/handler.js'
import {MigrationError} from '../../src/errors.js'
import {ruleSerializedData} from '../../transforms/rule-serialized-data.js'
import {serializeToJson} from '../../transforms/serialize-to-json.js'
import {referencePath} from '../helpers/db.js'
import {handlerSetup} from '../helpers/fake-lookup.js'
import {recordView} from '../helpers/record-view.js'

const CLASS = '\\Migration\\Handler\\Rule\\SerializedData'
const REAL_CLASS_MAP = referencePath('magento-dmt', 'etc', 'opensource-to-opensource', 'class-map.xml.dist')

function setupFor(field = 'conditions_serialized', resolveOptionFile: HandlerSetup['resolveOptionFile'] = () => REAL_CLASS_MAP): HandlerSetup {
  return handlerSetup({className: CLASS, document: 'catalogrule', field, resolveOptionFile})
}

async function create(field = 'conditions_serialized'): Promise<Handler> {
  return ruleSerializedData.create(setupFor(field))
}

/** A PHP serialized string, written out here by PHP's rule: s:<bytes>:"<text>"; */
function s(text: string): string {
  return `s:${Buffer.byteLength(text)}:"${text}";`
}

/** Rule 1 of the M1 sample ("Sony Sale"): conditions on manufacturer and price, with the M1 class aliases given. */
function sonySaleConditions(combine: string, product: string): string {
  const condition = (attribute: string, operator: string, value: string) =>
    `a:5:{${s('type')}${s(product)}${s('attribute')}${s(attribute)}${s('operator')}${s(operator)}${s('value')}${value}${s('is_value_processed')}b:0;}`
  return `a:7:{${s('type')}${s(combine)}${s('attribute')}N;${s('operator')}N;${s('value')}${s('1')}${s('is_value_processed')}N;${s('aggregator')}${s('all')}`
    + `${s('conditions')}a:2:{i:0;${condition('manufacturer', '==', s(''))}i:1;${condition('price', '<=', 'd:100;')}}}`
}

function actions(collection: string): string {
  return `a:4:{${s('type')}${s(collection)}${s('attribute')}N;${s('operator')}${s('=')}${s('value')}N;}`
}

const M1_CONDITIONS = sonySaleConditions('catalogrule/rule_condition_combine', 'catalogrule/rule_condition_product')
const M2_CONDITIONS = sonySaleConditions('Magento\\CatalogRule\\Model\\Rule\\Condition\\Combine', 'Magento\\CatalogRule\\Model\\Rule\\Condition\\Product')

function convert(handler: Handler, value: Value, field = 'conditions_serialized'): Value {
  const row = recordView('catalogrule', {rule_id: 1, name: 'Sony Sale', [field]: value})
  handler.handle(row, recordView('catalogrule', {}))
  return row.values[field]!
}

test('the sample rule\'s conditions name Magento 2 classes at every depth; everything else is unchanged', async (t) => {
  // The text as the M1 dump holds it, to be sure the helper above writes what Magento 1 wrote.
  t.is(M1_CONDITIONS, 'a:7:{s:4:"type";s:34:"catalogrule/rule_condition_combine";s:9:"attribute";N;s:8:"operator";N;s:5:"value";s:1:"1";s:18:"is_value_processed";N;s:10:"aggregator";s:3:"all";s:10:"conditions";a:2:{i:0;a:5:{s:4:"type";s:34:"catalogrule/rule_condition_product";s:9:"attribute";s:12:"manufacturer";s:8:"operator";s:2:"==";s:5:"value";s:0:"";s:18:"is_value_processed";b:0;}i:1;a:5:{s:4:"type";s:34:"catalogrule/rule_condition_product";s:9:"attribute";s:5:"price";s:8:"operator";s:2:"<=";s:5:"value";d:100;s:18:"is_value_processed";b:0;}}}')

  t.is(convert(await create(), M1_CONDITIONS), M2_CONDITIONS)
})

test('the sample rule\'s actions name the Magento 2 action collection', async (t) => {
  const handler = await create('actions_serialized')

  t.is(convert(handler, actions('catalogrule/rule_action_collection'), 'actions_serialized'), actions('Magento\\CatalogRule\\Model\\Rule\\Action\\Collection'))
})

test('sales rule conditions are converted the same way', async (t) => {
  const value = `a:2:{${s('type')}${s('salesrule/rule_condition_combine')}${s('conditions')}a:1:{i:0;a:1:{${s('type')}${s('salesrule/rule_condition_address')}}}}`
  const expected = `a:2:{${s('type')}${s('Magento\\SalesRule\\Model\\Rule\\Condition\\Combine')}${s('conditions')}a:1:{i:0;a:1:{${s('type')}${s('Magento\\SalesRule\\Model\\Rule\\Condition\\Address')}}}}`

  t.is(convert(await create(), value), expected)
})

test('keys are never converted, only values', async (t) => {
  const value = `a:1:{${s('catalogrule/rule_condition_product')}${s('catalogrule/rule_condition_product')}}`

  t.is(convert(await create(), value), `a:1:{${s('catalogrule/rule_condition_product')}${s('Magento\\CatalogRule\\Model\\Rule\\Condition\\Product')}}`)
})

test('a class the map names but maps to nothing keeps its Magento 1 name', async (t) => {
  const value = `a:1:{${s('backend')}${s('catalog/product_attribute_backend_urlkey')}}`

  t.is(convert(await create(), value), value)
})

test('values that are not a serialized array are left exactly as they are', async (t) => {
  const handler = await create()
  const untouched: Value[] = [null, '', s('catalogrule/rule_condition_product'), 'i:5;', 'b:0;', `O:8:"stdClass":1:{${s('type')}${s('catalogrule/rule_condition_product')}}`]

  t.deepEqual(untouched.map((value) => convert(handler, value)), untouched)
})

test('data PHP cannot unserialize is left unchanged for the next handler to report', async (t) => {
  const handler = await create()
  const broken = [M1_CONDITIONS.slice(0, -5), `${M1_CONDITIONS}trailing`, 'a:1:{s:4:"type";s:99:"short";}']

  t.deepEqual(broken.map((value) => convert(handler, value)), broken)
})

test('a float Magento 1 wrote with 17 digits is written back in PHP 7\'s shortest form, the same number', async (t) => {
  const value = `a:2:{${s('type')}${s('catalogrule/rule_condition_product')}${s('value')}d:0.10000000000000001;}`

  t.is(convert(await create(), value), `a:2:{${s('type')}${s('Magento\\CatalogRule\\Model\\Rule\\Condition\\Product')}${s('value')}d:0.1;}`)
})

test('a string that is not UTF-8 keeps its bytes, and the result is then bytes too', async (t) => {
  const latin1 = Buffer.from('Caf\xe9', 'latin1')
  const value = Buffer.concat([Buffer.from(`a:2:{${s('type')}${s('catalogrule/rule_condition_product')}${s('value')}s:4:"`), latin1, Buffer.from('";}')])
  const expected = Buffer.concat([Buffer.from(`a:2:{${s('type')}${s('Magento\\CatalogRule\\Model\\Rule\\Condition\\Product')}${s('value')}s:4:"`), latin1, Buffer.from('";}')])

  t.deepEqual(convert(await create(), value), expected)
})

test('followed by SerializeToJson, as every map chains them, the rule becomes Magento 2\'s JSON', async (t) => {
  const rules = await create('actions_serialized')
  const json = await serializeToJson.create(setupFor('actions_serialized'))
  const row = recordView('catalogrule', {rule_id: 1, actions_serialized: actions('catalogrule/rule_action_collection')})
  rules.handle(row, row)
  json.handle(row, row)

  t.is(row.values.actions_serialized, '{"type":"Magento\\\\CatalogRule\\\\Model\\\\Rule\\\\Action\\\\Collection","attribute":null,"operator":"=","value":null}')
})

test('10,000 rules are converted with the class map read once', async (t) => {
  let resolved = 0
  const handler = await ruleSerializedData.create(setupFor('conditions_serialized', () => (resolved++, REAL_CLASS_MAP)))
  let converted = 0
  for (let i = 0; i < 10_000; i++) if (convert(handler, M1_CONDITIONS) === M2_CONDITIONS) converted++

  t.is(resolved, 1)
  t.is(converted, 10_000)
})

test('a record without the field fails with "<field> field not found in the record."', async (t) => {
  const handler = await create('conditions')

  t.throws(() => convert(handler, M1_CONDITIONS), {message: 'conditions field not found in the record.'})
})

test('without a config naming class_map the handler is refused when created', async (t) => {
  const setup = handlerSetup({className: CLASS, document: 'catalogrule', field: 'conditions_serialized'})
  const error = await t.throwsAsync(async () => ruleSerializedData.create(setup), {instanceOf: MigrationError})

  t.true(error.message.includes('Rule\\SerializedData on catalogrule.conditions_serialized'), error.message)
  t.true(error.message.includes('class_map'), error.message)
})
