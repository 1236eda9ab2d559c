import {readFile} from 'node:fs/promises'
import sax from 'sax'
import {MigrationError} from '../errors.js'

/**
 * A small, read-only element tree built with sax. The DMT's XML files are a few hundred KB at
 * most, so a tree is the simplest faithful reading; every element keeps the file, line and column
 * where it starts, so any later rule check can point the operator at the exact place.
 */
export interface XmlElement {
  readonly name: string
  readonly attributes: Readonly<Record<string, string>>
  readonly children: readonly XmlElement[]
  /** Concatenated text directly inside this element (not its children), whitespace kept. */
  readonly text: string
  readonly file: string
  /** 1-based line of the start tag's `<`. */
  readonly line: number
  /** 1-based column of the start tag's `<`. */
  readonly column: number
}

interface MutableElement {
  name: string
  attributes: Record<string, string>
  children: MutableElement[]
  text: string
  file: string
  line: number
  column: number
}

/** Where an element starts, as `file:line:column`. */
export function locate(element: Pick<XmlElement, 'file' | 'line' | 'column'>): string {
  return `${element.file}:${element.line}:${element.column}`
}

export async function readXmlFile(file: string, code: 'CONFIG_FILE' | 'MAP_FILE' = 'CONFIG_FILE'): Promise<XmlElement> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(error as Error).message})`
    throw new MigrationError(code, `${file}: the file ${reason}`, {file}, 'Check the path; relative paths are resolved against the config file\'s folder and its parents.')
  }
  return parseXml(text, file)
}

/**
 * Maps a character offset of the text to a 1-based line and column. sax only tells where a tag
 * *ends*, so start positions are computed from the offset of the tag's `<` instead.
 */
function lineLocator(text: string): (offset: number) => {line: number; column: number} {
  const lineStarts = [0]
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) lineStarts.push(index + 1)
  return (offset) => {
    let low = 0
    let high = lineStarts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if (lineStarts[middle] <= offset) low = middle
      else high = middle - 1
    }
    return {line: low + 1, column: offset - lineStarts[low] + 1}
  }
}

/** Parses XML text; a document that is not well formed fails with file:line:column. */
export function parseXml(text: string, file: string): XmlElement {
  // A UTF-8 byte order mark is not content; dropping it keeps the columns of line 1 right.
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text
  const locateOffset = lineLocator(source)
  const parser = sax.parser(true, {position: true, trim: false})
  const stack: MutableElement[] = []
  let root: MutableElement | undefined
  let failure: MigrationError | undefined

  const fail = (line: number, column: number, reason: string) => {
    failure ??= new MigrationError('XML_MALFORMED', `${file}:${line}:${column}: XML is not well formed: ${reason}`, {file, line, column}, 'Fix the XML syntax at that place and run again.')
  }
  parser.onerror = (error) => {
    // sax has just consumed the offending character: its line is 0-based, its column 1-based.
    fail(parser.line + 1, Math.max(parser.column, 1), error.message.split('\n')[0])
    parser.error = null as unknown as Error
  }
  parser.onopentag = (tag) => {
    const attributes: Record<string, string> = {}
    for (const [name, value] of Object.entries(tag.attributes)) attributes[name] = String(value)
    // startTagPosition counts the `<` itself, so the `<` sits at that offset minus one.
    const {line, column} = locateOffset(parser.startTagPosition - 1)
    const element: MutableElement = {name: tag.name, attributes, children: [], text: '', file, line, column}
    const parent = stack.at(-1)
    if (parent) parent.children.push(element)
    else if (root) fail(line, column, `a second root element <${tag.name}> follows <${root.name}>; a document has exactly one`)
    else root = element
    stack.push(element)
  }
  parser.onclosetag = () => {
    stack.pop()
  }
  const onText = (value: string) => {
    const current = stack.at(-1)
    if (current) current.text += value
  }
  parser.ontext = onText
  parser.oncdata = onText

  parser.write(source).close()
  if (failure) throw failure
  if (!root) throw new MigrationError('XML_MALFORMED', `${file}:1:1: XML is not well formed: no root element`, {file, line: 1, column: 1})
  return root
}

/** Child elements with the given name. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name)
}

/** The trimmed text of an element. */
export function textOf(element: XmlElement): string {
  return element.text.trim()
}
