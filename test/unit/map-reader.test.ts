import {readdirSync, readFileSync} from 'node:fs'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import test from 'ava'
import type {ExecutionContext} from 'ava'
import {MigrationError} from '../../src/errors.js'
import {readMap} from '../../src/config/map-reader.js'
import {referencePath} from '../helpers/db.js'

const EDITION = referencePath('magento-dmt', 'etc', 'opensource-to-opensource')

/**
 * The map.xsd files of the reference tree: map.xml.dist of every version and the map-*.xml.dist
 * shared and per-version maps. map-document-groups.xml.dist is a groups.xsd file despite its name.
 */
function realMapFiles(): string[] {
  const isMap = (name: string) => name === 'map.xml.dist' || (name.startsWith('map-') && name.endsWith('.xml.dist') && !name.includes('groups'))
  const files: string[] = []
  for (const entry of readdirSync(EDITION, {withFileTypes: true})) {
    if (entry.isDirectory()) {
      for (const name of readdirSync(path.join(EDITION, entry.name))) if (isMap(name)) files.push(path.join(EDITION, entry.name, name))
    } else if (isMap(entry.name)) {
      files.push(path.join(EDITION, entry.name))
    }
  }
  return files.sort()
}

// ---- an independent reading of 1.9.4.5 map.xml.dist, by regular expressions over the text ----

interface Side {
  documentIgnores: string[]
  renames: [string, string][]
  fieldIgnores: string[]
  datatypeIgnores: string[]
  moves: [string, string][]
  /** [document.field, handler class, params as name=value] in file order. */
  transforms: [string, string, string[]][]
}

function sideOf(text: string, side: 'source' | 'destination'): Side {
  const body = new RegExp(`<${side}>([\\s\\S]*?)</${side}>`).exec(text.replace(/<!--[\s\S]*?-->/g, ''))![1]
  const all = (pattern: RegExp) => [...body.matchAll(pattern)]
  return {
    documentIgnores: all(/<ignore>\s*<document>([^<]*)<\/document>\s*<\/ignore>/g).map((match) => match[1]),
    renames: all(/<rename>\s*<document>([^<]*)<\/document>\s*<to>([^<]*)<\/to>\s*<\/rename>/g).map((match) => [match[1], match[2]]),
    fieldIgnores: all(/<ignore>\s*<field>([^<]*)<\/field>\s*<\/ignore>/g).map((match) => match[1]),
    datatypeIgnores: all(/<ignore>\s*<datatype>([^<]*)<\/datatype>\s*<\/ignore>/g).map((match) => match[1]),
    moves: all(/<move>\s*<field>([^<]*)<\/field>\s*<to>([^<]*)<\/to>\s*<\/move>/g).map((match) => [match[1], match[2]]),
    transforms: all(/<transform>\s*<field>([^<]*)<\/field>\s*<handler class="([^"]*)"\s*(?:\/>|>([\s\S]*?)<\/handler>)\s*<\/transform>/g).map((match) => [
      match[1],
      match[2],
      [...(match[3] ?? '').matchAll(/<param name="([^"]*)" value="([^"]*)"\s*\/>/g)].map((param) => `${param[1]}=${param[2]}`),
    ]),
  }
}

const MAP_1945 = path.join(EDITION, '1.9.4.5', 'map.xml.dist')
const TEXT_1945 = readFileSync(MAP_1945, 'utf8')
const SOURCE_1945 = sideOf(TEXT_1945, 'source')
const DESTINATION_1945 = sideOf(TEXT_1945, 'destination')
const split = (ref: string) => [ref.slice(0, ref.indexOf('.')), ref.slice(ref.indexOf('.') + 1)] as const
const decode = (value: string) => value.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&apos;/g, '\'').replace(/&amp;/g, '&')

// ---- the real maps ----

test('every real DMT map.xsd file parses: map.xml.dist of each version and the map-*.xml.dist maps', async (t) => {
  const files = realMapFiles()
  t.is(files.filter((file) => file.endsWith(`${path.sep}map.xml.dist`)).length, 33)
  t.true(files.some((file) => file.endsWith('map-eav.xml.dist')))
  t.false(files.some((file) => file.includes('groups')))
  for (const file of files) {
    const rules = await readMap(file)
    t.is(rules.file, file)
  }
})

test('1.9.4.5 source side: the 162 document ignores (7 wildcards) NOTES.md counts are all honoured', async (t) => {
  const rules = await readMap(MAP_1945)
  const wildcards = SOURCE_1945.documentIgnores.filter((name) => name.includes('*'))
  t.is(SOURCE_1945.documentIgnores.length, 162)
  t.is(wildcards.length, 7)
  for (const name of SOURCE_1945.documentIgnores) {
    const example = name.replaceAll('*', 'zz')
    t.true(rules.isDocumentIgnored(example, 'source'), example)
    t.false(rules.isDocumentIgnored(`x${example}`, 'source'), `x${example}`)
  }
})

test('1.9.4.5 source side: the 35 renames map forward, and backward unless the destination ignores the target', async (t) => {
  const rules = await readMap(MAP_1945)
  t.is(SOURCE_1945.renames.length, 35)
  for (const [from, to] of SOURCE_1945.renames) {
    t.is(rules.getDocumentMap(from, 'source'), to)
    const ignoredThere = DESTINATION_1945.documentIgnores.includes(to)
    t.is(rules.getDocumentMap(to, 'destination'), ignoredThere ? false : from, to)
  }
})

test('1.9.4.5 source side: the 112 field ignores NOTES.md counts are 91 <field> and 21 <datatype> ignores', async (t) => {
  const rules = await readMap(MAP_1945)
  t.is(SOURCE_1945.fieldIgnores.length, 91)
  t.is(SOURCE_1945.datatypeIgnores.length, 21)
  for (const ref of SOURCE_1945.fieldIgnores) {
    t.true(rules.isFieldIgnored(...split(ref), 'source'), ref)
    t.false(rules.isFieldIgnored(...split(ref), 'destination'), ref)
  }
  for (const ref of SOURCE_1945.datatypeIgnores) {
    t.true(rules.isFieldDataTypeIgnored(...split(ref), 'source'), ref)
    t.is(rules.getFieldMap(...split(ref), 'source'), split(ref)[1], ref)
  }
})

test('1.9.4.5 source side: the 38 moves map forward on the source and backward on the destination', async (t) => {
  const rules = await readMap(MAP_1945)
  t.is(SOURCE_1945.moves.length, 38)
  for (const [from, to] of SOURCE_1945.moves) {
    t.is(rules.getFieldMap(...split(from), 'source'), split(to)[1], from)
    t.is(rules.getFieldMap(...split(to), 'destination'), split(from)[1], to)
  }
})

test('1.9.4.5 both sides: the 51 source and 19 destination transforms, classes as written and params in file order', async (t) => {
  const rules = await readMap(MAP_1945)
  t.is(SOURCE_1945.transforms.length, 51)
  t.is(DESTINATION_1945.transforms.length, 19)
  for (const [side, expected] of [['source', SOURCE_1945.transforms], ['destination', DESTINATION_1945.transforms]] as const) {
    t.is(rules.allHandlerConfigs(side).length, expected.length, side)
    const byField = new Map<string, string[]>()
    for (const [ref, className, params] of expected) byField.set(ref, [...(byField.get(ref) ?? []), `${className}(${params.map(decode).join(',')})`])
    for (const [ref, handlers] of byField) {
      const actual = rules.getHandlerConfigs(...split(ref), side).map((handler) => `${handler.className}(${Object.entries(handler.params).map(([name, value]) => `${name}=${value}`).join(',')})`)
      t.deepEqual(actual, handlers, `${side} ${ref}`)
    }
  }
})

test('1.9.4.5 destination side: the 212 document ignores and the 81 field ignores (59 <field>, 22 <datatype>)', async (t) => {
  const rules = await readMap(MAP_1945)
  t.is(DESTINATION_1945.documentIgnores.length, 212)
  t.is(DESTINATION_1945.fieldIgnores.length + DESTINATION_1945.datatypeIgnores.length, 81)
  t.is(DESTINATION_1945.fieldIgnores.length, 59)
  for (const name of DESTINATION_1945.documentIgnores) t.true(rules.isDocumentIgnored(name.replaceAll('*', 'zz'), 'destination'), name)
  for (const ref of DESTINATION_1945.fieldIgnores) t.false(rules.getFieldMap(...split(ref), 'destination'), ref)
  for (const ref of DESTINATION_1945.datatypeIgnores) t.true(rules.isFieldDataTypeIgnored(...split(ref), 'destination'), ref)
})

test('1.9.4.5: renamed source documents are not ignored, so ignores do not over-reach', async (t) => {
  const rules = await readMap(MAP_1945)
  for (const [from] of SOURCE_1945.renames) t.false(rules.isDocumentIgnored(from, 'source'), from)
})

test('1.9.4.5: handler classes are kept as written, with or without the leading backslash', async (t) => {
  const rules = await readMap(MAP_1945)
  const classes = new Set(rules.allHandlerConfigs('source').map((handler) => handler.className))
  t.true(classes.has('\\Migration\\Handler\\SetValue'))
  t.true(classes.has('Migration\\Handler\\SerializeToJson'), 'the DMT map writes this one without the backslash')
})

// ---- maps of our own ----

async function writeMap(t: ExecutionContext, lines: string[]): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'm2m-map-'))
  t.teardown(() => rm(dir, {recursive: true, force: true}))
  const file = path.join(dir, 'map.xml')
  await writeFile(file, lines.join('\n'))
  return file
}

const VALID = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<map>',
  '    <source>',
  '        <document_rules>',
  '            <ignore><document>log_*</document></ignore>',
  '            <rename><document>sales_flat_order</document><to>sales_order</to></rename>',
  '        </document_rules>',
  '        <field_rules>',
  '            <ignore><field>sales_flat_order.old</field></ignore>',
  '            <move><field>cms_page.root_template</field><to>cms_page.page_layout</to></move>',
  '            <transform>',
  '                <field>sales_flat_order.status</field>',
  '                <handler class="\\Migration\\Handler\\Convert">',
  '                    <param name="map" value="[a:b;c:d]" />',
  '                    <param name="defaultValue" value="x" />',
  '                </handler>',
  '            </transform>',
  '        </field_rules>',
  '    </source>',
  '    <destination>',
  '        <document_rules>',
  '            <ignore><document>session</document></ignore>',
  '        </document_rules>',
  '        <field_rules>',
  '            <ignore><datatype>sales_order.total</datatype></ignore>',
  '            <transform>',
  '                <field>sales_order.state</field>',
  '                <handler class="Migration\\Handler\\SetValue"><param name="value" value="new" /></handler>',
  '            </transform>',
  '        </field_rules>',
  '    </destination>',
  '</map>',
]

/** VALID with the line holding `find` replaced by `replacement` lines. */
function edited(find: string, ...replacement: string[]): string[] {
  const index = VALID.findIndex((line) => line.includes(find))
  if (index === -1) throw new Error(`test bug: ${find} is not in VALID`)
  return [...VALID.slice(0, index), ...replacement, ...VALID.slice(index + 1)]
}

/** Expects MAP_INVALID at the first `marker` of the text, with the element's name in the message. */
async function rejectsAt(t: ExecutionContext, lines: string[], marker: string, element: string, mentions?: RegExp): Promise<void> {
  const file = await writeMap(t, lines)
  const index = lines.findIndex((line) => line.includes(marker))
  if (index === -1) throw new Error(`test bug: ${marker} is not in the map`)
  const at = `${file}:${index + 1}:${lines[index].indexOf(marker) + 1}`
  const error = await t.throwsAsync(readMap(file), {instanceOf: MigrationError})
  t.is(error.code, 'MAP_INVALID')
  t.true(error.message.startsWith(`${at}: <${element}>`), `${error.message} should start with ${at}: <${element}>`)
  t.deepEqual([error.context.file, error.context.line], [file, index + 1])
  if (mentions) t.regex(error.message, mentions)
}

test('a valid map of our own reads back every rule', async (t) => {
  const rules = await readMap(await writeMap(t, VALID))
  t.true(rules.isDocumentIgnored('log_visitor', 'source'))
  t.is(rules.getDocumentMap('sales_flat_order', 'source'), 'sales_order')
  t.false(rules.getFieldMap('sales_flat_order', 'old', 'source'))
  t.is(rules.getFieldMap('cms_page', 'root_template', 'source'), 'page_layout')
  t.true(rules.isDocumentIgnored('session', 'destination'))
  t.true(rules.isFieldDataTypeIgnored('sales_order', 'total', 'destination'))
  t.is(rules.getHandlerConfigs('sales_order', 'state', 'destination')[0].params.value, 'new')
})

test('a handler config carries class, params by name in file order, its field, side and location', async (t) => {
  const file = await writeMap(t, VALID)
  const [handler] = (await readMap(file)).getHandlerConfigs('sales_flat_order', 'status', 'source')
  t.is(handler.className, '\\Migration\\Handler\\Convert')
  t.deepEqual(Object.entries(handler.params), [['map', '[a:b;c:d]'], ['defaultValue', 'x']])
  t.deepEqual([handler.document, handler.field, handler.side], ['sales_flat_order', 'status', 'source'])
  t.is(handler.at, `${file}:13:17`)
})

test('a handler with no params gets an empty params object', async (t) => {
  const lines = edited('class="Migration\\Handler\\SetValue"', '                <handler class="\\Migration\\Handler\\GetEventStatus" />')
  const [handler] = (await readMap(await writeMap(t, lines))).getHandlerConfigs('sales_order', 'state', 'destination')
  t.is(handler.className, '\\Migration\\Handler\\GetEventStatus')
  t.deepEqual(handler.params, {})
})

test('a handler class may be a path to a .js module of the operator\'s own', async (t) => {
  for (const className of ['./x.js', '../handlers/y.mjs', '/opt/handlers/z.cjs']) {
    const lines = edited('class="Migration\\Handler\\SetValue"', `                <handler class="${className}" />`)
    const [handler] = (await readMap(await writeMap(t, lines))).getHandlerConfigs('sales_order', 'state', 'destination')
    t.is(handler.className, className)
  }
})

test('a missing map file fails with MAP_FILE naming the file', async (t) => {
  const file = path.join(os.tmpdir(), `m2m-no-such-${process.pid}`, 'map.xml')
  const error = await t.throwsAsync(readMap(file), {instanceOf: MigrationError})
  t.is(error.code, 'MAP_FILE')
  t.true(error.message.startsWith(file), error.message)
})

test('a map that is not well formed fails with XML_MALFORMED at the broken line', async (t) => {
  const file = await writeMap(t, edited('<ignore><field>sales_flat_order.old', '            <ignore><field>sales_flat_order.old</fields></ignore>'))
  const error = await t.throwsAsync(readMap(file), {instanceOf: MigrationError})
  t.is(error.code, 'XML_MALFORMED')
  t.true(error.message.startsWith(`${file}:9:`), error.message)
})

// ---- schema violations: MAP_INVALID at the element, naming it ----

test('an unknown element is rejected at that element', async (t) => {
  await rejectsAt(t, edited('<move>', '            <copy><field>a.b</field><to>a.c</to></copy>'), '<copy>', 'copy', /not allowed inside <field_rules>/)
})

test('a root other than <map> is rejected', async (t) => {
  const lines = VALID.map((line) => line.replace('<map>', '<maps>').replace('</map>', '</maps>'))
  await rejectsAt(t, lines, '<maps>', 'maps')
})

test('<rename> in the destination document rules is rejected', async (t) => {
  await rejectsAt(t, edited('<document>session</document>', '            <rename><document>a</document><to>b</to></rename>'), '<rename><document>a<', 'rename', /<document_rules>/)
})

test('<move> in the destination field rules is rejected', async (t) => {
  await rejectsAt(t, edited('<datatype>sales_order.total', '            <move><field>a.b</field><to>a.c</to></move>'), '<move><field>a.b', 'move', /<field_rules>/)
})

test('a field without a dot is rejected at that <field>', async (t) => {
  await rejectsAt(t, edited('<ignore><field>sales_flat_order.old', '            <ignore><field>sales_flat_order_old</field></ignore>'), '<field>', 'field', /sales_flat_order_old/)
})

test('a field with two dots is rejected at that <field>', async (t) => {
  await rejectsAt(t, edited('<ignore><field>sales_flat_order.old', '            <ignore><field>db.sales.old</field></ignore>'), '<field>', 'field')
})

test('a move target without a dot is rejected at that <to>', async (t) => {
  await rejectsAt(t, edited('<move>', '            <move><field>cms_page.root_template</field><to>page_layout</to></move>'), '<to>page_layout', 'to')
})

test('an empty document is rejected at that <document>', async (t) => {
  await rejectsAt(t, edited('<document>log_*</document>', '            <ignore><document>  </document></ignore>'), '<document>', 'document', /empty/)
})

test('an ignore without its <document> is rejected at that <ignore>', async (t) => {
  await rejectsAt(t, edited('<document>log_*</document>', '            <ignore/>'), '<ignore/>', 'ignore')
})

test('a param name given twice in one handler is rejected at the second param', async (t) => {
  await rejectsAt(t, edited('name="defaultValue"', '                    <param name="map" value="[e:f]" />'), '<param name="map" value="[e:f]"', 'param', /"map"/)
})

test('a param without a value is rejected at that param', async (t) => {
  await rejectsAt(t, edited('name="defaultValue"', '                    <param name="defaultValue" />'), '<param name="defaultValue"', 'param', /value/)
})

test('a handler class with illegal characters is rejected at that handler', async (t) => {
  await rejectsAt(t, edited('class="\\Migration\\Handler\\Convert"', '                <handler class="Migration::Handler::Convert">'), '<handler', 'handler', /Migration::Handler::Convert/)
})

test('a handler without a class is rejected at that handler', async (t) => {
  await rejectsAt(t, edited('class="\\Migration\\Handler\\Convert"', '                <handler>'), '<handler', 'handler', /class/)
})

test('a transform with two handlers is rejected at that transform', async (t) => {
  const lines = edited('<field>sales_flat_order.status</field>', '                <field>sales_flat_order.status</field>', '                <handler class="\\Migration\\Handler\\SetValue" />')
  await rejectsAt(t, lines, '<transform>', 'transform', /<handler>/)
})

test('document_rules after field_rules is rejected at the late document_rules', async (t) => {
  const lines = [...VALID.slice(0, 18), '        <document_rules>', '            <ignore><document>late</document></ignore>', '        </document_rules>', ...VALID.slice(18)]
  t.is(lines[17].trim(), '</field_rules>', 'test bug: the insert must follow </field_rules> of <source>')
  const file = await writeMap(t, lines)
  const error = await t.throwsAsync(readMap(file), {instanceOf: MigrationError})
  t.is(error.code, 'MAP_INVALID')
  t.true(error.message.startsWith(`${file}:19:9: <document_rules>`), error.message)
})

test('a map without <destination> is rejected at <map>', async (t) => {
  await rejectsAt(t, VALID.slice(0, 19).concat(['</map>']), '<map>', 'map', /<destination>/)
})
