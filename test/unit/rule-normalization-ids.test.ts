import test from 'ava'
import type {Handler, Value} from '../../transforms/handler.js'
import {MigrationError} from '../../src/errors.js'
import {checkHandlerParams} from '../../transforms/registry.js'
import {ruleNormalizationIds} from '../../transforms/rule-normalization-ids.js'
import {type FakeLookup, failingLookup, fakeLookup, handlerSetup} from '../helpers/fake-lookup.js'
import {recordView} from '../helpers/record-view.js'
import {type RecordingSideWriter, recordingSideWriter} from '../helpers/side-writer.js'

const CLASS = '\\Migration\\Handler\\Rule\\NormalizationIds'
const OPENSOURCE = {edition_migrate: 'opensource-to-opensource'}
/** The 1.6.1.0 map's params for catalogrule.customer_group_ids and catalogrule.website_ids. */
const GROUPS = {normalizationDocument: 'catalogrule_customer_group', normalizationField: 'customer_group_id'}
const WEBSITES = {normalizationDocument: 'catalogrule_website', normalizationField: 'website_id'}

function setupFor(field: string, params: Record<string, string>, sideWriter?: RecordingSideWriter, options: Record<string, string> | undefined = OPENSOURCE, warn: (message: string) => void = () => undefined) {
  return handlerSetup({className: CLASS, document: 'catalogrule', field, params, options, sideWriter, warn})
}

async function create(field: string, params: Record<string, string>, sideWriter: RecordingSideWriter, options?: Record<string, string>, warn?: (message: string) => void): Promise<Handler> {
  return ruleNormalizationIds.create(setupFor(field, params, sideWriter, options ?? OPENSOURCE, warn))
}

/** A catalogrule row of the M1 sample (rule 1, "Sony Sale": groups 0–3, website 1). */
function rule(values: {rule_id?: Value, customer_group_ids?: Value, website_ids?: Value} = {}) {
  return recordView('catalogrule', {rule_id: 1, name: 'Sony Sale', customer_group_ids: '0,1,2,3', is_active: 1, website_ids: '1', ...values})
}

const opposite = () => recordView('catalogrule', {})

test('each customer group of a rule\'s list becomes a catalogrule_customer_group row', async (t) => {
  const side = recordingSideWriter()
  const handler = await create('customer_group_ids', GROUPS, side)
  handler.handle(rule(), opposite())

  t.deepEqual(side.added, [0, 1, 2, 3].map((group) => ({document: 'catalogrule_customer_group', row: {rule_id: 1, customer_group_id: group}})))
})

test('every rule keeps its rows: the rows of all rules are added, not only the last rule\'s', async (t) => {
  const side = recordingSideWriter()
  const handler = await create('website_ids', WEBSITES, side)
  // Rules 1, 3 and 7 of the sample; salesrule_website rows for a sales rule look the same.
  handler.handle(rule({rule_id: 1, website_ids: '1'}), opposite())
  handler.handle(rule({rule_id: 3, website_ids: '1'}), opposite())
  handler.handle(rule({rule_id: 7, website_ids: '1,2'}), opposite())

  t.deepEqual(side.rowsOf('catalogrule_website'), [
    {rule_id: 1, website_id: 1},
    {rule_id: 3, website_id: 1},
    {rule_id: 7, website_id: 1},
    {rule_id: 7, website_id: 2},
  ])
})

test('the rule\'s list itself is left as it is', async (t) => {
  const handler = await create('customer_group_ids', GROUPS, recordingSideWriter())
  const christmas = rule({rule_id: 7, customer_group_ids: '0,1,2,3,4'})
  handler.handle(christmas, opposite())

  t.is(christmas.values.customer_group_ids, '0,1,2,3,4')
})

/** A destination whose link tables have row_id (Commerce with content staging) or not. */
function destinationWith(rowId: boolean): FakeLookup {
  return fakeLookup([[/^SHOW COLUMNS FROM `catalogrule_website` LIKE 'row_id'$/, rowId ? [['row_id', 'int(10) unsigned', 'NO', 'PRI', null, '']] : []]])
}

test('outside opensource-to-opensource, into content staging (the link table has row_id), the rows link by row_id', async (t) => {
  const editions: Record<string, string>[] = [{edition_migrate: 'opensource-to-commerce'}, {edition_migrate: 'commerce-to-commerce'}, {}]
  for (const options of editions) {
    const side = recordingSideWriter()
    const destination = destinationWith(true)
    const handler = await ruleNormalizationIds.create({...setupFor('website_ids', WEBSITES, side, options), destination})
    handler.handle(rule({rule_id: 4}), opposite())

    t.deepEqual(side.added, [{document: 'catalogrule_website', row: {row_id: 4, website_id: 1}}], JSON.stringify(options))
    t.is(destination.count, 1)
  }
})

test('outside opensource-to-opensource, into a link table without row_id (or a config without edition_migrate), the rows link by rule_id', async (t) => {
  const side = recordingSideWriter()
  const handler = await ruleNormalizationIds.create({...setupFor('website_ids', WEBSITES, side, {}), destination: destinationWith(false)})
  handler.handle(rule({rule_id: 4}), opposite())

  t.deepEqual(side.added, [{document: 'catalogrule_website', row: {rule_id: 4, website_id: 1}}])
})

test('opensource-to-opensource links by rule_id without asking the destination', async (t) => {
  const side = recordingSideWriter()
  const destination = failingLookup('no query is expected')
  const handler = await ruleNormalizationIds.create({...setupFor('website_ids', WEBSITES, side), destination})
  handler.handle(rule({rule_id: 4}), opposite())

  t.is(destination.count, 0)
  t.deepEqual(side.added, [{document: 'catalogrule_website', row: {rule_id: 4, website_id: 1}}])
})

test('outside opensource-to-opensource and without a destination database the handler is refused when created', async (t) => {
  const error = await t.throwsAsync(async () => create('website_ids', WEBSITES, recordingSideWriter(), {edition_migrate: 'commerce-to-commerce'}), {instanceOf: MigrationError})

  t.true(error.message.includes('needs the destination database'), error.message)
})

test('an empty or NULL list adds no row, nor do blank entries between commas', async (t) => {
  const side = recordingSideWriter()
  const handler = await create('customer_group_ids', GROUPS, side)
  handler.handle(rule({rule_id: 5, customer_group_ids: ''}), opposite())
  handler.handle(rule({rule_id: 6, customer_group_ids: null}), opposite())
  handler.handle(rule({rule_id: 7, customer_group_ids: '1,,2,'}), opposite())

  t.deepEqual(side.rowsOf('catalogrule_customer_group'), [{rule_id: 7, customer_group_id: 1}, {rule_id: 7, customer_group_id: 2}])
})

test('ids are written as numbers, spaces around them dropped; an id listed twice gives one row', async (t) => {
  const side = recordingSideWriter()
  const handler = await create('customer_group_ids', GROUPS, side)
  handler.handle(rule({customer_group_ids: ' 0, 2 ,2,02'}), opposite())

  t.deepEqual(side.rowsOf('catalogrule_customer_group'), [{rule_id: 1, customer_group_id: 0}, {rule_id: 1, customer_group_id: 2}])
})

test('an entry that is not an id adds no row and is named in a warning', async (t) => {
  const side = recordingSideWriter()
  const warnings: string[] = []
  const handler = await create('website_ids', WEBSITES, side, OPENSOURCE, (message) => warnings.push(message))
  handler.handle(rule({rule_id: 3, website_ids: '1,base'}), opposite())

  t.deepEqual(side.rowsOf('catalogrule_website'), [{rule_id: 3, website_id: 1}])
  t.is(warnings.length, 1)
  t.true(warnings[0]!.includes('rule 3') && warnings[0]!.includes('"base"'), warnings[0])
})

test('10,000 rules add all their rows, and the handler sends no query at all', async (t) => {
  const side = recordingSideWriter()
  const source = failingLookup('no query is expected')
  const destination = failingLookup('no query is expected')
  const handler = await ruleNormalizationIds.create({...setupFor('customer_group_ids', GROUPS, side), source, destination})
  const row = rule()
  for (let i = 1; i <= 10_000; i++) {
    row.values.rule_id = i
    handler.handle(row, opposite())
  }

  t.is(source.count + destination.count, 0)
  t.is(side.added.length, 40_000)
  t.deepEqual(side.added.at(-1), {document: 'catalogrule_customer_group', row: {rule_id: 10_000, customer_group_id: 3}})
})

test('the handler declares normalizationDocument as the document it adds rows to', (t) => {
  t.deepEqual(ruleNormalizationIds.sideDocuments?.(setupFor('website_ids', WEBSITES)), ['catalogrule_website'])
  t.deepEqual(ruleNormalizationIds.sideDocuments?.(setupFor('customer_group_ids', {normalizationDocument: 'salesrule_customer_group', normalizationField: 'customer_group_id'})), ['salesrule_customer_group'])
})

test('both params are needed: a map that leaves one out is refused, naming it', (t) => {
  const error = t.throws(() => checkHandlerParams(ruleNormalizationIds, setupFor('website_ids', {normalizationDocument: 'catalogrule_website'})), {instanceOf: MigrationError})

  t.true(error.message.includes('normalizationField'), error.message)
})

test('a record without the field, or without rule_id, fails with "<field> field not found in the record."', async (t) => {
  const handler = await create('website_ids', WEBSITES, recordingSideWriter())

  t.throws(() => handler.handle(recordView('catalogrule', {rule_id: 1}), opposite()), {message: 'website_ids field not found in the record.'})
  t.throws(() => handler.handle(recordView('catalogrule', {website_ids: '1'}), opposite()), {message: 'rule_id field not found in the record.'})
})

test('without a side writer the handler is refused when created, naming the document it writes', async (t) => {
  const error = await t.throwsAsync(async () => ruleNormalizationIds.create(setupFor('website_ids', WEBSITES)), {instanceOf: MigrationError})

  t.true(error.message.includes('Rule\\NormalizationIds on catalogrule.website_ids'), error.message)
  t.true(error.message.includes('catalogrule_website'), error.message)
})
