import test from 'ava'
import {fixturePath, loadFixturePair} from '../helpers/fixtures.js'
import {migrateData, writeConfig} from '../helpers/migration.js'

// One run of migrate:data over fixtures/semantics, whose map holds one of every rule kind.
// Each test checks one rule's effect on the destination.

async function migrated(t: Parameters<typeof loadFixturePair>[0]) {
  const [source, destination] = await loadFixturePair(t, 'semantics')
  const config = writeConfig({source, destination, mapFile: fixturePath('semantics', 'map.xml')})
  const result = await migrateData(config)
  t.is(result.exitCode, 0, result.log.lines.join('\n'))
  return {source, destination, result}
}

test('rename: core_store rows land in store, explicit 0 id kept, pre-existing rows replaced', async (t) => {
  const {destination} = await migrated(t)
  const rows = await destination.query<{store_id: number; code: string; name: string}>('SELECT store_id, code, name FROM store ORDER BY store_id')
  t.deepEqual(rows.map((row) => [row.store_id, row.code, row.name]), [[0, 'admin', 'Admin'], [1, 'default', 'Default Store View'], [2, 'french', 'Vue française']])
})

test('destination field ignore: an ignored destination column keeps its default', async (t) => {
  const {destination} = await migrated(t)
  const rows = await destination.query<{is_active: number}>('SELECT is_active FROM store')
  t.true(rows.length === 3 && rows.every((row) => row.is_active === 1))
})

test('wildcard ignore is anchored at the start: log_* tables are left out, xlog_keep is copied', async (t) => {
  const {destination, result} = await migrated(t)
  // log_url and log_visitor have no destination table: only the ignore keeps them out of the integrity errors.
  t.false(result.log.lines.some((line) => line.includes('log_url') || line.includes('log_visitor')))
  t.deepEqual(await destination.query('SELECT id, note FROM xlog_keep'), [{id: 1, note: 'kept'}])
})

test('move: sales_flat_order.grand_total lands in sales_order.base_grand_total', async (t) => {
  const {destination} = await migrated(t)
  const rows = await destination.query<{base_grand_total: string}>('SELECT base_grand_total FROM sales_order ORDER BY entity_id')
  t.deepEqual(rows.map((row) => row.base_grand_total), ['10.0000', '20.5000', '0.0000'])
})

test('destination transform: SetValue NULL empties gift_message_id', async (t) => {
  const {destination} = await migrated(t)
  const rows = await destination.query<{gift_message_id: number | null}>('SELECT gift_message_id FROM sales_order')
  t.true(rows.length === 3 && rows.every((row) => row.gift_message_id === null))
})

test('NULL and empty string stay distinct through a renamed document', async (t) => {
  const {destination} = await migrated(t)
  const rows = await destination.query<{customer_note: string | null}>('SELECT customer_note FROM sales_order ORDER BY entity_id')
  t.deepEqual(rows.map((row) => row.customer_note), ['', null, 'Ring twice, it\'s "urgent"'])
})

test('source transform: SetValue sets type_id on every product', async (t) => {
  const {destination} = await migrated(t)
  const rows = await destination.query<{type_id: string}>('SELECT type_id FROM catalog_product_entity')
  t.deepEqual(rows.map((row) => row.type_id), ['simple', 'simple', 'simple', 'simple'])
})

test('destination transform on an ignored destination column fills it; untouched columns keep defaults', async (t) => {
  const {destination} = await migrated(t)
  const rows = await destination.query<{updated_in: string; attribute_set_id: number}>('SELECT updated_in, attribute_set_id FROM catalog_product_entity')
  t.true(rows.length === 4 && rows.every((row) => row.updated_in === '1' && row.attribute_set_id === 4))
})

test('datatype ignore still copies the field: sku text and weight, NULL and empty kept, zero date kept', async (t) => {
  const {destination} = await migrated(t)
  const rows = await destination.query<{sku: string | null; created: string | null}>("SELECT sku, CAST(created_at AS CHAR) AS created FROM catalog_product_entity ORDER BY entity_id")
  t.deepEqual(rows.map((row) => row.sku), ['SKU-1', 'SKU-2', null, ''])
  t.deepEqual(rows.map((row) => row.created), ['2011-05-01 10:00:00', '0000-00-00 00:00:00', null, '2012-01-31 23:59:59'])
})

test('source transform with +n adds to a key column of a composite key', async (t) => {
  const {destination} = await migrated(t)
  const rows = await destination.query<{entity_id: number; store_id: number; value: string | null}>('SELECT entity_id, store_id, value FROM eav_entity_link ORDER BY entity_id, store_id')
  t.deepEqual(rows.map((row) => [row.entity_id, row.store_id, row.value]), [[1, 10, 'a'], [1, 11, 'b'], [2, 10, null], [3, 12, '']])
})

test('a table without a key is copied whole, duplicate rows included, and the log says how it was read', async (t) => {
  const {destination, result} = await migrated(t)
  const [{n}] = await destination.query<{n: number}>('SELECT COUNT(*) AS n FROM sendfriend_log')
  t.is(Number(n), 3)
  t.true(result.log.at('INFO').some((line) => line.startsWith('sendfriend_log has no primary or unique NOT NULL key')))
})

test('destination document ignore: m2_only_cache is neither emptied nor reported', async (t) => {
  const {destination, result} = await migrated(t)
  t.deepEqual(await destination.query('SELECT id FROM m2_only_cache'), [{id: 42}])
  t.false(result.log.lines.some((line) => line.includes('m2_only_cache')))
})

test('the run logs the DMT stages in order and ends with a summary', async (t) => {
  const {result} = await migrated(t)
  const stages = result.log.at('INFO').filter((line) => line === 'started')
  t.is(stages.length, 3)
  const stageLines = result.log.lines.filter((line) => line.endsWith(': started')).map((line) => /\[stage: ([^\]]+)\]/.exec(line)?.[1])
  t.deepEqual(stageLines, ['integrity check', 'data migration', 'volume check'])
  t.regex(result.log.lines.at(-1)!, /Summary: 6 documents, 18 rows, [\d.]+ s, \d+ rows\/s$/)
})
