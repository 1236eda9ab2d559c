import {readFileSync} from 'node:fs'
import {mkdtemp, rm, utimes, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import test from 'ava'
import type {ExecutionContext} from 'ava'
import {MigrationError} from '../../src/errors.js'
import {cachedClassMap, readClassMap} from '../../src/config/class-map-reader.js'
import {referencePath} from '../helpers/db.js'

const REAL_CLASS_MAP = referencePath('magento-dmt', 'etc', 'opensource-to-opensource', 'class-map.xml.dist')

async function tempFile(t: ExecutionContext, text: string, name = 'class-map.xml'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'm2m-class-map-'))
  t.teardown(() => rm(dir, {recursive: true, force: true}))
  const file = path.join(dir, name)
  await writeFile(file, text)
  return file
}

const classMapText = (...renames: string[]) => `<?xml version="1.0"?>\n<classmap>\n${renames.map((body) => `    <rename>${body}</rename>\n`).join('')}</classmap>\n`

async function invalid(t: ExecutionContext, text: string): Promise<MigrationError> {
  const file = await tempFile(t, text)
  const error = await t.throwsAsync(readClassMap(file), {instanceOf: MigrationError})
  t.true(error.message.startsWith(`${file}:`), error.message)
  return error
}

// ---- the real class-map.xml.dist, against an independent reading by regular expressions ----

/** [from, to] pairs in file order, read from the text with regular expressions. */
function renamesByRegex(text: string): [string, string][] {
  const body = text.replace(/<!--[\s\S]*?-->/g, '')
  return [...body.matchAll(/<rename>\s*<from>([^<]*)<\/from>\s*(?:<to\s*\/>|<to>([^<]*)<\/to>)\s*<\/rename>/g)].map((match) => [match[1], match[2] ?? ''])
}

test('the real class-map.xml.dist parses into every rename it holds, repeated aliases counted once', async (t) => {
  const pairs = renamesByRegex(readFileSync(REAL_CLASS_MAP, 'utf8'))
  const classMap = await readClassMap(REAL_CLASS_MAP)

  t.is(pairs.length, 127)
  t.is(classMap.entries.size, new Set(pairs.map(([from]) => from)).size)
  for (const [from, to] of pairs) t.is(classMap.entries.get(from), to === '' ? null : to, from)
})

test('the real class map turns Magento 1 aliases into Magento 2 classes', async (t) => {
  const classMap = await readClassMap(REAL_CLASS_MAP)

  t.is(classMap.convertClassName('cms/widget_page_link'), 'Magento\\Cms\\Block\\Widget\\Page\\Link')
  t.is(classMap.convertClassName('eav/entity_attribute_source_table'), 'Magento\\Eav\\Model\\Entity\\Attribute\\Source\\Table')
  t.true(classMap.hasMap('catalog/product_attribute_backend_sku'))
})

test('an alias mapped to nothing (<to /> or <to></to>) is known, and converts to null', async (t) => {
  const classMap = await readClassMap(REAL_CLASS_MAP)

  // <to /> in the file:
  t.true(classMap.hasMap('catalog/product_attribute_backend_msrp'))
  t.is(classMap.convertClassName('catalog/product_attribute_backend_msrp'), null)
  // <to></to> in the file:
  t.true(classMap.hasMap('sales_entity/order_attribute_backend_child'))
  t.is(classMap.convertClassName('sales_entity/order_attribute_backend_child'), null)
})

test('an alias the map does not name is not known, and converts to the empty string', async (t) => {
  const classMap = await readClassMap(REAL_CLASS_MAP)

  t.false(classMap.hasMap('core/template'))
  t.is(classMap.convertClassName('core/template'), '')
})

test('only text names a class: NULL and numbers are never known', async (t) => {
  const classMap = await readClassMap(REAL_CLASS_MAP)

  t.false(classMap.hasMap(null))
  t.is(classMap.convertClassName(null), '')
  t.is(classMap.convertClassName(5), '')
  t.is(classMap.convertClassName(Buffer.from('cms/widget_block')), 'Magento\\Cms\\Block\\Widget\\Block')
})

// ---- reading rules ----

test('a repeated alias keeps its first place in the order and takes its last class', async (t) => {
  const file = await tempFile(t, classMapText(
    '<from>sales/order_payment</from><to>Old\\Payment</to>',
    '<from>sales/quote</from><to>Magento\\Quote\\Model\\Quote</to>',
    '<from>sales/order_payment</from><to>Magento\\Sales\\Model\\Order\\Payment</to>',
  ))
  const classMap = await readClassMap(file)

  t.deepEqual([...classMap.entries.keys()], ['sales/order_payment', 'sales/quote'])
  t.is(classMap.convertClassName('sales/order_payment'), 'Magento\\Sales\\Model\\Order\\Payment')
})

test('<to> may come before <from>: the XSD makes them an unordered pair', async (t) => {
  const file = await tempFile(t, classMapText('<to>Magento\\Cms\\Block\\Widget\\Block</to><from>cms/widget_block</from>'))

  t.is((await readClassMap(file)).convertClassName('cms/widget_block'), 'Magento\\Cms\\Block\\Widget\\Block')
})

test('class names are taken exactly as written, as the DMT compares them', async (t) => {
  const file = await tempFile(t, classMapText('<from> cms/widget_block</from><to>Magento\\Cms\\Block\\Widget\\Block</to>'))
  const classMap = await readClassMap(file)

  t.false(classMap.hasMap('cms/widget_block'))
  t.true(classMap.hasMap(' cms/widget_block'))
})

test('comments are skipped', async (t) => {
  const file = await tempFile(t, classMapText('<!-- the CMS page link --><from>cms/widget_page_link</from><to>Magento\\Cms\\Block\\Widget\\Page\\Link</to>'))

  t.is((await readClassMap(file)).entries.size, 1)
})

// ---- errors, each at file:line:column ----

test('a root other than <classmap> is refused at its place', async (t) => {
  const error = await invalid(t, '<?xml version="1.0"?>\n<map>\n</map>\n')

  t.is(error.code, 'MAP_INVALID')
  t.regex(error.message, /:2:1: <map>: the root element must be <classmap>/)
})

test('an element other than <rename> inside <classmap> is refused at its place', async (t) => {
  const error = await invalid(t, '<classmap>\n  <rename><from>a/b</from><to>A\\B</to></rename>\n  <move><from>a/c</from><to>A\\C</to></move>\n</classmap>')

  t.is(error.code, 'MAP_INVALID')
  t.regex(error.message, /:3:3: <move>: not allowed inside <classmap>/)
})

test('a <rename> without <to> is refused, naming the <rename>', async (t) => {
  const error = await invalid(t, '<classmap>\n  <rename><from>cms/widget_block</from></rename>\n</classmap>')

  t.regex(error.message, /:2:3: <rename>: must hold a <to>/)
})

test('a <rename> without <from> is refused', async (t) => {
  const error = await invalid(t, '<classmap>\n  <rename><to>Magento\\Cms\\Block\\Widget\\Block</to></rename>\n</classmap>')

  t.regex(error.message, /:2:3: <rename>: must hold a <from>/)
})

test('a second <from> in one <rename> is refused at the second one', async (t) => {
  const error = await invalid(t, '<classmap>\n  <rename>\n    <from>a/b</from>\n    <from>a/c</from>\n    <to>A\\B</to>\n  </rename>\n</classmap>')

  t.regex(error.message, /:4:5: <from>: a second <from> in one <rename>/)
})

test('an empty <from> is refused: the XSD wants at least one character', async (t) => {
  const error = await invalid(t, '<classmap>\n  <rename><from></from><to>A\\B</to></rename>\n</classmap>')

  t.regex(error.message, /:2:11: <from>: must not be empty/)
})

test('an element inside <from> or <to> is refused', async (t) => {
  const error = await invalid(t, '<classmap>\n  <rename><from>a/b</from><to><class>A\\B</class></to></rename>\n</classmap>')

  t.regex(error.message, /:2:31: <class>: not allowed inside <to>/)
})

test('text directly inside <classmap> or <rename> is refused', async (t) => {
  const error = await invalid(t, '<classmap>\n  <rename>cms/widget_block<from>a/b</from><to>A\\B</to></rename>\n</classmap>')

  t.regex(error.message, /:2:3: <rename>: text "cms\/widget_block" is not allowed here/)
})

test('a <classmap> without any <rename> is refused', async (t) => {
  const error = await invalid(t, '<classmap>\n</classmap>\n')

  t.regex(error.message, /:1:1: <classmap>: must hold at least one <rename>/)
})

test('XML that is not well formed fails with its place', async (t) => {
  const file = await tempFile(t, '<classmap>\n  <rename><from>a/b</from><to>A\\B</to></rename>\n</classmap\n')
  const error = await t.throwsAsync(readClassMap(file), {instanceOf: MigrationError})

  t.is(error.code, 'XML_MALFORMED')
  t.true(error.message.startsWith(`${file}:`), error.message)
})

test('a missing file fails naming it', async (t) => {
  const file = path.join(os.tmpdir(), 'm2m-no-such-dir', 'class-map.xml')
  const error = await t.throwsAsync(readClassMap(file), {instanceOf: MigrationError})

  t.is(error.code, 'MAP_FILE')
  t.true(error.message.startsWith(`${file}: the file does not exist`), error.message)
})

// ---- one parse per run ----

test('the cached class map is parsed once per file: every caller gets the same map', async (t) => {
  const file = await tempFile(t, classMapText('<from>cms/widget_block</from><to>Magento\\Cms\\Block\\Widget\\Block</to>'))

  const [first, second] = await Promise.all([cachedClassMap(file), cachedClassMap(file)])

  t.is(first, second)
  t.is(await cachedClassMap(file), first)
})

test('the cached class map is read again once the file changes', async (t) => {
  const file = await tempFile(t, classMapText('<from>cms/widget_block</from><to>Magento\\Cms\\Block\\Widget\\Block</to>'))
  const before = await cachedClassMap(file)

  await writeFile(file, classMapText('<from>cms/widget_block</from><to>Vendor\\Widget\\Block</to>'))
  // Set a later change time explicitly: two writes can fall in one tick of the file system's clock.
  const later = new Date(Date.now() + 5000)
  await utimes(file, later, later)
  const after = await cachedClassMap(file)

  t.not(after, before)
  t.is(after.convertClassName('cms/widget_block'), 'Vendor\\Widget\\Block')
})

test('a class map that failed to read is not cached: the same file, fixed, is read again', async (t) => {
  // The fixed text has the length and change time of the broken one, so only a cached failure could tell them apart.
  const broken = classMapText('<from>cms/widget_block</from><tx>Magento</tx>')
  const fixed = classMapText('<from>cms/widget_block</from><to>Magento</to>')
  t.is(broken.length, fixed.length)
  const file = await tempFile(t, broken)
  const moment = new Date('2024-05-01T10:00:00Z')
  await utimes(file, moment, moment)
  await t.throwsAsync(cachedClassMap(file), {instanceOf: MigrationError})

  await writeFile(file, fixed)
  await utimes(file, moment, moment)

  t.is((await cachedClassMap(file)).convertClassName('cms/widget_block'), 'Magento')
})
