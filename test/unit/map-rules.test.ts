import test from 'ava'
import {mapRulesFromXml} from '../../src/config/map-reader.js'
import {MapRules} from '../../src/config/map-rules.js'
import {parseXml} from '../../src/config/xml-document.js'

/** A map from its two sides' inner XML, read the way readMap reads a file. */
function map(source: string, destination = ''): MapRules {
  return mapRulesFromXml(parseXml(`<map><source>${source}</source><destination>${destination}</destination></map>`, 'map.xml'))
}

const ignoreDocument = (name: string) => `<ignore><document>${name}</document></ignore>`
const documentRules = (...rules: string[]) => `<document_rules>${rules.join('')}</document_rules>`
const fieldRules = (...rules: string[]) => `<field_rules>${rules.join('')}</field_rules>`

// ---- documents ----

test('an exact document ignore matches that name only', (t) => {
  const rules = map(documentRules(ignoreDocument('log_url')))
  t.true(rules.isDocumentIgnored('log_url', 'source'))
  t.false(rules.isDocumentIgnored('log_url_info', 'source'))
  t.false(rules.isDocumentIgnored('log_ur', 'source'))
  t.false(rules.isDocumentIgnored('LOG_URL', 'source'))
})

test('a document wildcard "*" matches any run of characters, anchored at the start only', (t) => {
  const rules = map(documentRules(ignoreDocument('sales_*')))
  t.true(rules.isDocumentIgnored('sales_flat_order', 'source'))
  t.true(rules.isDocumentIgnored('sales_', 'source'), '"*" also matches no characters')
  t.false(rules.isDocumentIgnored('x_sales_flat', 'source'), 'the pattern must match from the first character')
  t.false(rules.isDocumentIgnored('sale', 'source'))
})

test('a wildcard is not anchored at the end: text after the pattern still matches', (t) => {
  const rules = map(documentRules(ignoreDocument('core_*_log')))
  t.true(rules.isDocumentIgnored('core_url_log', 'source'))
  t.true(rules.isDocumentIgnored('core_url_log_old', 'source'))
  t.false(rules.isDocumentIgnored('core_url', 'source'))
})

test('several "*" in one pattern each match a run of characters, as in the DMT\'s s_*b_*_*', (t) => {
  const rules = map(documentRules(ignoreDocument('s_*b_*_*')))
  t.true(rules.isDocumentIgnored('s_1b_2_3', 'source'))
  t.true(rules.isDocumentIgnored('s_b__', 'source'))
  t.false(rules.isDocumentIgnored('s_1b_2', 'source'))
})

test('regular-expression characters in a document pattern are literal', (t) => {
  const rules = map(documentRules(ignoreDocument('catalog.product*'), ignoreDocument('a+b(c)*'), ignoreDocument('[x]$*')))
  t.true(rules.isDocumentIgnored('catalog.product_flat', 'source'))
  t.false(rules.isDocumentIgnored('catalogXproduct_flat', 'source'), '"." must not match any character')
  t.true(rules.isDocumentIgnored('a+b(c)_1', 'source'))
  t.false(rules.isDocumentIgnored('aab(c)_1', 'source'))
  t.false(rules.isDocumentIgnored('abc_1', 'source'))
  t.true(rules.isDocumentIgnored('[x]$_1', 'source'))
  t.false(rules.isDocumentIgnored('x_1', 'source'))
})

test('a document ignore applies to its own side only', (t) => {
  const rules = map(documentRules(ignoreDocument('only_in_m1'), ignoreDocument('tmp_*')), documentRules(ignoreDocument('only_in_m2')))
  t.true(rules.isDocumentIgnored('only_in_m1', 'source'))
  t.false(rules.isDocumentIgnored('only_in_m1', 'destination'))
  t.false(rules.isDocumentIgnored('tmp_1', 'destination'))
  t.true(rules.isDocumentIgnored('only_in_m2', 'destination'))
  t.false(rules.isDocumentIgnored('only_in_m2', 'source'))
})

test('getDocumentMap answers a rename forward on the source side and backward on the destination side', (t) => {
  const rules = map(documentRules('<rename><document>sales_flat_order</document><to>sales_order</to></rename>'))
  t.is(rules.getDocumentMap('sales_flat_order', 'source'), 'sales_order')
  t.is(rules.getDocumentMap('sales_order', 'destination'), 'sales_flat_order')
})

test('getDocumentMap does not apply a rename in the wrong direction', (t) => {
  const rules = map(documentRules('<rename><document>sales_flat_order</document><to>sales_order</to></rename>'))
  t.is(rules.getDocumentMap('sales_order', 'source'), 'sales_order')
  t.is(rules.getDocumentMap('sales_flat_order', 'destination'), 'sales_flat_order')
})

test('getDocumentMap gives a document that is neither renamed nor ignored its own name', (t) => {
  t.is(map('').getDocumentMap('customer_entity', 'source'), 'customer_entity')
  t.is(map('').getDocumentMap('customer_entity', 'destination'), 'customer_entity')
})

test('getDocumentMap gives false for an ignored document, on either side', (t) => {
  const rules = map(documentRules(ignoreDocument('log_*')), documentRules(ignoreDocument('session')))
  t.false(rules.getDocumentMap('log_visitor', 'source'))
  t.false(rules.getDocumentMap('session', 'destination'))
})

test('a destination ignore wins over the reverse of a rename', (t) => {
  const rules = map(documentRules('<rename><document>core_session</document><to>session</to></rename>'), documentRules(ignoreDocument('session')))
  t.is(rules.getDocumentMap('core_session', 'source'), 'session')
  t.false(rules.getDocumentMap('session', 'destination'))
})

// ---- fields ----

test('a field ignore applies to its own side only', (t) => {
  const rules = map(fieldRules('<ignore><field>sales_order.old</field></ignore>'), fieldRules('<ignore><field>sales_order.new</field></ignore>'))
  t.true(rules.isFieldIgnored('sales_order', 'old', 'source'))
  t.false(rules.isFieldIgnored('sales_order', 'old', 'destination'))
  t.true(rules.isFieldIgnored('sales_order', 'new', 'destination'))
  t.false(rules.isFieldIgnored('sales_order', 'new', 'source'))
  t.false(rules.getFieldMap('sales_order', 'old', 'source'))
  t.is(rules.getFieldMap('sales_order', 'old', 'destination'), 'old')
})

test('a field ignore names one document: the same column elsewhere is not ignored', (t) => {
  const rules = map(fieldRules('<ignore><field>a.f</field></ignore>'))
  t.false(rules.isFieldIgnored('b', 'f', 'source'))
  t.false(rules.isFieldIgnored('a', 'f2', 'source'))
})

test('a field name with "*" is literal, not a wildcard', (t) => {
  const rules = map(fieldRules('<ignore><field>a.f*</field></ignore>'))
  t.true(rules.isFieldIgnored('a', 'f*', 'source'))
  t.false(rules.isFieldIgnored('a', 'f1', 'source'))
})

test('a datatype ignore only silences the type check: the field is still mapped', (t) => {
  const rules = map(fieldRules('<ignore><datatype>a.price</datatype></ignore>'))
  t.true(rules.isFieldDataTypeIgnored('a', 'price', 'source'))
  t.false(rules.isFieldIgnored('a', 'price', 'source'))
  t.is(rules.getFieldMap('a', 'price', 'source'), 'price')
  t.false(rules.isFieldDataTypeIgnored('a', 'price', 'destination'))
})

test('a move maps the source field to the target column', (t) => {
  const rules = map(fieldRules('<move><field>cms_page.root_template</field><to>cms_page.page_layout</to></move>'))
  t.is(rules.getFieldMap('cms_page', 'root_template', 'source'), 'page_layout')
})

test('a move answers the reverse lookup from the destination column to the source column', (t) => {
  const rules = map(fieldRules('<move><field>sales_flat_order.hidden_tax_amount</field><to>sales_order.discount_tax_compensation_amount</to></move>'))
  t.is(rules.getFieldMap('sales_order', 'discount_tax_compensation_amount', 'destination'), 'hidden_tax_amount')
  t.is(rules.getFieldMap('sales_flat_order', 'hidden_tax_amount', 'source'), 'discount_tax_compensation_amount')
})

test('a move is keyed by document: the same column of another document keeps its name', (t) => {
  const rules = map(fieldRules('<move><field>a.f</field><to>b.g</to></move>'))
  t.is(rules.getFieldMap('c', 'f', 'source'), 'f')
  t.is(rules.getFieldMap('c', 'g', 'destination'), 'g')
  t.is(rules.getFieldMap('a', 'f', 'destination'), 'f', 'the move is not looked up forward on the destination side')
})

test('an ignored source field maps to false even when it is also moved', (t) => {
  const rules = map(fieldRules('<ignore><field>a.f</field></ignore>', '<move><field>a.f</field><to>a.g</to></move>'))
  t.false(rules.getFieldMap('a', 'f', 'source'))
})

// ---- transforms ----

const setValue = (field: string, value: string) => `<transform><field>${field}</field><handler class="\\Migration\\Handler\\SetValue"><param name="value" value="${value}"/></handler></transform>`

test('getHandlerConfigs gives the handlers of one field on one side', (t) => {
  const rules = map(fieldRules(setValue('a.f', 'src')), fieldRules(setValue('a.f', 'dst')))
  t.deepEqual(rules.getHandlerConfigs('a', 'f', 'source').map((handler) => handler.params.value), ['src'])
  t.deepEqual(rules.getHandlerConfigs('a', 'f', 'destination').map((handler) => handler.params.value), ['dst'])
  t.deepEqual(rules.getHandlerConfigs('a', 'g', 'source'), [])
})

test('several handlers on one field are kept in file order, even with other rules in between', (t) => {
  const rules = map(fieldRules(setValue('a.f', 'first'), setValue('a.g', 'other'), '<ignore><field>a.h</field></ignore>', setValue('a.f', 'second'), setValue('a.f', 'third')))
  t.deepEqual(rules.getHandlerConfigs('a', 'f', 'source').map((handler) => handler.params.value), ['first', 'second', 'third'])
})

test('allHandlerConfigs lists every handler of a side, grouped by field in order of first appearance', (t) => {
  const rules = map(fieldRules(setValue('a.f', '1'), setValue('b.g', '2'), setValue('a.f', '3')), fieldRules(setValue('c.h', '4')))
  t.deepEqual(rules.allHandlerConfigs('source').map((handler) => `${handler.document}.${handler.field}=${handler.params.value}`), ['a.f=1', 'a.f=3', 'b.g=2'])
  t.deepEqual(rules.allHandlerConfigs('destination').map((handler) => handler.side), ['destination'])
})

// ---- MapRules without the reader ----

test('MapRules built directly: the first rename or move of a name wins both ways', (t) => {
  const empty = {ignoredDocuments: new Set<string>(), documentWildcards: [], ignoredFields: new Set<string>(), ignoredDatatypes: new Set<string>(), transforms: new Map()}
  const rules = new MapRules({
    file: 'direct',
    source: empty,
    destination: empty,
    renames: [['a', 'b'], ['a', 'c'], ['d', 'b']],
    moves: [['t.x', 't.y'], ['t.x', 't.z']],
  })
  t.is(rules.getDocumentMap('a', 'source'), 'b')
  t.is(rules.getDocumentMap('b', 'destination'), 'a')
  t.is(rules.getDocumentMap('d', 'source'), 'b')
  t.is(rules.getFieldMap('t', 'x', 'source'), 'y')
  t.is(rules.file, 'direct')
})
