import test from 'ava'
import {createTestDatabase, referencePath, type TestDatabase, withDatabases} from '../helpers/db.js'
import {loadRealStores} from '../helpers/fixtures.js'
import {migrateData, type MigrateResult, writeConfig} from '../helpers/migration.js'

// The handlers that add rows to other documents (Rule\NormalizationIds, Gallery\InsertValueToEntity,
// Synonym) and their neighbours (Gallery\SetEntityId, Rule\SerializedData), run by migrate:data
// with the DMT's own 1.6.1.0 map over a real Magento CE 1.6.1.0 store and a Magento 2.3 schema.
// What each link table should hold is worked out here from the source, independently of them.

const MAP = referencePath('magento-dmt', 'etc', 'opensource-to-opensource', '1.6.1.0', 'map.xml.dist')
const OPTIONS = {
  class_map: referencePath('magento-dmt', 'etc', 'opensource-to-opensource', 'class-map.xml.dist'),
  crypt_key: '3f8a5c1e9b7d2046a1c3e5f708192a3b',
  m2_crypt_key: '6wRADHwwCBGgdxbcHhovGB0upmg0mbsN',
  edition_migrate: 'opensource-to-opensource',
}

let source: TestDatabase
let destination: TestDatabase
let run: MigrateResult

test.before(async () => {
  source = await createTestDatabase('m1_side_rows')
  destination = await createTestDatabase('m2_side_rows')
  await loadRealStores(source, destination)
  // The sample has no sales rules and one search term with a synonym (37, "laptop" for
  // "notebook", English store view): add two sales rules as the M1 admin saves them, and a
  // synonym in the French store view.
  await source.exec(`
    INSERT INTO salesrule (rule_id, name, uses_per_customer, customer_group_ids, is_active, conditions_serialized, actions_serialized, stop_rules_processing, is_advanced, sort_order, simple_action, discount_amount, website_ids, coupon_type) VALUES
      (1, '10% off for members', 0, '1,2,3', 1, 'a:6:{s:4:"type";s:32:"salesrule/rule_condition_combine";s:9:"attribute";N;s:8:"operator";N;s:5:"value";s:1:"1";s:18:"is_value_processed";N;s:10:"aggregator";s:3:"all";}', 'a:6:{s:4:"type";s:40:"salesrule/rule_condition_product_combine";s:9:"attribute";N;s:8:"operator";N;s:5:"value";s:1:"1";s:18:"is_value_processed";N;s:10:"aggregator";s:3:"all";}', 0, 1, 0, 'by_percent', 10.0000, '1', 1),
      (2, 'Free shipping for everyone', 0, '0,1,2,3,4', 1, 'a:6:{s:4:"type";s:32:"salesrule/rule_condition_combine";s:9:"attribute";N;s:8:"operator";N;s:5:"value";s:1:"1";s:18:"is_value_processed";N;s:10:"aggregator";s:3:"all";}', 'a:6:{s:4:"type";s:40:"salesrule/rule_condition_product_combine";s:9:"attribute";N;s:8:"operator";N;s:5:"value";s:1:"1";s:18:"is_value_processed";N;s:10:"aggregator";s:3:"all";}', 0, 1, 1, 'by_percent', 0.0000, '1', 1);
    INSERT INTO catalogsearch_query (query_text, num_results, popularity, synonym_for, store_id) VALUES ('portable', 4, 12, 'ordinateur', 3);
  `)
  run = await migrateData(writeConfig({source, destination, mapFile: MAP, options: OPTIONS}), {auto: true})
})

test.after.always(async () => {
  await Promise.allSettled([source?.drop(), destination?.drop()])
})

type Pair = [number, number]

function sortPairs(pairs: Pair[]): Pair[] {
  return pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1])
}

/** rule_id × each id of a Magento 1 comma list, from the source rules, worked out in JS. */
async function expectedLinks(rules: 'catalogrule' | 'salesrule', listColumn: string): Promise<Pair[]> {
  const rows = await source.query<{rule_id: number; list: string | null}>(`SELECT rule_id, \`${listColumn}\` AS list FROM ${rules}`)
  return sortPairs(rows.flatMap((row) => (row.list ?? '').split(',').filter((id) => id !== '').map((id): Pair => [row.rule_id, Number(id)])))
}

async function pairs(db: TestDatabase, sql: string): Promise<Pair[]> {
  const rows = await db.query<{a: number; b: number}>(sql)
  return sortPairs(rows.map((row): Pair => [Number(row.a), Number(row.b)]))
}

test('the run exits 0, and no handler of the 1.6.1.0 map is reported missing', (t) => {
  t.is(run.exitCode, 0, run.log.at('ERROR').join('\n'))
  t.deepEqual(run.log.messages.filter((line) => line.includes('Handler is not available')), [])
  t.deepEqual(run.log.at('WARNING').filter((line) => /is skipped: handler/.test(line)), [])
})

for (const [rules, list, link, column] of [
  ['catalogrule', 'customer_group_ids', 'catalogrule_customer_group', 'customer_group_id'],
  ['catalogrule', 'website_ids', 'catalogrule_website', 'website_id'],
  ['salesrule', 'customer_group_ids', 'salesrule_customer_group', 'customer_group_id'],
  ['salesrule', 'website_ids', 'salesrule_website', 'website_id'],
] as const) {
  test(`${link} holds one row per rule and id of the Magento 1 ${rules}.${list} lists, for every rule`, async (t) => {
    const expected = await expectedLinks(rules, list)
    const actual = await pairs(destination, `SELECT rule_id AS a, ${column} AS b FROM ${link}`)

    t.true(new Set(expected.map(([rule]) => rule)).size >= 2, 'the source has several rules with ids')
    t.deepEqual(actual, expected)
  })
}

test('the rules themselves are migrated: every catalog rule and both sales rules', async (t) => {
  const [[{n: catalogRules}], [{n: salesRules}]] = await Promise.all([
    destination.query<{n: number}>('SELECT COUNT(*) AS n FROM catalogrule'),
    destination.query<{n: number}>('SELECT COUNT(*) AS n FROM salesrule'),
  ])
  const [[{n: sourceCatalogRules}]] = await Promise.all([source.query<{n: number}>('SELECT COUNT(*) AS n FROM catalogrule')])

  t.is(Number(catalogRules), Number(sourceCatalogRules))
  t.is(Number(salesRules), 2)
})

test('the media gallery link table has one row per Magento 1 gallery row, with its product', async (t) => {
  const expected = await pairs(source, 'SELECT value_id AS a, entity_id AS b FROM catalog_product_entity_media_gallery')
  const actual = await pairs(destination, 'SELECT value_id AS a, entity_id AS b FROM catalog_product_entity_media_gallery_value_to_entity')

  t.true(expected.length > 200, `${expected.length} gallery rows`)
  t.deepEqual(actual, expected)
})

test('each store\'s gallery value gets the product of its gallery row', async (t) => {
  const expected = await source.query<{value_id: number; store_id: number; entity_id: number}>(
    'SELECT v.value_id, v.store_id, g.entity_id FROM catalog_product_entity_media_gallery_value v JOIN catalog_product_entity_media_gallery g ON g.value_id = v.value_id ORDER BY v.value_id, v.store_id')
  const actual = await destination.query<{value_id: number; store_id: number; entity_id: number}>(
    'SELECT value_id, store_id, entity_id FROM catalog_product_entity_media_gallery_value ORDER BY value_id, store_id')

  t.true(expected.length > 200)
  t.deepEqual(actual.map((row) => ({...row})), expected.map((row) => ({...row})))
})

test('each search term with a synonym becomes a search_synonyms group in its store view and website', async (t) => {
  const terms = await source.query<{synonym_for: string; query_text: string; store_id: number; website_id: number}>(
    "SELECT q.synonym_for, q.query_text, q.store_id, s.website_id FROM catalogsearch_query q JOIN core_store s ON s.store_id = q.store_id WHERE q.synonym_for <> '' ORDER BY q.query_id")
  const groups = await destination.query<{synonyms: string; store_id: number; website_id: number}>('SELECT synonyms, store_id, website_id FROM search_synonyms ORDER BY group_id')

  t.is(terms.length, 2)
  t.deepEqual(groups.map((row) => ({...row})), terms.map((term) => ({synonyms: `${term.synonym_for},${term.query_text}`, store_id: term.store_id, website_id: term.website_id})))
})

test('rule conditions and actions name no Magento 1 class alias any more, only Magento 2 classes', async (t) => {
  const rows = await destination.query<{rules: string; conditions: string; actions: string}>(
    "SELECT 'catalogrule' AS rules, conditions_serialized AS conditions, actions_serialized AS actions FROM catalogrule UNION ALL SELECT 'salesrule', conditions_serialized, actions_serialized FROM salesrule")
  const types = new Set<string>()
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(collect)
    else if (value && typeof value === 'object') {
      const {type, conditions} = value as {type?: unknown; conditions?: unknown}
      if (typeof type === 'string') types.add(type)
      collect(conditions)
    }
  }
  for (const row of rows) {
    collect(JSON.parse(row.conditions))
    collect(JSON.parse(row.actions))
  }

  t.true(rows.length >= 8)
  t.deepEqual([...types].sort(), [
    'Magento\\CatalogRule\\Model\\Rule\\Action\\Collection',
    'Magento\\CatalogRule\\Model\\Rule\\Condition\\Combine',
    'Magento\\CatalogRule\\Model\\Rule\\Condition\\Product',
    'Magento\\SalesRule\\Model\\Rule\\Condition\\Combine',
    'Magento\\SalesRule\\Model\\Rule\\Condition\\Product\\Combine',
  ])
})

test('a batch whose link rows fail is rolled back whole: its gallery rows and their links are both missing, earlier batches keep both', async (t) => {
  const [m1, m2] = await withDatabases(t, ['m1_side_fail', 'm2_side_fail'])
  await loadRealStores(m1, m2)
  const batch = 50
  const ids = (await m1.query<{value_id: number}>('SELECT value_id FROM catalog_product_entity_media_gallery ORDER BY value_id')).map((row) => Number(row.value_id))
  // One link of the third page is refused by the destination; the page is one batch (bulk_size).
  const failing = ids[2 * batch + 10]!
  await m2.exec(`ALTER TABLE catalog_product_entity_media_gallery_value_to_entity ADD CONSTRAINT refuse_one_link CHECK (value_id <> ${failing})`)

  const failed = await migrateData(writeConfig({source: m1, destination: m2, mapFile: MAP, options: {...OPTIONS, bulk_size: String(batch)}}), {auto: true})
  const gallery = (await m2.query<{value_id: number}>('SELECT value_id FROM catalog_product_entity_media_gallery ORDER BY value_id')).map((row) => Number(row.value_id))
  const links = (await m2.query<{value_id: number}>('SELECT value_id FROM catalog_product_entity_media_gallery_value_to_entity ORDER BY value_id')).map((row) => Number(row.value_id))

  t.not(failed.exitCode, 0)
  t.true(failed.log.at('ERROR').some((line) => line.includes('catalog_product_entity_media_gallery')), failed.log.at('ERROR').join('\n'))
  // Every gallery row committed has its link and no link was committed without its gallery row.
  t.deepEqual(links, gallery)
  // The two pages before the failing one were committed, the failing page not at all.
  t.deepEqual(gallery, ids.slice(0, 2 * batch))
})
