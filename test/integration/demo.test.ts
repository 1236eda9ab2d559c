/**
 * The demo store (fixtures/demo): `m2-migrate migrate:data fixtures/demo/config.xml` runs as a
 * child process that cannot open a network connection at all, writes an SQL file, and that file
 * loads into an empty MariaDB database without a warning. The checks below read the loaded
 * database and compare it with what the demo's dump and map say it must hold.
 */
import {spawn} from 'node:child_process'
import {cpSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import test from 'ava'
import {createTestDatabase, findOnPath, type TestDatabase} from '../helpers/db.js'
import {type CliResult, runCli, tempFolder} from '../helpers/dumps.js'
import {fixturePath} from '../helpers/fixtures.js'

const BLOCK_NETWORK = `import net from 'node:net'
const refuse = () => { throw new Error('demo test: m2-migrate opened a network connection') }
net.Socket.prototype.connect = refuse
net.connect = refuse
net.createConnection = refuse
`

let run: CliResult
let folder: string
let database: TestDatabase
let loadOutput: string

/** Loads the file with the mariadb client, printing every warning; returns what the client printed. */
function loadShowingWarnings(db: TestDatabase, file: string): Promise<string> {
  const client = findOnPath('mariadb') ?? findOnPath('mysql')
  if (!client) throw new Error('the mariadb client is not installed')
  const {host, port, user, password, name} = db.params
  return new Promise((resolve, reject) => {
    const child = spawn(client, ['--no-defaults', '--batch', '--show-warnings', '--protocol=TCP', `--host=${host}`, `--port=${port}`, `--user=${user}`, name], {env: {...process.env, MYSQL_PWD: password}, stdio: ['pipe', 'pipe', 'pipe']})
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`the client failed (${code}): ${output}`))))
    child.stdin.end(readFileSync(file))
  })
}

test.before(async () => {
  folder = tempFolder('demo')
  cpSync(fixturePath('demo'), folder, {recursive: true, filter: (source) => !source.includes(`${join('demo', 'out')}`)})
  writeFileSync(join(folder, 'block-network.mjs'), BLOCK_NETWORK)
  run = await runCli(['migrate:data', join(folder, 'config.xml')], {nodeArgs: ['--import', pathToFileURL(join(folder, 'block-network.mjs')).href], env: {M2M_TEST_DB_URL: ''}})
  database = await createTestDatabase('demo_loaded')
  if (run.code === 0) loadOutput = await loadShowingWarnings(database, join(folder, 'out', 'magento2.sql'))
})

test.after.always(async () => {
  await database?.drop()
  if (folder) rmSync(folder, {recursive: true, force: true})
})

test('the demo runs without any network connection and writes its SQL file', (t) => {
  t.is(run.code, 0, run.stdout + run.stderr)
  t.false((run.stdout + run.stderr).includes('opened a network connection'))
  t.regex(run.stdout, /Wrote SQL file .*out\/magento2\.sql/)
  t.deepEqual(readdirSync(join(folder, 'out')), ['magento2.sql'])
})

test('the demo passes its integrity check with no error', (t) => {
  t.false(run.stdout.includes('[ERROR]') || run.stderr.includes('[ERROR]'), run.stderr)
  t.regex(run.stdout, /Migration completed/)
})

test('the SQL file loads into an empty database without a single warning', (t) => {
  t.is(loadOutput, '')
})

/** Documents of the demo's dump and the tables they become (map.xml's renames). */
const RENAMES: Record<string, string> = {core_website: 'store_website', core_store_group: 'store_group', core_store: 'store', sales_flat_order: 'sales_order', sales_flat_order_item: 'sales_order_item', sales_flat_order_payment: 'sales_order_payment'}

test('every table of the dump arrives with as many rows as its file has lines', async (t) => {
  const files = readdirSync(fixturePath('demo', 'm1')).filter((name) => name.endsWith('.ndjson'))
  t.is(files.length, 16)
  for (const file of files) {
    const document = file.replace(/\.ndjson$/, '')
    const lines = readFileSync(fixturePath('demo', 'm1', file), 'utf8').split('\n').filter((line) => line.trim() !== '').length
    const [{n}] = await database.query<{n: number}>(`SELECT COUNT(*) AS n FROM \`${RENAMES[document] ?? document}\``)
    t.is(Number(n), lines, document)
  }
})

test('CMS widgets name Magento 2 classes, templates lose their module folder, and widgets with no Magento 2 class are removed', async (t) => {
  const [home] = await database.query<{content: string}>("SELECT content FROM cms_page WHERE identifier = 'home'")
  t.true(home.content.includes('{{widget type="Magento\\\\Cms\\\\Block\\\\Widget\\\\Block" template="widget/static_block/default.phtml" block_id="2"}}'), home.content)
  t.true(home.content.includes('type="Magento\\\\Catalog\\\\Block\\\\Product\\\\Widget\\\\NewWidget"'))
  const [promotions] = await database.query<{content: string}>("SELECT content FROM cms_block WHERE identifier = 'promotions'")
  t.false(promotions.content.includes('acme_promo'), 'the acme_promo/widget_banner widget is not in the class map, so it goes')
  t.true(promotions.content.includes('{{block type="Magento\\\\Cms\\\\Block\\\\Block" block_id="footer_links"}}'))
  const [plain] = await database.query<{content: string}>("SELECT content FROM cms_block WHERE identifier = 'plain_text'")
  t.is(plain.content, 'Free shipping on orders over €50 — no code needed.')
})

test('page layouts get their Magento 2 names: root_template moves to page_layout through Convert', async (t) => {
  const rows = await database.query<{identifier: string; page_layout: string | null; custom_root_template: string | null; custom_theme: string | null}>('SELECT identifier, page_layout, custom_root_template, custom_theme FROM cms_page ORDER BY page_id')
  t.deepEqual(rows.map((row) => [row.identifier, row.page_layout]), [
    ['no-route', '2columns-right'], ['home', '1column'], ['about-us', '2columns-left'], ['customer-service', '3columns'],
    ['enable-cookies', '1column'], ['summer-sale', 'empty'], ['datenschutz', '2columns-right'],
  ])
  t.deepEqual(rows.map((row) => row.custom_root_template), [null, null, null, null, null, '2columns-right', null])
  t.true(rows.every((row) => row.custom_theme === null))
})

test('order items: serialized product_options become JSON, and the options serialized again inside become JSON text', async (t) => {
  const items = await database.query<{item_id: number; product_options: string; weee_tax_applied: string}>('SELECT item_id, product_options, weee_tax_applied FROM sales_order_item ORDER BY item_id')
  t.true(items.every((item) => item.weee_tax_applied === '[]'))
  const options = new Map(items.map((item) => [item.item_id, JSON.parse(item.product_options) as Record<string, any>]))
  t.deepEqual(options.get(1)!.info_buyRequest.super_attribute, {92: '21'})
  t.deepEqual(options.get(1)!.attributes_info, [{label: 'Color', value: 'Red'}])
  t.deepEqual(JSON.parse(options.get(7)!.bundle_selection_attributes as string), {price: 4.25, qty: 1, option_label: 'Notebook', option_id: '1'})
  const file = options.get(9)!.options[0]
  t.is(file.option_type, 'file')
  t.like(JSON.parse(file.option_value as string), {title: 'our-cat.png', width: 800, height: 1200})
})

test('payments: PayPal methods get their Magento 2 names, additional_information becomes JSON, the card digits move to cc_last_4', async (t) => {
  const rows = await database.query<{entity_id: number; method: string; cc_last_4: string | null; additional_information: string | null}>('SELECT entity_id, method, cc_last_4, additional_information FROM sales_order_payment ORDER BY entity_id')
  t.deepEqual(rows.map((row) => row.method), ['checkmo', 'paypal_express', 'checkmo', 'ccsave', 'free', 'payflowpro', 'banktransfer', 'checkmo'])
  t.deepEqual(rows.map((row) => row.cc_last_4), [null, null, null, '1111', null, '4444', null, null])
  t.deepEqual(JSON.parse(rows[1].additional_information!), {paypal_payer_id: 'HQ7ZLT4MC9Z8Q', paypal_payer_email: 'alan.turing@example.com', paypal_payer_status: 'verified', paypal_address_status: 'confirmed', paypal_protection_eligibility: 'Eligible'})
  t.is(rows[4].additional_information, '[]')
  t.is(JSON.parse(rows[6].additional_information!).instructions, 'Virement à: FR76 3000 6000 0112 3456 7890 189')
})

test('EAV attribute models become Magento 2 classes through the class map; aliases mapped to nothing become NULL', async (t) => {
  const rows = await database.query<{attribute_code: string; backend_model: string | null; source_model: string | null}>("SELECT attribute_code, backend_model, source_model FROM eav_attribute WHERE attribute_code IN ('sku', 'status', 'url_key', 'material') ORDER BY attribute_code")
  t.deepEqual(rows.map((row) => [row.attribute_code, row.backend_model, row.source_model]), [
    ['material', 'Magento\\Eav\\Model\\Entity\\Attribute\\Backend\\ArrayBackend', 'Magento\\Eav\\Model\\Entity\\Attribute\\Source\\Table'],
    ['sku', 'Magento\\Catalog\\Model\\Product\\Attribute\\Backend\\Sku', null],
    ['status', null, 'Magento\\Catalog\\Model\\Product\\Attribute\\Source\\Status'],
    ['url_key', null, null],
  ])
})

test('text keeps every character: accents, apostrophes and the newlines of a store name', async (t) => {
  const rows = await database.query<{value: string}>('SELECT value FROM customer_entity_varchar WHERE entity_id IN (8, 9, 10) ORDER BY value_id')
  t.deepEqual(rows.map((row) => row.value), ['Henri', 'Poincaré', 'Zoë', 'O\'Hara', 'Kurt', 'Gödel'])
  const [order] = await database.query<{store_name: string; discount_tax_compensation_amount: string}>('SELECT store_name, discount_tax_compensation_amount FROM sales_order WHERE entity_id = 3')
  t.is(order.store_name, 'Main Website\nMain Store\nFrançais')
  t.is(order.discount_tax_compensation_amount, '1.6600', 'hidden_tax_amount moved')
})
