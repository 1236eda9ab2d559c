import {stat} from 'node:fs/promises'
import {resolve} from 'node:path'
import {MigrationError} from '../errors.js'
import type {Value} from '../pipeline/row.js'
import {locate, readXmlFile, type XmlElement} from './xml-document.js'

/**
 * The class map (the config option `class_map`, grammar etc/class-map.xsd): Magento 1 class
 * aliases such as `cms/widget_page_link` and the Magento 2 class each becomes. An empty `<to>`
 * means the class has no Magento 2 counterpart: the alias is known, but maps to nothing.
 */
export interface ClassMap {
  readonly file: string
  /** From → to (null for an empty `<to>`), in file order; a repeated `<from>` keeps its first place and its last `<to>`. */
  readonly entries: ReadonlyMap<string, string | null>
  /** Whether the map names this class, also when it maps it to nothing. */
  hasMap(className: Value): boolean
  /** The Magento 2 class; null when the map names the class but maps it to nothing; '' when the map does not name it. */
  convertClassName(className: Value): string | null
}

const HINT = 'The class map must follow the Data Migration Tool\'s etc/class-map.xsd: <classmap> holding <rename> elements, each with one <from> and one <to>.'

function invalid(element: XmlElement, message: string): MigrationError {
  return new MigrationError('MAP_INVALID', `${locate(element)}: <${element.name}>: ${message}`, {file: element.file, line: element.line, column: element.column}, HINT)
}

/** The XSD gives <classmap> and <rename> element-only content: stray text is an error. */
function noText(element: XmlElement): void {
  if (element.text.trim() !== '') throw invalid(element, `text ${JSON.stringify(element.text.trim())} is not allowed here; only elements`)
}

/** The text of a simple-content element (`<from>`, `<to>`); the XSD allows no child elements. */
function simpleText(element: XmlElement): string {
  if (element.children.length > 0) throw invalid(element.children[0], `not allowed inside <${element.name}>, which holds a class name as text`)
  return element.text
}

function exactlyOne(rename: XmlElement, name: 'from' | 'to'): XmlElement {
  const found = rename.children.filter((child) => child.name === name)
  if (found.length === 0) throw invalid(rename, `must hold a <${name}>`)
  if (found.length > 1) throw invalid(found[1], `a second <${name}> in one <rename>; each holds exactly one`)
  return found[0]
}

/** The text as given: the DMT compares class names byte for byte, so nothing is trimmed. */
function readRename(rename: XmlElement): [string, string | null] {
  noText(rename)
  for (const child of rename.children) {
    if (child.name !== 'from' && child.name !== 'to') throw invalid(child, 'not allowed inside <rename>; expected <from> and <to>')
  }
  const fromElement = exactlyOne(rename, 'from')
  const from = simpleText(fromElement)
  if (from === '') throw invalid(fromElement, 'must not be empty')
  const to = simpleText(exactlyOne(rename, 'to'))
  // Like the DMT, an empty <to> (and "0", which PHP reads as false) maps to nothing.
  return [from, to === '' || to === '0' ? null : to]
}

function lookupKey(className: Value): string | undefined {
  if (typeof className === 'string') return className
  if (Buffer.isBuffer(className)) return className.toString('utf8')
  return undefined
}

/** Builds the ClassMap of a parsed class-map.xml; errors name file:line:column and the element. */
export function classMapFromXml(root: XmlElement): ClassMap {
  if (root.name !== 'classmap') throw invalid(root, 'the root element must be <classmap>')
  noText(root)
  if (root.children.length === 0) throw invalid(root, 'must hold at least one <rename>')
  const entries = new Map<string, string | null>()
  for (const child of root.children) {
    if (child.name !== 'rename') throw invalid(child, 'not allowed inside <classmap>; expected <rename>')
    const [from, to] = readRename(child)
    // The DMT skips a <from> of "0" (PHP reads it as false); no class is named 0.
    if (from !== '0') entries.set(from, to)
  }
  return Object.freeze({
    file: root.file,
    entries,
    hasMap(className: Value) {
      const key = lookupKey(className)
      return key !== undefined && entries.has(key)
    },
    convertClassName(className: Value) {
      const key = lookupKey(className)
      return key !== undefined && entries.has(key) ? entries.get(key)! : ''
    },
  })
}

/** Reads a class-map.xml file. */
export async function readClassMap(file: string): Promise<ClassMap> {
  return classMapFromXml(await readXmlFile(resolve(file), 'MAP_FILE'))
}

/**
 * One parse per file for all the handlers of a run. The key includes the file's size and change
 * time, so a process that runs several migrations (tests do) never sees a stale map.
 */
const parsed = new Map<string, Promise<ClassMap>>()

export async function cachedClassMap(file: string): Promise<ClassMap> {
  const absolute = resolve(file)
  let version = 'missing'
  try {
    const stats = await stat(absolute)
    version = `${stats.size}:${stats.mtimeMs}`
  } catch {
    // readXmlFile reports the missing or unreadable file in its own words.
  }
  const key = `${absolute}\0${version}`
  let classMap = parsed.get(key)
  if (!classMap) {
    classMap = readClassMap(absolute)
    parsed.set(key, classMap)
    // A failed read is not kept: the next handler (after a fix) reads the file again.
    classMap.catch(() => parsed.delete(key))
  }
  return classMap
}
