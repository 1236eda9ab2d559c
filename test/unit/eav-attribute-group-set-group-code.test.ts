import test from 'ava'
import type {Handler, HandlerSetup, Value} from '../../transforms/handler.js'
import {eavAttributeGroupSetGroupCode, groupCode} from '../../transforms/eav-attribute-group-set-group-code.js'
import {recordView as record} from '../helpers/record-view.js'

/** map-eav.xml.dist: eav_attribute_group.attribute_group_code (destination side). */
function create(field = 'attribute_group_code'): Handler {
  const setup: HandlerSetup = {
    className: '\\Migration\\Handler\\EavAttributeGroup\\SetGroupCode',
    document: 'eav_attribute_group',
    field,
    side: 'destination',
    params: {},
    mapFile: '/maps/map-eav.xml',
    at: '/maps/map-eav.xml:177:17',
    warn: () => undefined,
  }
  return eavAttributeGroupSetGroupCode.create(setup) as Handler
}

function codeOf(name: Value): Value {
  const row = record('eav_attribute_group', {attribute_group_id: 7, attribute_set_id: 12, attribute_group_name: name, sort_order: 1, default_id: 1, attribute_group_code: null, tab_group_code: null})
  create().handle(row, record('eav_attribute_group', {}))
  return row.values.attribute_group_code
}

test('the M1 sample\'s group names become Magento 2 codes: lower case, words joined by -', (t) => {
  t.is(codeOf('General'), 'general')
  t.is(codeOf('General Information'), 'general-information')
  t.is(codeOf('Meta Information'), 'meta-information')
  t.is(codeOf('Recurring Profile'), 'recurring-profile')
  t.is(codeOf('T-shirts Attributes'), 't-shirts-attributes')
})

test('runs of other characters become one -, and none is left at either end', (t) => {
  t.is(groupCode('  Prices & Taxes (EU)  '), 'prices-taxes-eu')
  t.is(groupCode('Size/Color_2'), 'size-color-2')
})

test('accented letters are transliterated', (t) => {
  t.is(groupCode('Größe und Farbe'), 'grosse-und-farbe')
  t.is(groupCode('Caractéristiques'), 'caracteristiques')
  t.is(groupCode('характеристики'), 'harakteristiki')
})

test('a capital letter outside ASCII is dropped, as Magento lowers only ASCII before transliterating', (t) => {
  // "Ü" is not lowered, becomes "U", and the a-z filter drops it.
  t.is(groupCode('Über uns'), 'ber-uns')
})

test('a name that gives no code gets the md5 of the empty code', (t) => {
  // md5("") is d41d8cd98f00b204e9800998ecf8427e.
  t.is(codeOf('***'), 'd41d8cd98f00b204e9800998ecf8427e')
  t.is(codeOf(null), 'd41d8cd98f00b204e9800998ecf8427e')
})

test('a code of "0" is empty to PHP and becomes md5("0")', (t) => {
  // md5("0") is cfcd208495d565ef66e7dff9f98764da.
  t.is(codeOf('0'), 'cfcd208495d565ef66e7dff9f98764da')
})

test('a missing field fails with "<field> field not found in the record."', (t) => {
  t.throws(() => create().handle(record('eav_attribute_group', {attribute_group_name: 'General'}), record('eav_attribute_group', {})), {message: 'attribute_group_code field not found in the record.'})
})
