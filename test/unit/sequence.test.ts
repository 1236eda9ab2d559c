import test from 'ava'
import type {Handler, Value} from '../../transforms/handler.js'
import {MigrationError} from '../../src/errors.js'
import {checkHandlerParams} from '../../transforms/registry.js'
import {sequence} from '../../transforms/sequence.js'
import {failingLookup, handlerSetup} from '../helpers/fake-lookup.js'
import {recordView} from '../helpers/record-view.js'
import {type RecordingSideWriter, recordingSideWriter} from '../helpers/side-writer.js'

const CLASS = '\\Migration\\Handler\\Sequence'
/** The commerce-to-commerce maps' transform of catalogrule.rule_id. */
const PARAMS = {table: 'sequence_catalogrule'}

function setupFor(params: Record<string, string> = PARAMS, sideWriter?: RecordingSideWriter) {
  return handlerSetup({className: CLASS, document: 'catalogrule', field: 'rule_id', params, sideWriter})
}

async function create(side: RecordingSideWriter, params: Record<string, string> = PARAMS): Promise<Handler> {
  return sequence.create(setupFor(params, side))
}

function rule(ruleId: Value) {
  return recordView('catalogrule', {rule_id: ruleId, name: 'Sony Sale', is_active: 1})
}

/** The Commerce destination row of a staged rule: row_id plus its version range. */
function stagedRule() {
  return recordView('catalogrule', {row_id: null, rule_id: null, name: null, created_in: null, updated_in: null})
}

test('each rule id is added to the sequence table', async (t) => {
  const side = recordingSideWriter()
  const handler = await create(side)
  for (const id of [1, 3, 4]) handler.handle(rule(id), stagedRule())

  t.deepEqual(side.added, [1, 3, 4].map((id) => ({document: 'sequence_catalogrule', row: {sequence_value: id}})))
})

test('a record without an id (0, NULL, empty) adds no sequence row', async (t) => {
  const side = recordingSideWriter()
  const handler = await create(side)
  for (const id of [0, null, '', '0']) handler.handle(rule(id), stagedRule())

  t.deepEqual(side.added, [])
})

test('a staged destination row becomes one version, live from 1 until 2147483647', async (t) => {
  const handler = await create(recordingSideWriter())
  const destination = stagedRule()
  handler.handle(rule(1), destination)

  t.is(destination.values.created_in, 1)
  t.is(destination.values.updated_in, 2147483647)
})

test('a destination row without both version fields is left alone', async (t) => {
  const handler = await create(recordingSideWriter())
  const openSource = recordView('catalogrule', {rule_id: null, name: null})
  const halfStaged = recordView('catalogrule', {rule_id: null, created_in: null})
  handler.handle(rule(1), openSource)
  handler.handle(rule(1), halfStaged)

  t.deepEqual(openSource.values, {rule_id: null, name: null})
  t.deepEqual(halfStaged.values, {rule_id: null, created_in: null})
})

test('the record\'s own id is left as it is', async (t) => {
  const handler = await create(recordingSideWriter())
  const row = rule(7)
  handler.handle(row, stagedRule())

  t.is(row.values.rule_id, 7)
})

test('an empty table param adds no rows, as in the DMT, and declares no side document', async (t) => {
  const side = recordingSideWriter()
  const handler = await create(side, {table: ''})
  handler.handle(rule(1), stagedRule())

  t.deepEqual(side.added, [])
  t.deepEqual(sequence.sideDocuments?.(setupFor({table: ''})), [])
})

test('the handler declares its table as a side document and the version fields as fields it writes', (t) => {
  t.deepEqual(sequence.sideDocuments?.(setupFor()), ['sequence_catalogrule'])
  t.deepEqual(sequence.writesOpposite?.(setupFor()), ['created_in', 'updated_in'])
})

test('10,000 records add 10,000 sequence rows and send no query', async (t) => {
  const side = recordingSideWriter()
  const lookup = failingLookup('no query is expected')
  const handler = await sequence.create({...setupFor(PARAMS, side), source: lookup, destination: lookup})
  const row = rule(1)
  for (let i = 1; i <= 10_000; i++) {
    row.values.rule_id = i
    handler.handle(row, stagedRule())
  }

  t.is(lookup.count, 0)
  t.is(side.added.length, 10_000)
})

test('the table param is needed', (t) => {
  const error = t.throws(() => checkHandlerParams(sequence, setupFor({})), {instanceOf: MigrationError})

  t.true(error.message.includes('"table"'), error.message)
})

test('a record without the field fails with "<field> field not found in the record."', async (t) => {
  const handler = await create(recordingSideWriter())

  t.throws(() => handler.handle(recordView('catalogrule', {name: 'x'}), stagedRule()), {message: 'rule_id field not found in the record.'})
})

test('without a side writer the handler is refused when created, naming its table', async (t) => {
  const error = await t.throwsAsync(async () => sequence.create(setupFor()), {instanceOf: MigrationError})

  t.true(error.message.includes('sequence_catalogrule'), error.message)
})
