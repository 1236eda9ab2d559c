import test from 'ava'
import type {Handler, Value} from '../../transforms/handler.js'
import {MigrationError} from '../../src/errors.js'
import {synonym} from '../../transforms/synonym.js'
import {type FakeLookup, fakeLookup, handlerSetup} from '../helpers/fake-lookup.js'
import {recordView} from '../helpers/record-view.js'
import {type RecordingSideWriter, recordingSideWriter} from '../helpers/side-writer.js'

const CLASS = '\\Migration\\Handler\\Synonym'

/** core_store of the M1 sample: admin (0) on website 0; English, German and French (1–3) on website 1. */
function sampleStores(options: {prefix?: string} = {}): FakeLookup {
  return fakeLookup([[/FROM `(m1_)?core_store`$/, [[0, 0], [1, 1], [2, 1], [3, 1]]]], options)
}

async function create(source: FakeLookup = sampleStores(), sideWriter: RecordingSideWriter = recordingSideWriter(), warn: (message: string) => void = () => undefined): Promise<Handler> {
  return synonym.create(handlerSetup({className: CLASS, document: 'catalogsearch_query', field: 'synonym_for', source, sideWriter, warn}))
}

/** A catalogsearch_query row as the M1 sample holds it (query 37: "laptop", a synonym for "notebook"). */
function query(values: {query_id?: number, query_text?: Value, synonym_for?: Value, store_id?: Value} = {}) {
  return recordView('catalogsearch_query', {query_id: 37, query_text: 'laptop', num_results: 6, popularity: 300, redirect: '', synonym_for: 'notebook', store_id: 1, display_in_terms: 1, is_active: 1, is_processed: 0, ...values})
}

const destination = () => recordView('search_query', {})

test('a term with a synonym adds one search_synonyms group of both words, in its store and website', async (t) => {
  const side = recordingSideWriter()
  const handler = await create(sampleStores(), side)
  handler.handle(query(), destination())

  t.deepEqual(side.added, [{document: 'search_synonyms', row: {synonyms: 'notebook,laptop', store_id: 1, website_id: 1}}])
})

test('the website is the one core_store gives the term\'s store view', async (t) => {
  const side = recordingSideWriter()
  const handler = await create(sampleStores(), side)
  handler.handle(query({query_id: 17, query_text: 'Mac', synonym_for: 'macintosh', store_id: 3}), destination())
  handler.handle(query({query_id: 40, query_text: 'hose', synonym_for: 'pants', store_id: 0}), destination())

  t.deepEqual(side.rowsOf('search_synonyms'), [
    {synonyms: 'macintosh,Mac', store_id: 3, website_id: 1},
    {synonyms: 'pants,hose', store_id: 0, website_id: 0},
  ])
})

test('terms without a synonym (empty, NULL or "0", as PHP\'s empty() sees them) add nothing', async (t) => {
  const side = recordingSideWriter()
  const handler = await create(sampleStores(), side)
  for (const synonymFor of ['', null, '0']) handler.handle(query({query_id: 1, query_text: 'Test', synonym_for: synonymFor}), destination())

  t.deepEqual(side.added, [])
})

test('the synonym_for field itself is left as it is', async (t) => {
  const handler = await create()
  const term = query()
  handler.handle(term, destination())

  t.is(term.values.synonym_for, 'notebook')
})

test('a term without text gives a group of its synonym alone', async (t) => {
  const side = recordingSideWriter()
  const handler = await create(sampleStores(), side)
  handler.handle(query({query_text: null}), destination())

  t.deepEqual(side.rowsOf('search_synonyms'), [{synonyms: 'notebook', store_id: 1, website_id: 1}])
})

test('a store the source does not know gives website 0 and one warning, however many terms it has', async (t) => {
  const side = recordingSideWriter()
  const warnings: string[] = []
  const handler = await create(sampleStores(), side, (message) => warnings.push(message))
  handler.handle(query({store_id: 9}), destination())
  handler.handle(query({query_id: 38, query_text: 'netbook', store_id: 9}), destination())

  t.deepEqual(side.rowsOf('search_synonyms').map((row) => row.website_id), [0, 0])
  t.is(warnings.length, 1)
  t.true(warnings[0]!.includes('store 9'), warnings[0])
})

test('store ids compare as numbers: "1" and 1 are the same store', async (t) => {
  const side = recordingSideWriter()
  const source = fakeLookup([[/core_store/, [['1', '1']]]])
  const handler = await create(source, side)
  handler.handle(query({store_id: 1}), destination())

  t.is(side.rowsOf('search_synonyms')[0]!.website_id, '1')
})

test('core_store is read once, prefixed, and 10,000 terms send no further query', async (t) => {
  const source = sampleStores({prefix: 'm1_'})
  const side = recordingSideWriter()
  const handler = await create(source, side)
  const term = query()
  for (let i = 0; i < 10_000; i++) {
    term.values.store_id = i % 4
    term.values.synonym_for = i % 2 === 0 ? `notebook ${i}` : ''
    handler.handle(term, destination())
  }

  t.deepEqual(source.queries, ['SELECT `store_id`, `website_id` FROM `m1_core_store`'])
  t.is(side.added.length, 5_000)
})

test('the handler declares search_synonyms as the document it adds rows to', (t) => {
  const setup = handlerSetup({className: CLASS, document: 'catalogsearch_query', field: 'synonym_for'})

  t.deepEqual(synonym.sideDocuments?.(setup), ['search_synonyms'])
})

test('a record without the field fails with "<field> field not found in the record."', async (t) => {
  const handler = await synonym.create(handlerSetup({className: CLASS, document: 'catalogsearch_query', field: 'synonyms', source: sampleStores(), sideWriter: recordingSideWriter()}))

  t.throws(() => handler.handle(query(), destination()), {message: 'synonyms field not found in the record.'})
})

test('without a side writer the handler is refused when created, naming handler, field and document', async (t) => {
  const setup = handlerSetup({className: CLASS, document: 'catalogsearch_query', field: 'synonym_for', source: sampleStores()})
  const error = await t.throwsAsync(async () => synonym.create(setup), {instanceOf: MigrationError})

  t.true(error.message.includes('Synonym on catalogsearch_query.synonym_for'), error.message)
  t.true(error.message.includes('search_synonyms'), error.message)
})

test('without a source database the handler is refused when created', async (t) => {
  const setup = handlerSetup({className: CLASS, document: 'catalogsearch_query', field: 'synonym_for', sideWriter: recordingSideWriter()})
  const error = await t.throwsAsync(async () => synonym.create(setup), {instanceOf: MigrationError})

  t.true(error.message.includes('needs the source database'), error.message)
})
