import test from 'ava'
import {quoteIdentifier} from '../../src/adapters/mysql/sql-text.js'
import {readMap} from '../../src/config/map-reader.js'
import type {HandlerConfig} from '../../src/config/map-rules.js'
import type {Handler, HandlerSetup, LookupPort, Value} from '../../transforms/handler.js'
import {canonicalHandlerName, checkHandlerParams, HandlerRegistry} from '../../transforms/registry.js'
import {createTestDatabase, referencePath, type TestDatabase} from '../helpers/db.js'
import {loadRealStores} from '../helpers/fixtures.js'
import {recordView} from '../helpers/record-view.js'

// The handlers that load reference data, created from the DMT's own 1.6.1.0 maps with the params
// those maps give them, over a real Magento CE 1.6.1.0 store (source) and a Magento 2.3 schema
// (destination): their lookups must find the real ids, suffixes and stores.

const MAPS = referencePath('magento-dmt', 'etc', 'opensource-to-opensource')
const MAP = `${MAPS}/1.6.1.0/map.xml.dist`
const EAV_MAP = `${MAPS}/map-eav.xml.dist`

const GROUP = new Set([
  'ConvertEavValue', 'SetValueAttributeCondition', 'ProductAlertStoreId', 'QuoteMultiAddressStoreId', 'BundleParentProduct',
  'TruncateSuffix', 'CleanMultiselect', 'Settings\\CategoryRootId', 'GetDestinationValue', 'EavAttribute\\ApplyTo',
  'EavAttribute\\BackendTypeForMultiselect', 'Rule\\ConditionSql',
])

let source: TestDatabase
let destination: TestDatabase
/** A catalog_product multiselect attribute added to the source: the sample has none. */
let featuresId: number

test.before(async () => {
  source = await createTestDatabase('m1_lookups')
  destination = await createTestDatabase('m2_lookups')
  await loadRealStores(source, destination)
  await source.exec("INSERT INTO eav_attribute (entity_type_id, attribute_code, backend_type, frontend_input, is_user_defined) VALUES (10, 'features', 'text', 'multiselect', 1)")
  featuresId = (await source.query<{id: number}>("SELECT attribute_id AS id FROM eav_attribute WHERE attribute_code = 'features'"))[0].id
  // The items of a multi-address checkout in the French store view (3), each on an address (the
  // quote and its addresses are left out: only the items matter here).
  await source.exec(`SET FOREIGN_KEY_CHECKS = 0;
    INSERT INTO sales_flat_quote_item (item_id, quote_id, product_id, store_id, sku, free_shipping) VALUES (11, 1, 16, 3, 'n2610', 0), (12, 1, 17, NULL, 'bb8100', 0), (13, 1, 18, 3, 'w810i', 0);
    INSERT INTO sales_flat_quote_address_item (address_item_id, quote_address_id, quote_item_id) VALUES (1, 5, 11), (2, 6, 12);
    SET FOREIGN_KEY_CHECKS = 1;`)
})

test.after.always(async () => {
  await Promise.allSettled([source?.drop(), destination?.drop()])
})

interface CountingPort extends LookupPort {
  readonly queries: string[]
}

/** A LookupPort over a test connection: rows as arrays, table names quoted, every query kept. */
function port(db: TestDatabase): CountingPort {
  const queries: string[] = []
  return {
    queries,
    table: (document) => quoteIdentifier(document),
    async query(sql) {
      queries.push(sql)
      const [rows] = await db.conn.query({sql, rowsAsArray: true})
      return rows as Value[][]
    },
  }
}

const registry = new HandlerRegistry()

/** Creates a handler the way the Map step does: through the registry, params checked, lookups given. */
async function createFromConfig(config: HandlerConfig, mapFile: string, ports: {source: CountingPort, destination: CountingPort}): Promise<Handler> {
  const setup: HandlerSetup = {
    className: config.className, document: config.document, field: config.field, side: config.side, params: config.params,
    mapFile, at: config.at, source: ports.source, destination: ports.destination, warn: () => undefined,
    resolveOptionFile: (option) => {
      if (option !== 'map_file') throw new Error(`no option ${option}`)
      return MAP
    },
  }
  const definition = await registry.definitionFor(setup)
  checkHandlerParams(definition, setup)
  return definition.create(setup)
}

async function configsOf(mapFile: string): Promise<HandlerConfig[]> {
  const rules = await readMap(mapFile)
  return [...rules.allHandlerConfigs('source'), ...rules.allHandlerConfigs('destination')]
}

/** The handlers the map puts on one field, in map order (only those of this group). */
async function handlersOn(mapFile: string, document: string, field: string, ports = {source: port(source), destination: port(destination)}): Promise<Handler[]> {
  const configs = (await configsOf(mapFile)).filter((config) => config.document === document && config.field === field && GROUP.has(canonicalHandlerName(config.className)))
  return Promise.all(configs.map((config) => createFromConfig(config, mapFile, ports)))
}

async function handlerOn(mapFile: string, document: string, field: string, name: string, ports = {source: port(source), destination: port(destination)}): Promise<Handler> {
  const config = (await configsOf(mapFile)).find((candidate) => candidate.document === document && candidate.field === field && canonicalHandlerName(candidate.className) === name)
  if (!config) throw new Error(`${mapFile} names no ${name} on ${document}.${field}`)
  return createFromConfig(config, mapFile, ports)
}

function run(handlers: readonly Handler[], document: string, values: Record<string, Value>, opposite: Record<string, Value> = {}): Record<string, Value> {
  const record = recordView(document, values)
  for (const handler of handlers) handler.handle(record, recordView('opposite', opposite))
  return record.values
}

test('every handler of this group the 1.6.1.0 maps name is created with the map\'s params, with at most two queries each', async (t) => {
  const created = new Set<string>()
  for (const mapFile of [MAP, EAV_MAP]) {
    for (const config of await configsOf(mapFile)) {
      const name = canonicalHandlerName(config.className)
      if (!GROUP.has(name)) continue
      const ports = {source: port(source), destination: port(destination)}
      await createFromConfig(config, mapFile, ports)
      created.add(name)
      t.true(ports.source.queries.length <= 2, `${name} on ${config.document}.${config.field}: ${ports.source.queries.join('; ')}`)
      t.is(ports.destination.queries.length, 0)
    }
  }
  // Settings\CategoryRootId lives in settings.xml and Rule\ConditionSql in the Commerce maps only.
  t.deepEqual([...created].sort(), [...GROUP].filter((name) => name !== 'Settings\\CategoryRootId' && name !== 'Rule\\ConditionSql').sort())
})

test.serial('the map\'s handlers on catalog_product_entity_varchar.value convert every real row with only the queries create() sent', async (t) => {
  const ports = {source: port(source), destination: port(destination)}
  const handlers = await handlersOn(MAP, 'catalog_product_entity_varchar', 'value', ports)
  const sent = ports.source.queries.length
  const rows = await source.query<{value_id: number, attribute_id: number, value: string | null}>('SELECT value_id, attribute_id, value FROM catalog_product_entity_varchar ORDER BY value_id')
  const layouts: Record<string, string> = {one_column: '1column', two_columns_left: '2columns-left', two_columns_right: '2columns-right', three_columns: '3columns'}
  let changed = 0
  for (const row of rows) {
    const result = run(handlers, 'catalog_product_entity_varchar', {...row})
    // In the sample: page_layout is 931, url_key 481, url_path 570 and custom_design 571 (catalog_product).
    let expected: Value = row.value
    if (row.attribute_id === 931 && row.value !== null) expected = layouts[row.value] ?? row.value
    if ((row.attribute_id === 481 || row.attribute_id === 570) && row.value !== null) expected = row.value.replace(/\.html$/, '')
    if (row.attribute_id === 571) expected = null
    t.is(result.value, expected, `value_id ${row.value_id}`)
    if (result.value !== row.value) changed++
  }

  t.true(rows.length > 1000)
  t.true(changed > 300, `${changed} rows changed`)
  t.is(ports.source.queries.length, sent)
})

test.serial('with no URL suffix configured (as in the sample), .html is taken off category url_path only', async (t) => {
  const truncate = await handlerOn(MAP, 'catalog_category_entity_varchar', 'value', 'TruncateSuffix')
  // 533 is url_path and 479 url_key of catalog_category in the sample.
  t.is(run([truncate], 'catalog_category_entity_varchar', {attribute_id: 533, value: 'apparel.html'}).value, 'apparel')
  t.is(run([truncate], 'catalog_category_entity_varchar', {attribute_id: 479, value: 'apparel.html'}).value, 'apparel.html')
  // url_path of catalog_product (570) is not among the category handler's attributes.
  t.is(run([truncate], 'catalog_category_entity_varchar', {attribute_id: 570, value: 'apparel.html'}).value, 'apparel.html')
})

test.serial('a configured URL suffix is found in core_config_data, the default scope\'s first', async (t) => {
  await source.exec(`INSERT INTO core_config_data (scope, scope_id, path, value) VALUES
    ('stores', 1, 'catalog/seo/product_url_suffix', '.php'), ('default', 0, 'catalog/seo/product_url_suffix', '.htm')`)
  t.teardown(() => source.exec("DELETE FROM core_config_data WHERE path = 'catalog/seo/product_url_suffix'"))
  const truncate = await handlerOn(MAP, 'catalog_product_entity_varchar', 'value', 'TruncateSuffix')

  t.is(run([truncate], 'catalog_product_entity_varchar', {attribute_id: 570, value: 'nokia-2610-phone.htm'}).value, 'nokia-2610-phone')
  t.is(run([truncate], 'catalog_product_entity_varchar', {attribute_id: 570, value: 'nokia-2610-phone.php'}).value, 'nokia-2610-phone.php')
  t.is(run([truncate], 'catalog_product_entity_varchar', {attribute_id: 481, value: 'nokia-2610-phone.htm'}).value, 'nokia-2610-phone')
})

test('ConvertEavValue finds page_layout of both categories and products', async (t) => {
  const [convert] = await handlersOn(MAP, 'catalog_category_entity_varchar', 'value')

  t.is(run([convert], 'catalog_category_entity_varchar', {attribute_id: 514, value: 'one_column'}).value, '1column')
  t.is(run([convert], 'catalog_category_entity_varchar', {attribute_id: 931, value: 'three_columns'}).value, '3columns')
  t.is(run([convert], 'catalog_category_entity_varchar', {attribute_id: 563, value: 'one_column'}).value, 'one_column')
})

test('SetValueAttributeCondition empties input_filter of the real created_at customer attribute only', async (t) => {
  const handler = await handlerOn(EAV_MAP, 'customer_eav_attribute', 'input_filter', 'SetValueAttributeCondition')
  const rows = await source.query<{attribute_id: number, input_filter: string | null}>('SELECT attribute_id, input_filter FROM customer_eav_attribute')
  const createdAt = (await source.query<{id: number}>("SELECT attribute_id AS id FROM eav_attribute WHERE attribute_code = 'created_at'")).map(({id}) => id)
  for (const row of rows) {
    const result = run([handler], 'customer_eav_attribute', {...row})
    t.is(result.input_filter, createdAt.includes(row.attribute_id) ? null : row.input_filter, `attribute ${row.attribute_id}`)
  }
  // 926 is customer created_at, stored with an empty input filter in the sample.
  t.true(rows.some((row) => row.attribute_id === 926 && row.input_filter === ''))
})

test('BundleParentProduct gives each real option title the bundle its option belongs to', async (t) => {
  const handler = await handlerOn(MAP, 'catalog_product_bundle_option_value', 'parent_product_id', 'BundleParentProduct')
  const rows = await source.query<{value_id: number, option_id: number, title: string, bundle: number}>(
    'SELECT v.value_id, v.option_id, v.title, o.parent_id AS bundle FROM catalog_product_bundle_option_value v JOIN catalog_product_bundle_option o ON o.option_id = v.option_id')
  for (const {bundle, ...row} of rows) {
    t.is(run([handler], 'catalog_product_bundle_option_value', {...row, parent_product_id: null}).parent_product_id, bundle, `value ${row.value_id}`)
  }
  t.is(rows.length, 20)
  t.is(run([handler], 'catalog_product_bundle_option_value', {option_id: 21, parent_product_id: null}).parent_product_id, 164)
})

test('BundleParentProduct gives a selection price the bundle of its selection', async (t) => {
  const handler = await handlerOn(MAP, 'catalog_product_bundle_selection_price', 'parent_product_id', 'BundleParentProduct')

  t.is(run([handler], 'catalog_product_bundle_selection_price', {selection_id: 1, website_id: 1, parent_product_id: null}).parent_product_id, 158)
  t.is(run([handler], 'catalog_product_bundle_selection_price', {selection_id: 27, website_id: 1, parent_product_id: null}).parent_product_id, 164)
  t.is(run([handler], 'catalog_product_bundle_selection_price', {selection_id: 9999, website_id: 1, parent_product_id: null}).parent_product_id, 0)
})

test('ProductAlertStoreId finds the default store of the Main Website', async (t) => {
  for (const document of ['product_alert_price', 'product_alert_stock']) {
    const handler = await handlerOn(MAP, document, 'store_id', 'ProductAlertStoreId')
    t.is(run([handler], document, {website_id: 1, store_id: 0}).store_id, 1)
    t.is(run([handler], document, {website_id: 0, store_id: 0}).store_id, 0)
  }
})

test('QuoteMultiAddressStoreId finds the store of each multi-address quote item', async (t) => {
  const handler = await handlerOn(MAP, 'quote_address_item', 'store_id', 'QuoteMultiAddressStoreId')

  t.is(run([handler], 'quote_address_item', {quote_item_id: 11, store_id: null}).store_id, 3)
  t.is(run([handler], 'quote_address_item', {quote_item_id: 12, store_id: null}).store_id, null)
  // Item 13 is on no address, so it is not loaded (the DMT would look it up; no address item refers to it).
  t.is(run([handler], 'quote_address_item', {quote_item_id: 13, store_id: null}).store_id, 0)
})

test('CleanMultiselect cleans the product multiselect attribute, not the category one', async (t) => {
  const [clean] = await handlersOn(MAP, 'catalog_product_entity_text', 'value')

  t.is(run([clean], 'catalog_product_entity_text', {attribute_id: featuresId, value: '3,,5,'}).value, '3,5')
  // 929 is available_sort_by, a multiselect of catalog_category.
  t.is(run([clean], 'catalog_product_entity_text', {attribute_id: 929, value: 'position,,name'}).value, 'position,,name')
})

test('EavAttribute\\ApplyTo clears apply_to of the real user-defined attributes Magento 2 lacks', async (t) => {
  const handler = await handlerOn(EAV_MAP, 'catalog_eav_attribute', 'apply_to', 'EavAttribute\\ApplyTo')
  const newInMagento2 = {attribute_id: null, apply_to: 'simple'}

  // color (272) and cost (100) are user-defined in the sample; url_key (481) is not.
  t.is(run([handler], 'catalog_eav_attribute', {attribute_id: 272, apply_to: 'simple'}, newInMagento2).apply_to, null)
  t.is(run([handler], 'catalog_eav_attribute', {attribute_id: 100, apply_to: 'simple,virtual,downloadable'}, newInMagento2).apply_to, null)
  t.is(run([handler], 'catalog_eav_attribute', {attribute_id: 481, apply_to: ''}, newInMagento2).apply_to, 'simple')
  t.is(run([handler], 'catalog_eav_attribute', {attribute_id: 272, apply_to: 'simple'}, {attribute_id: 93, apply_to: 'simple,configurable'}).apply_to, 'simple,configurable')
})

test('EavAttribute\\BackendTypeForMultiselect finds catalog_product and changes only its multiselects', async (t) => {
  const handler = await handlerOn(EAV_MAP, 'eav_attribute', 'backend_type', 'EavAttribute\\BackendTypeForMultiselect')
  const rows = await source.query<{attribute_id: number, entity_type_id: number, frontend_input: string | null, backend_type: string}>(
    'SELECT attribute_id, entity_type_id, frontend_input, backend_type FROM eav_attribute')
  const changed = rows.filter((row) => run([handler], 'eav_attribute', {...row}).backend_type !== row.backend_type).map((row) => row.attribute_id)

  t.deepEqual(changed, [featuresId])
})

test('Rule\\ConditionSql rewrites real source table names by map_file\'s renames', async (t) => {
  const ports = {source: port(source), destination: port(destination)}
  const handler = await createFromConfig({className: 'Migration\\Handler\\Rule\\ConditionSql', params: {}, document: 'enterprise_reminder_rule', field: 'condition_sql', side: 'source', at: 'test'}, MAP, ports)
  const condition = 'SELECT 1 FROM `sales_flat_quote` AS `quote` INNER JOIN `sales_flat_quote_item` AS `item` ON item.quote_id = quote.entity_id INNER JOIN `customer_entity` AS c ON c.entity_id = quote.customer_id'

  t.is(run([handler], 'enterprise_reminder_rule', {condition_sql: condition}).condition_sql,
    'SELECT 1 FROM `quote` AS `quote` INNER JOIN `quote_item` AS `item` ON item.quote_id = quote.entity_id INNER JOIN `customer_entity` AS c ON c.entity_id = quote.customer_id')
  t.deepEqual(ports.source.queries, ['SHOW TABLES'])
})

test('Settings\\CategoryRootId and GetDestinationValue are created without a query', async (t) => {
  const ports = {source: port(source), destination: port(destination)}
  const rootId = await createFromConfig({className: '\\Migration\\Handler\\Settings\\CategoryRootId', params: {}, document: 'core_config_data', field: 'value', side: 'source', at: 'settings.xml.dist'}, MAP, ports)
  const [increment] = await handlersOn(EAV_MAP, 'eav_entity_type', 'increment_model', ports)

  t.is(run([rootId], 'core_config_data', {path: 'catalog/category/root_id', value: '2'}).value, null)
  t.is(run([increment], 'eav_entity_type', {increment_model: 'eav/entity_increment_numeric'}, {increment_model: null}).increment_model, null)
  t.deepEqual([...ports.source.queries, ...ports.destination.queries], [])
})
