import {resolve} from 'node:path'
import {MigrationError} from '../errors.js'
import {type HandlerConfig, MapRules, type Side, type SideRules} from './map-rules.js'
import {locate, readXmlFile, textOf, type XmlElement} from './xml-document.js'

const FIELD_FORMAT = /^[^.]+\.[^.]+$/
/** map.xsd's handler class pattern, plus module paths for the operator's own handlers. */
const HANDLER_CLASS = /^[0-9a-zA-Z_\\]+$/
const HANDLER_MODULE = /^(\.{1,2}\/|\/).+\.(m?js|cjs)$/

function invalid(element: XmlElement, message: string): MigrationError {
  return new MigrationError('MAP_INVALID', `${locate(element)}: <${element.name}>: ${message}`, {file: element.file, line: element.line, column: element.column}, 'The map must follow the Data Migration Tool\'s etc/map.xsd.')
}

function only(element: XmlElement, allowed: readonly string[]): void {
  for (const child of element.children) {
    if (!allowed.includes(child.name)) {
      throw invalid(child, `not allowed inside <${element.name}>; expected ${allowed.map((name) => `<${name}>`).join(' or ')}`)
    }
  }
}

/** The text of the single child `name` (a sequence element of the XSD). */
function single(element: XmlElement, name: string): XmlElement {
  const found = element.children.filter((child) => child.name === name)
  if (found.length !== 1) throw invalid(element, `must hold exactly one <${name}>`)
  return found[0]
}

function nonEmpty(element: XmlElement): string {
  const value = textOf(element)
  if (value === '') throw invalid(element, 'must not be empty')
  return value
}

function fieldRef(element: XmlElement): string {
  const value = textOf(element)
  if (!FIELD_FORMAT.test(value)) throw invalid(element, `"${value}" is not of the form document.field`)
  return value
}

interface MutableSide {
  ignoredDocuments: Set<string>
  documentWildcards: string[]
  ignoredFields: Set<string>
  ignoredDatatypes: Set<string>
  transforms: Map<string, HandlerConfig[]>
}

function emptySide(): MutableSide {
  return {ignoredDocuments: new Set(), documentWildcards: [], ignoredFields: new Set(), ignoredDatatypes: new Set(), transforms: new Map()}
}

function readHandler(transform: XmlElement, side: Side): HandlerConfig {
  only(transform, ['field', 'handler'])
  const ref = fieldRef(single(transform, 'field'))
  const handler = single(transform, 'handler')
  const className = handler.attributes.class
  if (!className) throw invalid(handler, 'needs a class attribute')
  if (!HANDLER_CLASS.test(className) && !HANDLER_MODULE.test(className)) {
    throw invalid(handler, `class "${className}" is neither a handler class name nor a path to a .js module`)
  }
  only(handler, ['param'])
  const params: Record<string, string> = {}
  for (const param of handler.children) {
    const {name, value} = param.attributes
    if (name === undefined || value === undefined) throw invalid(param, 'needs both name and value attributes')
    if (Object.hasOwn(params, name)) throw invalid(param, `param "${name}" is given twice`)
    params[name] = value
  }
  const dot = ref.indexOf('.')
  return Object.freeze({className, params: Object.freeze(params), document: ref.slice(0, dot), field: ref.slice(dot + 1), side, at: locate(handler)})
}

function readSide(element: XmlElement, side: Side, renames: [string, string][], moves: [string, string][]): SideRules {
  const rules = emptySide()
  only(element, ['document_rules', 'field_rules'])
  let seenFieldRules = false
  for (const group of element.children) {
    if (group.name === 'document_rules') {
      if (seenFieldRules) throw invalid(group, 'must come before <field_rules>')
      only(group, side === 'source' ? ['ignore', 'rename'] : ['ignore'])
      for (const rule of group.children) {
        if (rule.name === 'ignore') {
          only(rule, ['document'])
          const name = nonEmpty(single(rule, 'document'))
          if (name.includes('*')) rules.documentWildcards.push(name)
          else rules.ignoredDocuments.add(name)
        } else {
          only(rule, ['document', 'to'])
          renames.push([nonEmpty(single(rule, 'document')), nonEmpty(single(rule, 'to'))])
        }
      }
    } else {
      seenFieldRules = true
      only(group, side === 'source' ? ['ignore', 'move', 'transform'] : ['ignore', 'transform'])
      for (const rule of group.children) {
        if (rule.name === 'ignore') {
          only(rule, ['field', 'datatype'])
          if (rule.children.length !== 1) throw invalid(rule, 'must hold exactly one <field> or <datatype>')
          const target = rule.children[0]
          ;(target.name === 'field' ? rules.ignoredFields : rules.ignoredDatatypes).add(fieldRef(target))
        } else if (rule.name === 'move') {
          only(rule, ['field', 'to'])
          moves.push([fieldRef(single(rule, 'field')), fieldRef(single(rule, 'to'))])
        } else {
          const handler = readHandler(rule, side)
          const key = `${handler.document}.${handler.field}`
          rules.transforms.set(key, [...(rules.transforms.get(key) ?? []), handler])
        }
      }
    }
  }
  return rules
}

/** Reads a map.xml (map.xsd grammar) into MapRules; errors name file:line:column and the element. */
export async function readMap(file: string): Promise<MapRules> {
  const absolute = resolve(file)
  const root = await readXmlFile(absolute, 'MAP_FILE')
  return mapRulesFromXml(root)
}

export function mapRulesFromXml(root: XmlElement): MapRules {
  if (root.name !== 'map') throw invalid(root, 'the root element must be <map>')
  only(root, ['source', 'destination'])
  const source = root.children.filter((child) => child.name === 'source')
  const destination = root.children.filter((child) => child.name === 'destination')
  if (source.length !== 1 || destination.length !== 1) throw invalid(root, 'must hold exactly one <source> and one <destination>')
  const renames: [string, string][] = []
  const moves: [string, string][] = []
  return new MapRules({
    file: root.file,
    source: readSide(source[0], 'source', renames, moves),
    destination: readSide(destination[0], 'destination', renames, moves),
    renames,
    moves,
  })
}
