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
  readonly line: number
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

/** Parses XML text; a document that is not well formed fails with file:line:column. */
export function parseXml(text: string, file: string): XmlElement {
  const parser = sax.parser(true, {position: true, trim: false})
  const stack: MutableElement[] = []
  let root: MutableElement | undefined
  let failure: MigrationError | undefined

  parser.onerror = (error) => {
    if (!failure) {
      const reason = error.message.split('\n')[0]
      failure = new MigrationError('XML_MALFORMED', `${file}:${parser.line + 1}:${parser.column + 1}: XML is not well formed: ${reason}`, {file, line: parser.line + 1, column: parser.column + 1}, 'Fix the XML syntax at that place and run again.')
    }
    parser.error = null as unknown as Error
  }
  parser.onopentag = (tag) => {
    const attributes: Record<string, string> = {}
    for (const [name, value] of Object.entries(tag.attributes)) attributes[name] = String(value)
    // sax reports the position after the tag; the start line is close enough to find the element.
    const element: MutableElement = {name: tag.name, attributes, children: [], text: '', file, line: parser.line + 1, column: parser.column + 1}
    const parent = stack.at(-1)
    if (parent) parent.children.push(element)
    else if (!root) root = element
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

  parser.write(text).close()
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
