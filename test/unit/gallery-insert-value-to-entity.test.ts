import test from 'ava'
import type {Handler} from '../../transforms/handler.js'
import {MigrationError} from '../../src/errors.js'
import {galleryInsertValueToEntity} from '../../transforms/gallery-insert-value-to-entity.js'
import {type FakeLookup, failingLookup, fakeLookup, handlerSetup} from '../helpers/fake-lookup.js'
import {recordView} from '../helpers/record-view.js'
import {type RecordingSideWriter, recordingSideWriter} from '../helpers/side-writer.js'

const CLASS = '\\Migration\\Handler\\Gallery\\InsertValueToEntity'
const LINKS = 'catalog_product_entity_media_gallery_value_to_entity'
const OPENSOURCE = {edition_migrate: 'opensource-to-opensource'}

function setupFor(sideWriter?: RecordingSideWriter, options: Record<string, string> = OPENSOURCE, destination?: FakeLookup) {
  return handlerSetup({className: CLASS, document: 'catalog_product_entity_media_gallery', field: 'value_id', options, sideWriter, destination})
}

async function create(sideWriter: RecordingSideWriter, options?: Record<string, string>, destination?: FakeLookup): Promise<Handler> {
  return galleryInsertValueToEntity.create(setupFor(sideWriter, options, destination))
}

/** A catalog_product_entity_media_gallery row of the M1 sample (image 1 of the BlackBerry 8100, product 17). */
function image(valueId: number, entityId: number, value = '/b/l/blackberry-8100-pearl.jpg') {
  return recordView('catalog_product_entity_media_gallery', {value_id: valueId, attribute_id: 703, entity_id: entityId, value})
}

const opposite = () => recordView('catalog_product_entity_media_gallery', {value_id: null, attribute_id: null, value: null, media_type: null, disabled: null})

test('each gallery row adds its link to its product', async (t) => {
  const side = recordingSideWriter()
  const handler = await create(side)
  handler.handle(image(1, 17), opposite())
  handler.handle(image(2, 17, '/b/l/blackberry-8100-pearl-1.jpg'), opposite())
  handler.handle(image(3, 18, '/s/o/sony-ericsson-w810i.jpg'), opposite())

  t.deepEqual(side.added, [
    {document: LINKS, row: {value_id: 1, entity_id: 17}},
    {document: LINKS, row: {value_id: 2, entity_id: 17}},
    {document: LINKS, row: {value_id: 3, entity_id: 18}},
  ])
})

test('the gallery row itself is left as it is', async (t) => {
  const handler = await create(recordingSideWriter())
  const row = image(5, 29, '/c/n/cn-clogs-beach-garden-clog.jpg')
  handler.handle(row, opposite())

  t.deepEqual(row.values, {value_id: 5, attribute_id: 703, entity_id: 29, value: '/c/n/cn-clogs-beach-garden-clog.jpg'})
})

test('opensource-to-opensource links by entity_id without asking the destination', async (t) => {
  const destination = failingLookup('no query is expected')
  const side = recordingSideWriter()
  const handler = await create(side, OPENSOURCE, destination)
  handler.handle(image(7, 30), opposite())

  t.is(destination.count, 0)
  t.deepEqual(side.added[0]!.row, {value_id: 7, entity_id: 30})
})

test('into Commerce with content staging (the link table has row_id) the link is by row_id', async (t) => {
  const destination = fakeLookup([[/^SHOW COLUMNS FROM `catalog_product_entity_media_gallery_value_to_entity` LIKE 'row_id'$/, [['row_id', 'int(10) unsigned', 'NO', 'MUL', null, '']]]])
  const side = recordingSideWriter()
  const handler = await create(side, {edition_migrate: 'opensource-to-commerce'}, destination)
  handler.handle(image(7, 30), opposite())

  t.deepEqual(side.added[0]!.row, {value_id: 7, row_id: 30})
})

test('into a destination without content staging (or with a config without edition_migrate) the link is by entity_id', async (t) => {
  const editions: Record<string, string>[] = [{edition_migrate: 'commerce-to-commerce'}, {}]
  for (const options of editions) {
    const destination = fakeLookup([[/^SHOW COLUMNS FROM/, []]])
    const side = recordingSideWriter()
    const handler = await create(side, options, destination)
    handler.handle(image(7, 30), opposite())

    t.deepEqual(side.added[0]!.row, {value_id: 7, entity_id: 30}, JSON.stringify(options))
  }
})

test('10,000 gallery rows add 10,000 links; the destination is asked once, when the handler is created', async (t) => {
  const destination = fakeLookup([[/^SHOW COLUMNS FROM/, []]])
  const side = recordingSideWriter()
  const handler = await create(side, {}, destination)
  const row = image(1, 17)
  for (let i = 1; i <= 10_000; i++) {
    row.values.value_id = i
    row.values.entity_id = 16 + (i % 300)
    handler.handle(row, opposite())
  }

  t.is(destination.count, 1)
  t.is(side.added.length, 10_000)
  t.deepEqual(side.added.at(-1)!.row, {value_id: 10_000, entity_id: 16 + (10_000 % 300)})
})

test('the handler declares the link table as the document it adds rows to', (t) => {
  t.deepEqual(galleryInsertValueToEntity.sideDocuments?.(setupFor()), [LINKS])
})

test('a record without the field, or without entity_id, fails with "<field> field not found in the record."', async (t) => {
  const handler = await create(recordingSideWriter())

  t.throws(() => handler.handle(recordView('catalog_product_entity_media_gallery', {entity_id: 17}), opposite()), {message: 'value_id field not found in the record.'})
  t.throws(() => handler.handle(recordView('catalog_product_entity_media_gallery', {value_id: 1}), opposite()), {message: 'entity_id field not found in the record.'})
})

test('without a side writer the handler is refused when created, naming handler and document', async (t) => {
  const error = await t.throwsAsync(async () => galleryInsertValueToEntity.create(setupFor()), {instanceOf: MigrationError})

  t.true(error.message.includes('Gallery\\InsertValueToEntity on catalog_product_entity_media_gallery.value_id'), error.message)
  t.true(error.message.includes(LINKS), error.message)
})

test('outside opensource-to-opensource and without a destination database the handler is refused when created', async (t) => {
  const error = await t.throwsAsync(async () => create(recordingSideWriter(), {}), {instanceOf: MigrationError})

  t.true(error.message.includes('needs the destination database'), error.message)
})
