import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import test from 'ava'
import type {ExecutionContext} from 'ava'
import {MigrationError} from '../../src/errors.js'
import {childrenNamed, locate, parseXml, readXmlFile, textOf} from '../../src/config/xml-document.js'
import type {XmlElement} from '../../src/config/xml-document.js'

async function tempFile(t: ExecutionContext, name: string, text: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'm2m-xml-'))
  t.teardown(() => rm(dir, {recursive: true, force: true}))
  const file = path.join(dir, name)
  await writeFile(file, text)
  return file
}

/** The 1-based line and column of the first `<name` in the lines, found by plain text search. */
function positionOf(lines: string[], startTag: string): {line: number; column: number} {
  const index = lines.findIndex((line) => line.includes(startTag))
  if (index === -1) throw new Error(`test bug: ${startTag} is not in the text`)
  return {line: index + 1, column: lines[index].indexOf(startTag) + 1}
}

function malformed(t: ExecutionContext, run: () => unknown): MigrationError {
  const error = t.throws(run, {instanceOf: MigrationError})
  t.is(error.code, 'XML_MALFORMED')
  return error
}

const NESTED = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<!-- a comment before the root -->',
  '<map>',
  '    <source>',
  '        <document_rules>',
  '            <ignore><document>a</document></ignore>',
  '            <rename',
  '                id="multi-line start tag">',
  '                <document>b</document>',
  '            </rename>',
  '        </document_rules>',
  '    </source>',
  '</map>',
]

test('every element records the line and column of its start tag, however deeply nested', (t) => {
  const root = parseXml(NESTED.join('\n'), 'nested.xml')
  const rules = root.children[0].children[0]
  const ignore = rules.children[0]
  const document = ignore.children[0]
  const rename = rules.children[1]
  const checks: [XmlElement, string][] = [
    [root, '<map>'], [root.children[0], '<source>'], [rules, '<document_rules>'],
    [ignore, '<ignore>'], [document, '<document>a'], [rename, '<rename'], [rename.children[0], '<document>b'],
  ]
  for (const [element, startTag] of checks) {
    t.deepEqual({line: element.line, column: element.column}, positionOf(NESTED, startTag), startTag)
  }
})

test('a start tag spread over several lines is located at its first line, not where it closes', (t) => {
  const rename = parseXml(NESTED.join('\n'), 'nested.xml').children[0].children[0].children[1]
  t.is(rename.name, 'rename')
  t.is(rename.line, 7)
  t.is(rename.attributes.id, 'multi-line start tag')
})

test('locate() gives file:line:column of an element', (t) => {
  const root = parseXml('\n\n  <config/>', '/some/where/config.xml')
  t.is(locate(root), '/some/where/config.xml:3:3')
})

test('positions stay right with CRLF line ends and a UTF-8 byte order mark', (t) => {
  const root = parseXml('\uFEFF<a>\r\n  <b/>\r\n   <c/>\r\n</a>', 'crlf.xml')
  t.deepEqual([root.line, root.column], [1, 1])
  t.deepEqual(root.children.map((child) => [child.name, child.line, child.column]), [['b', 2, 3], ['c', 3, 4]])
})

test('text keeps its whitespace, textOf trims it, CDATA counts as text and entities are decoded', (t) => {
  const root = parseXml('<o><a>  x &amp; y  </a><b><![CDATA[ <raw> ]]></b><c/></o>', 'text.xml')
  const [a, b, c] = root.children
  t.is(a.text, '  x & y  ')
  t.is(textOf(a), 'x & y')
  t.is(b.text, ' <raw> ')
  t.is(textOf(c), '')
})

test('childrenNamed keeps only the named children, in file order', (t) => {
  const root = parseXml('<o><p n="1"/><q/><p n="2"/></o>', 'children.xml')
  t.deepEqual(childrenNamed(root, 'p').map((child) => child.attributes.n), ['1', '2'])
})

test('a mismatched close tag fails with XML_MALFORMED at file:line of the broken line', async (t) => {
  const lines = ['<config>', '  <options>', '    <bulk_size>0</bulk_size>', '    <log_file>x.log</log_fil>', '  </options>', '</config>']
  const file = await tempFile(t, 'config.xml', lines.join('\n'))
  const error = await t.throwsAsync(readXmlFile(file), {instanceOf: MigrationError})
  t.is(error.code, 'XML_MALFORMED')
  t.true(error.message.startsWith(`${file}:4:`), error.message)
  t.is(error.context.file, file)
  t.is(error.context.line, 4)
})

test('an unquoted attribute value is reported at the exact column of the value', (t) => {
  const lines = ['<config>', '  <source>', '    <database host=localhost name="m1" user="root"/>', '  </source>', '</config>']
  const error = malformed(t, () => parseXml(lines.join('\n'), 'bad.xml'))
  const column = lines[2].indexOf('localhost') + 1
  t.true(error.message.startsWith(`bad.xml:3:${column}: `), error.message)
  t.deepEqual([error.context.line, error.context.column], [3, column])
})

test('an unclosed element is reported and not silently accepted', (t) => {
  const error = malformed(t, () => parseXml('<map>\n  <source>\n</map>\n', 'unclosed.xml'))
  t.true(error.message.startsWith('unclosed.xml:3:'), error.message)
})

test('only the first syntax error is reported', (t) => {
  const error = malformed(t, () => parseXml('<a>\n  <b x=1/>\n  <c y=2/>\n</a>', 'two.xml'))
  t.true(error.message.startsWith('two.xml:2:'), error.message)
})

test('a second root element is not well formed and is reported where it starts', (t) => {
  const error = malformed(t, () => parseXml('<map></map>\n\n  <map></map>\n', 'roots.xml'))
  t.true(error.message.startsWith('roots.xml:3:3: '), error.message)
})

test('a file without any element fails with XML_MALFORMED', (t) => {
  const error = malformed(t, () => parseXml('<?xml version="1.0"?>\n<!-- nothing -->\n', 'empty.xml'))
  t.true(error.message.startsWith('empty.xml:'), error.message)
})

test('a missing file fails with CONFIG_FILE naming the file', async (t) => {
  const file = path.join(os.tmpdir(), `m2m-no-such-${process.pid}`, 'config.xml')
  const error = await t.throwsAsync(readXmlFile(file), {instanceOf: MigrationError})
  t.is(error.code, 'CONFIG_FILE')
  t.true(error.message.startsWith(file), error.message)
  t.regex(error.message, /does not exist/)
  t.is(error.context.file, file)
})

test('a missing map file fails with MAP_FILE naming the file', async (t) => {
  const file = path.join(os.tmpdir(), `m2m-no-such-${process.pid}`, 'map.xml')
  const error = await t.throwsAsync(readXmlFile(file, 'MAP_FILE'), {instanceOf: MigrationError})
  t.is(error.code, 'MAP_FILE')
  t.true(error.message.startsWith(file), error.message)
})
