import test from 'ava'
import {createTestDatabase, referencePath, type TestDatabase} from '../helpers/db.js'
import {loadRealStores} from '../helpers/fixtures.js'
import {migrateData, type MigrateResult, writeConfig} from '../helpers/migration.js'

// The real Magento CE 1.6.1.0 store into the real Magento 2.3 schema with the DMT's own, unchanged
// 1.6.1.0 map.xml.dist and every handler it names, WITHOUT --auto. The sample store has no orders
// and no widget in a CMS block, so the test adds one of each, as Magento 1 would have stored them.

const ETC = ['magento-dmt', 'etc', 'opensource-to-opensource'] as const
let source: TestDatabase
let destination: TestDatabase
let result: MigrateResult

const PRODUCT_OPTIONS = 'a:2:{s:15:"info_buyRequest";a:3:{s:4:"uenc";s:8:"aHR0cDo=";s:7:"product";s:3:"166";s:3:"qty";i:2;}s:7:"options";a:1:{i:0;a:4:{s:5:"label";s:7:"Größe";s:5:"value";s:1:"M";s:9:"option_id";s:1:"7";s:11:"option_type";s:9:"drop_down";}}}'

test.before(async () => {
  source = await createTestDatabase('m1_transforms')
  destination = await createTestDatabase('m2_transforms')
  await loadRealStores(source, destination)
  // Magento 1 wrote its rows without strict mode: columns it left out take their implicit defaults.
  await source.exec("SET SESSION sql_mode = ''")
  await source.exec(`INSERT INTO cms_block (block_id, title, identifier, content, creation_time, update_time, is_active)
    VALUES (90, 'New products', 'new-products', '<div>{{widget type="catalog/product_widget_new" display_type="all_products" products_count="5" template="catalog/product/widget/new/content/new_grid.phtml"}}</div>', NOW(), NOW(), 1)`)
  await source.exec("INSERT INTO sales_flat_order (entity_id, increment_id, store_id, state, status, total_item_count) VALUES (1, '100000001', 1, 'new', 'pending', 1)")
  await source.query('INSERT INTO sales_flat_order_item (item_id, order_id, store_id, product_id, product_type, sku, name, qty_ordered, price, product_options) VALUES (1, 1, 1, 166, \'simple\', \'HTC-T\', \'HTC Touch\', 2, 299.99, ?)', [PRODUCT_OPTIONS])
  const config = writeConfig({
    source,
    destination,
    mapFile: referencePath(...ETC, '1.6.1.0', 'map.xml.dist'),
    options: {class_map: referencePath(...ETC, 'class-map.xml.dist'), crypt_key: '3f8a5c1e9b7d2046a1c3e5f708192a3b', m2_crypt_key: '6wRADHwwCBGgdxbcHhovGB0upmg0mbsN', edition_migrate: 'opensource-to-opensource'},
  })
  result = await migrateData(config)
})

test.after.always(async () => {
  await Promise.allSettled([source?.drop(), destination?.drop()])
})

test('migrate:data exits 0 without --auto: no integrity error, every handler available, volume check passes', (t) => {
  t.is(result.exitCode, 0, result.log.at('ERROR').join('\n'))
  t.deepEqual(result.log.at('ERROR'), [])
  t.false(result.log.lines.some((line) => line.includes('Mismatch of entities')))
})

test('cms_page.root_template is moved to page_layout and converted to Magento 2 layout names', async (t) => {
  const rows = await destination.query<{identifier: string; page_layout: string}>('SELECT identifier, page_layout FROM cms_page ORDER BY page_id')
  const expected = await source.query<{identifier: string; root_template: string}>('SELECT identifier, root_template FROM cms_page ORDER BY page_id')
  const layouts: Record<string, string> = {one_column: '1column', two_columns_left: '2columns-left', two_columns_right: '2columns-right', three_columns: '3columns'}
  t.deepEqual(rows.map((row) => [row.identifier, row.page_layout]), expected.map((row) => [row.identifier, layouts[row.root_template] ?? '1column']))
})

test('a {{widget}} directive in cms_block.content names the Magento 2 class, escaped as Magento 2 stores it, and loses the module part of its template', async (t) => {
  const [{content}] = await destination.query<{content: string}>('SELECT content FROM cms_block WHERE block_id = 90')
  t.is(content, '<div>{{widget type="Magento\\\\Catalog\\\\Block\\\\Product\\\\Widget\\\\NewWidget" display_type="all_products" products_count="5" template="product/widget/new/content/new_grid.phtml"}}</div>')
})

test('{{block}} directives in cms_page.content keep types the class map does not know, and lose the module part of their template', async (t) => {
  const [{content}] = await destination.query<{content: string}>("SELECT content FROM cms_page WHERE page_id = 2")
  t.true(content.includes('{{block type="tag/popular" template="popular.phtml"}}'), content.slice(0, 400))
  t.false(content.includes('template="tag/popular.phtml"'))
})

test('sales_order_item.product_options holds JSON with the same data, multibyte text intact', async (t) => {
  const [{product_options: options}] = await destination.query<{product_options: string}>('SELECT product_options FROM sales_order_item WHERE item_id = 1')
  const parsed = JSON.parse(options) as {info_buyRequest: {product: string; qty: number}; options: {label: string; value: string}[]}
  t.is(parsed.info_buyRequest.product, '166')
  t.is(parsed.info_buyRequest.qty, 2)
  t.is(parsed.options[0].label, 'Größe')
  t.is(parsed.options[0].value, 'M')
})
