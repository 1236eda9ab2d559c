import test from 'ava'
import type {Value} from '../../transforms/handler.js'
import {settingsCategoryRootId} from '../../transforms/settings-category-root-id.js'
import {fakeLookup, handlerSetup} from '../helpers/fake-lookup.js'
import {recordView} from '../helpers/record-view.js'

function record(values: Record<string, Value>) {
  return recordView('core_config_data', values)
}

function setting(value: Value) {
  return record({config_id: 41, scope: 'default', scope_id: 0, path: 'catalog/category/root_id', value})
}

async function rootId(value: Value): Promise<Value> {
  const row = setting(value)
  const handler = await settingsCategoryRootId.create(handlerSetup({className: '\\Migration\\Handler\\Settings\\CategoryRootId', document: 'core_config_data', field: 'value'}))
  handler.handle(row, record({}))
  return row.values.value
}

test("Magento 1's default root category 2 becomes NULL", async (t) => {
  t.is(await rootId('2'), null)
  t.is(await rootId(2), null)
})

test('the id is compared as a number, as PHP compares it', async (t) => {
  t.is(await rootId(' 2'), null)
  t.is(await rootId('2.0'), null)
  t.is(await rootId('02'), null)
})

test('another root category keeps its id', async (t) => {
  // The sample's "Main Store" group has root category 3.
  t.is(await rootId('3'), '3')
  t.is(await rootId('20'), '20')
  t.is(await rootId('2a'), '2a')
  t.is(await rootId(''), '')
  t.is(await rootId(null), null)
})

test('it needs no database and sends no query, however many rows it handles', async (t) => {
  const source = fakeLookup([])
  const handler = await settingsCategoryRootId.create(handlerSetup({className: 'Settings\\CategoryRootId', document: 'core_config_data', field: 'value', source}))
  const row = setting('2')
  for (let i = 0; i < 10_000; i++) {
    row.values.value = String(i % 4)
    handler.handle(row, record({}))
  }

  t.is(source.count, 0)
})

test('a record without the field fails with "<field> field not found in the record."', async (t) => {
  const handler = await settingsCategoryRootId.create(handlerSetup({className: 'Settings\\CategoryRootId', document: 'core_config_data', field: 'root'}))

  t.throws(() => handler.handle(setting('2'), record({})), {message: 'root field not found in the record.'})
})
