import {readFileSync} from 'node:fs'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import test, {type ExecutionContext} from 'ava'
import type {Handler, HandlerSetup, Value} from '../../transforms/handler.js'
import {MigrationError} from '../../src/errors.js'
import {placeholder} from '../../transforms/placeholder.js'
import {referencePath} from '../helpers/db.js'
import {recordView as record} from '../helpers/record-view.js'

const REAL_CLASS_MAP = referencePath('magento-dmt', 'etc', 'opensource-to-opensource', 'class-map.xml.dist')
const SAMPLE_DUMP = referencePath('dumps', 'magento1-ce-1.6.1.0-sample.sql')

// ---- the M1 1.6.1.0 sample's CMS content, read from its dump ----

const ESCAPES: Readonly<Record<string, string>> = {n: '\n', r: '\r', t: '\t', '0': '\0', Z: '\x1a'}

/** The rows of the dump's `insert into <table>` statement: strings unescaped, numbers as text, NULL as null. */
function dumpRows(table: string): (string | null)[][] {
  const text = readFileSync(SAMPLE_DUMP, 'utf8')
  const start = text.indexOf(`insert  into \`${table}\``)
  if (start === -1) throw new Error(`test bug: no insert into ${table} in the dump`)
  let at = text.indexOf(' values ', start) + ' values '.length
  const rows: (string | null)[][] = []
  let row: (string | null)[] = []
  for (; text[at] !== ';'; at++) {
    const char = text[at]
    if (char === '(') row = []
    else if (char === ')') rows.push(row)
    else if (char === '\'') {
      let value = ''
      for (at++; text[at] !== '\''; at++) {
        if (text[at] === '\\') value += ESCAPES[text[++at]] ?? text[at]
        else value += text[at]
      }
      row.push(value)
    } else if (char !== ',') {
      const bare = /^[^,)]+/.exec(text.slice(at))![0]
      row.push(bare === 'NULL' ? null : bare)
      at += bare.length - 1
    }
  }
  return rows
}

/** page_id → content of the sample's cms_page rows (content is the 8th column). */
const PAGES = new Map(dumpRows('cms_page').map((row) => [Number(row[0]), row[7]]))
/** identifier → content of the sample's cms_block rows. */
const BLOCKS = new Map(dumpRows('cms_block').map((row) => [row[2], row[3]]))

// ---- the handler ----

function setup(classMapFile = REAL_CLASS_MAP): HandlerSetup {
  return {
    className: '\\Migration\\Handler\\Placeholder',
    document: 'cms_page',
    field: 'content',
    side: 'source',
    params: {},
    mapFile: '/maps/map.xml',
    at: '/maps/map.xml:2062:17',
    warn: () => undefined,
    resolveOptionFile: () => classMapFile,
  }
}

async function process(content: Value, classMapFile?: string): Promise<Value> {
  const handler: Handler = await placeholder.create(setup(classMapFile))
  const row = record('cms_page', {page_id: 5, identifier: 'home', content})
  handler.handle(row, record('cms_page', {}))
  return row.values.content
}

test('the sample dump is read as the test expects: six pages, three blocks, the home page\'s directive', (t) => {
  t.is(PAGES.size, 6)
  t.deepEqual([...BLOCKS.keys()], ['electronics-landing', 'cellphones-landing', 'footer_links'])
  t.is(PAGES.get(5), '<!-- this homepage can be used for modern theme  -->\r\n{{block type="core/template" template="sample/home.phtml"}}')
})

test('the sample\'s modern home page: the block\'s template loses its module folder', async (t) => {
  // core/template is no alias of the class map, so the type stays; {{block}}s are never removed.
  t.is(await process(PAGES.get(5)!), '<!-- this homepage can be used for modern theme  -->\r\n{{block type="core/template" template="home.phtml"}}')
})

test('the sample\'s home page: only the popular tags block changes, all else (\\r\\n, {{store}}, {{skin}}) is kept', async (t) => {
  const content = PAGES.get(2)!
  t.true(content.includes('{{block type="tag/popular" template="tag/popular.phtml"}}\r\n'))

  t.is(await process(content), content.replace('template="tag/popular.phtml"', 'template="popular.phtml"'))
})

test('the sample\'s pages and blocks without {{widget}} or {{block}} are kept as they are', async (t) => {
  for (const id of [1, 3, 4, 6]) t.is(await process(PAGES.get(id)!), PAGES.get(id)!, `page ${id}`)
  for (const [identifier, content] of BLOCKS) t.is(await process(content), content, `block ${identifier}`)
})

test('a widget alias becomes its Magento 2 class, backslashes doubled as directives write them', async (t) => {
  const content = '<p>{{widget type="cms/widget_page_link" anchor_text="About Us" template="cms/widget/link/link_block.phtml" page_id="3"}}</p>'

  t.is(await process(content), '<p>{{widget type="Magento\\\\Cms\\\\Block\\\\Widget\\\\Page\\\\Link" anchor_text="About Us" template="widget/link/link_block.phtml" page_id="3"}}</p>')
})

test('a product widget: its type converted, its template path cut at its first folder only', async (t) => {
  const content = '{{widget type="catalog/product_widget_new" display_type="new_products" products_count="5" template="catalog/product/widget/new/content/new_grid.phtml"}}'

  t.is(await process(content), '{{widget type="Magento\\\\Catalog\\\\Block\\\\Product\\\\Widget\\\\NewWidget" display_type="new_products" products_count="5" template="product/widget/new/content/new_grid.phtml"}}')
})

test('a widget whose alias the class map does not name is removed, the text around it kept', async (t) => {
  const content = '<div class="banner">{{widget type="enterprise_banner/widget_banner" display_mode="fixed" banner_ids="1" unique_id="3f1a"}}</div>\r\n<p>Welcome</p>'

  t.is(await process(content), '<div class="banner"></div>\r\n<p>Welcome</p>')
})

test('a {{block}} whose alias the class map does not name is kept', async (t) => {
  t.is(await process('{{block type="tag/popular"}}'), '{{block type="tag/popular"}}')
})

test('two directives on one line are both rewritten', async (t) => {
  const content = '{{widget type="cms/widget_block" template="cms/widget/static_block/default.phtml" block_id="5"}} | {{block type="core/template" template="sample/home.phtml"}}'

  t.is(await process(content), '{{widget type="Magento\\\\Cms\\\\Block\\\\Widget\\\\Block" template="widget/static_block/default.phtml" block_id="5"}} | {{block type="core/template" template="home.phtml"}}')
})

test('an alias mapped to nothing leaves an empty type, and the widget stays', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'm2m-placeholder-'))
  t.teardown(() => rm(dir, {recursive: true, force: true}))
  const file = path.join(dir, 'class-map.xml')
  await writeFile(file, '<classmap><rename><from>reports/product_widget_viewed</from><to/></rename></classmap>')

  t.is(await process('{{widget type="reports/product_widget_viewed" page_size="5"}}', file), '{{widget type="" page_size="5"}}')
})

test('a directive spread over lines is no directive, and the content is kept', async (t) => {
  const content = '{{widget type="cms/widget_page_link"\ntemplate="cms/widget/link/link_block.phtml" page_id="3"}}'

  t.is(await process(content), content)
})

test('a lone \\r does not end a line, as in the DMT\'s regular expressions', async (t) => {
  t.is(await process('{{block type="core/template"\rtemplate="sample/home.phtml"}}'), '{{block type="core/template"\rtemplate="home.phtml"}}')
})

test('an email template\'s single-quoted block is not rewritten: the DMT matches double quotes only', async (t) => {
  // Magento 1's stock shipment email.
  const content = '{{block type=\'core/template\' area=\'frontend\' template=\'email/order/shipment/track.phtml\' shipment=$shipment order=$order}}'

  t.is(await process(content), content)
})

test('NULL stays NULL; bytes are rewritten and every other byte kept', async (t) => {
  t.is(await process(null), null)
  const bytes = Buffer.concat([Buffer.from([0xe9, 0x0d, 0x0a]), Buffer.from('{{block type="core/template" template="sample/home.phtml"}}')])
  t.deepEqual(await process(bytes), Buffer.concat([Buffer.from([0xe9, 0x0d, 0x0a]), Buffer.from('{{block type="core/template" template="home.phtml"}}')]))
})

test('a missing field fails with "<field> field not found in the record."', async (t) => {
  const handler: Handler = await placeholder.create(setup())

  t.throws(() => handler.handle(record('cms_page', {page_id: 5}), record('cms_page', {})), {message: 'content field not found in the record.'})
})

test('without a config to name the class map, the handler fails when created', async (t) => {
  const error = await t.throwsAsync(async () => placeholder.create({...setup(), resolveOptionFile: undefined}), {instanceOf: MigrationError})

  t.true(error.message.includes('<class_map>'), error.message)
})
