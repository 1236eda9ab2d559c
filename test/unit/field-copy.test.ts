import test from 'ava'
import type {Handler, HandlerSetup, Value} from '../../transforms/handler.js'
import {fieldCopy} from '../../transforms/field-copy.js'
import {recordView as record} from '../helpers/record-view.js'

/** The commerce maps: catalog_product_entity.row_id takes entity_id (destination side). */
function create(from = 'entity_id', field = 'row_id'): Handler {
  const setup: HandlerSetup = {
    className: '\\Migration\\Handler\\FieldCopy',
    document: 'catalog_product_entity',
    field,
    side: 'destination',
    params: {fieldCopy: from},
    mapFile: '/maps/map.xml',
    at: '/maps/map.xml:2210:17',
    warn: () => undefined,
  }
  return fieldCopy.create(setup) as Handler
}

/** A catalog_product_entity row of the M1 sample (product 165, the bundle "mycomputer") as it reaches the destination. */
function copied(entityId: Value, rowId: Value = null): Value {
  const row = record('catalog_product_entity', {entity_id: entityId, row_id: rowId, attribute_set_id: 39, type_id: 'bundle', sku: 'mycomputer'})
  create().handle(row, record('catalog_product_entity', {}))
  return row.values.row_id
}

test('the field takes the other field\'s value', (t) => {
  t.is(copied(165), 165)
  t.is(copied('165'), '165')
})

test('an empty value (NULL, 0, "0", "") is not copied: the field keeps its own', (t) => {
  t.is(copied(null, 7), 7)
  t.is(copied(0, 7), 7)
  t.is(copied('0', 7), 7)
  t.is(copied('', 7), 7)
})

test('"0.0" is not empty to PHP, and is copied', (t) => {
  t.is(copied('0.0', 7), '0.0')
})

test('a missing field fails with "<field> field not found in the record."', (t) => {
  t.throws(() => create().handle(record('catalog_product_entity', {entity_id: 165}), record('catalog_product_entity', {})), {message: 'row_id field not found in the record.'})
})

test('a fieldCopy the record lacks fails naming it, rather than copying nothing', (t) => {
  t.throws(() => create('entity').handle(record('catalog_product_entity', {entity_id: 165, row_id: null}), record('catalog_product_entity', {})), {message: 'entity field not found in the record.'})
})
