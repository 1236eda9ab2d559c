import test from 'ava'
import type {Handler, HandlerSetup, RecordView, Value} from '../../transforms/handler.js'
import {MigrationError} from '../../src/errors.js'
import {setValue} from '../../transforms/set-value.js'

/** A record holding the given fields; like the pipeline's views, it fails on a field it lacks. */
function record(values: Record<string, Value>): RecordView & {values: Record<string, Value>} {
  return {
    document: 'eav_attribute_group',
    values,
    has: (field) => Object.hasOwn(values, field),
    get(field) {
      if (!Object.hasOwn(values, field)) throw new Error(`${field} field not found in the record.`)
      return values[field]
    },
    set(field, value) {
      if (!Object.hasOwn(values, field)) throw new Error(`${field} field not found in the record.`)
      values[field] = value
    },
  }
}

function create(value: string, field = 'sort_order'): Handler {
  const setup: HandlerSetup = {
    className: '\\Migration\\Handler\\SetValue',
    document: 'eav_attribute_group',
    field,
    side: 'source',
    params: {value},
    mapFile: '/maps/map-eav.xml',
    at: '/maps/map-eav.xml:115:17',
    warn: () => undefined,
  }
  return setValue.create(setup) as Handler
}

function apply(value: string, stored: Value): Value {
  const target = record({sort_order: stored})
  create(value).handle(target, record({}))
  return target.values.sort_order
}

test('a plain value replaces the stored one', (t) => {
  t.is(apply('en_US', 'de_DE'), 'en_US')
  t.is(apply('0.0000', null), '0.0000')
})

test('NULL in any letter case sets SQL NULL', (t) => {
  t.is(apply('NULL', '5'), null)
  t.is(apply('null', '5'), null)
  t.is(apply('Null', '5'), null)
})

test('a value that only starts with NULL is text', (t) => {
  t.is(apply('NULLABLE', '5'), 'NULLABLE')
})

test('+n adds exactly, beyond the range of a double', (t) => {
  // 9007199254740993 is 2^53 + 1: as a double it would read as 2^53, and 2^53 + 1 would round back to 2^53.
  t.is(apply('+1', '9007199254740993'), '9007199254740994')
})

test('-n subtracts exactly, also below zero', (t) => {
  t.is(apply('-2', '9007199254740993'), '9007199254740991')
  t.is(apply('-20', '10'), '-10')
})

test('+n on NULL counts from zero', (t) => {
  t.is(apply('+100', null), '100')
})

test('+n on a number set by an earlier handler adds to it', (t) => {
  t.is(apply('+100', 5), '105')
})

test('+n and -n on decimals are exact, keeping the longer scale', (t) => {
  t.is(apply('+0.2', '0.1'), '0.3')
  t.is(apply('-0.99', '19.99'), '19.00')
  t.is(apply('-0.5', '0.25'), '-0.25')
  t.is(apply('+0.5', '10'), '10.5')
})

test('a missing field fails with "<field> field not found in the record."', (t) => {
  const handler = create('1', 'x')

  t.throws(() => handler.handle(record({sort_order: '1'}), record({})), {message: 'x field not found in the record.'})
})

test('an operand that is not a number is refused when the handler is created, naming map place and field', (t) => {
  const error = t.throws(() => create('+ten'), {instanceOf: MigrationError})

  t.is(error.code, 'HANDLER_PARAMS')
  t.regex(error.message, /^\/maps\/map-eav\.xml:115:17: /)
  t.true(error.message.includes('eav_attribute_group.sort_order'), error.message)
  t.true(error.message.includes('"+ten"'), error.message)
})

test('adding to a stored value that is not a number fails naming the value', (t) => {
  const error = t.throws(() => apply('+1', 'abc'))

  t.true(error.message.includes('"abc"'), error.message)
  t.true(error.message.includes('sort_order'), error.message)
})
