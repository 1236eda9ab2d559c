import test from 'ava'
import type {Handler, Value} from '../../transforms/handler.js'
import {MigrationError} from '../../src/errors.js'
import {eavAttributeApplyTo} from '../../transforms/eav-attribute-apply-to.js'
import {type FakeLookup, fakeLookup, handlerSetup} from '../helpers/fake-lookup.js'
import {recordView} from '../helpers/record-view.js'

function record(values: Record<string, Value>) {
  return recordView('catalog_eav_attribute', values)
}

/** User-defined attributes of the M1 sample: cost 100, manufacturer 102, color 272, shirt_size 525. */
function sampleSource(): FakeLookup {
  return fakeLookup([[/FROM `eav_attribute` WHERE `is_user_defined` <> 0/, [[100], [102], [272], [525]]]])
}

async function create(source: FakeLookup = sampleSource(), field = 'apply_to'): Promise<Handler> {
  return eavAttributeApplyTo.create(handlerSetup({className: '\\Migration\\Handler\\EavAttribute\\ApplyTo', document: 'catalog_eav_attribute', field, source}))
}

async function applyTo(attributeId: Value, source: Value, opposite: Record<string, Value>): Promise<Value> {
  const row = record({attribute_id: attributeId, apply_to: source, is_global: 1})
  ;(await create()).handle(row, record(opposite))
  return row.values.apply_to
}

test('a user-defined attribute Magento 2 does not have applies to every product type (NULL)', async (t) => {
  t.is(await applyTo(272, 'simple,configurable', {attribute_id: null, apply_to: null}), null)
  t.is(await applyTo('525', 'simple', {attribute_id: 0, apply_to: 'simple'}), null)
})

test('a user-defined attribute the opposite side has takes its apply_to', async (t) => {
  t.is(await applyTo(100, 'simple,virtual,bundle,downloadable,configurable', {attribute_id: 81, apply_to: 'simple,virtual,bundle,downloadable,configurable'}), 'simple,virtual,bundle,downloadable,configurable')
})

test('a system attribute takes the opposite apply_to, even NULL', async (t) => {
  // 481 is url_key, not user-defined.
  t.is(await applyTo(481, 'simple', {attribute_id: 121, apply_to: null}), null)
  t.is(await applyTo(481, null, {attribute_id: null, apply_to: 'simple,virtual'}), 'simple,virtual')
})

test('an opposite record without attribute_id counts as an attribute Magento 2 does not have', async (t) => {
  t.is(await applyTo(102, 'simple', {apply_to: 'simple'}), null)
})

test('the user-defined attributes are asked of the source once, with the table prefix', async (t) => {
  const source = fakeLookup([[/eav_attribute/, []]], {prefix: 'm1_'})
  await create(source)

  t.deepEqual(source.queries, ['SELECT `attribute_id` FROM `m1_eav_attribute` WHERE `is_user_defined` <> 0'])
})

test('transforming 10,000 rows sends no query beyond the one create() sent', async (t) => {
  const source = sampleSource()
  const handler = await create(source)
  const afterCreate = source.count
  const row = record({attribute_id: 0, apply_to: null})
  const opposite = record({attribute_id: null, apply_to: 'simple'})
  for (let i = 0; i < 10_000; i++) {
    row.values.attribute_id = 95 + (i % 10)
    handler.handle(row, opposite)
  }

  t.is(afterCreate, 1)
  t.is(source.count, afterCreate)
})

test('a record without the field fails with "<field> field not found in the record."', async (t) => {
  const handler = await create(sampleSource(), 'applies')

  t.throws(() => handler.handle(record({attribute_id: 272, apply_to: null}), record({})), {message: 'applies field not found in the record.'})
})

test('without a source database the handler is refused when created, naming handler and field', async (t) => {
  const setup = handlerSetup({className: '\\Migration\\Handler\\EavAttribute\\ApplyTo', document: 'catalog_eav_attribute', field: 'apply_to'})
  const error = await t.throwsAsync(async () => eavAttributeApplyTo.create(setup), {instanceOf: MigrationError})

  t.true(error.message.includes('EavAttribute\\ApplyTo on catalog_eav_attribute.apply_to'), error.message)
})
