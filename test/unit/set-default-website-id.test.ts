import test from 'ava'
import type {Handler, Value} from '../../transforms/handler.js'
import {MigrationError} from '../../src/errors.js'
import {setDefaultWebsiteId} from '../../transforms/set-default-website-id.js'
import {type FakeLookup, fakeLookup, handlerSetup} from '../helpers/fake-lookup.js'
import {recordView} from '../helpers/record-view.js'

const CLASS = '\\Migration\\Handler\\SetDefaultWebsiteId'

/** core_website of the M1 sample: admin (0) and "Main Website" (1, the default). */
function sampleWebsites(rows: Value[][] = [[0, 0], [1, 1]], options: {prefix?: string} = {}): FakeLookup {
  return fakeLookup([[/FROM `(m1_)?core_website` ORDER BY `website_id`$/, rows]], options)
}

async function create(source: FakeLookup = sampleWebsites(), field = 'website_id'): Promise<Handler> {
  return setDefaultWebsiteId.create(handlerSetup({className: CLASS, document: 'customer_entity', field, source}))
}

function customer(websiteId: Value) {
  return recordView('customer_entity', {entity_id: 1, email: 'john@example.com', website_id: websiteId})
}

function websiteAfter(handler: Handler, websiteId: Value): Value {
  const row = customer(websiteId)
  handler.handle(row, row)
  return row.values.website_id!
}

test('the field becomes the default website of the source', async (t) => {
  const handler = await create()

  t.deepEqual([null, 0, 5].map((website) => websiteAfter(handler, website)), [1, 1, 1])
})

test('the first default website in website_id order wins; "1" counts as default as 1 does', async (t) => {
  const handler = await create(sampleWebsites([[0, 0], [2, '1'], [3, 1]]))

  t.is(websiteAfter(handler, null), 2)
})

test('with no default website the field becomes NULL', async (t) => {
  const handler = await create(sampleWebsites([[0, 0], [1, 0]]))

  t.is(websiteAfter(handler, 1), null)
})

test('the value is read from the core_website column of the handled field\'s name', async (t) => {
  const source = fakeLookup([[/^SELECT `default_group_id`, `is_default` FROM `core_website`/, [[0, 0], [1, 1]]]])
  const handler = await create(source, 'default_group_id')
  const row = recordView('store_website', {website_id: 1, default_group_id: 9})
  handler.handle(row, row)

  t.is(row.values.default_group_id, 1)
})

test('core_website is read once, prefixed; 10,000 records send no further query', async (t) => {
  const source = sampleWebsites(undefined, {prefix: 'm1_'})
  const handler = await create(source)
  const row = customer(null)
  for (let i = 0; i < 10_000; i++) {
    row.values.website_id = i
    handler.handle(row, row)
  }

  t.deepEqual(source.queries, ['SELECT `website_id`, `is_default` FROM `m1_core_website` ORDER BY `website_id`'])
})

test('a record without the field fails with "<field> field not found in the record."', async (t) => {
  const handler = await create()
  const row = recordView('customer_entity', {entity_id: 1})

  t.throws(() => handler.handle(row, row), {message: 'website_id field not found in the record.'})
})

test('without a source database the handler is refused when created', async (t) => {
  const error = await t.throwsAsync(async () => setDefaultWebsiteId.create(handlerSetup({className: CLASS, document: 'customer_entity', field: 'website_id'})), {instanceOf: MigrationError})

  t.true(error.message.includes('SetDefaultWebsiteId on customer_entity.website_id'), error.message)
})
