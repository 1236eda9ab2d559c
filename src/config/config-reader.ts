import {join, resolve} from 'node:path'
import {MigrationError} from '../errors.js'
import {
  type DatabaseConfig,
  type DestinationConfig,
  type DumpResourceConfig,
  type MigrationConfig,
  type ResourceConfig,
  type SourceConfig,
  type SqlFileResourceConfig,
  type StageConfig,
  type StageKind,
  type StepConfig,
  STAGE_KINDS,
} from './migration-config.js'
import {resolveAgainstConfig, resolveNearConfig} from './path-resolver.js'
import {childrenNamed, locate, readXmlFile, textOf, type XmlElement} from './xml-document.js'

const STAGE_CLASS = /^[a-zA-Z][a-zA-Z0-9_\\]+$/
const WHOLE_NUMBER = /^\d+$/
const SIGNED_WHOLE_NUMBER = /^-?\d+$/

function invalid(element: XmlElement, message: string, hint?: string): MigrationError {
  return new MigrationError('CONFIG_INVALID', `${locate(element)}: ${message}`, {file: element.file, line: element.line, column: element.column}, hint ?? 'config.xml must follow the Data Migration Tool\'s etc/config.xsd.')
}

function readStages(step: XmlElement): StageConfig[] {
  const stages: StageConfig[] = []
  for (const child of step.children) {
    if (!STAGE_KINDS.includes(child.name as StageKind)) {
      throw invalid(child, `element <${child.name}> is not allowed in <step>; expected one of ${STAGE_KINDS.join(', ')}`)
    }
    const className = textOf(child)
    if (!STAGE_CLASS.test(className)) throw invalid(child, `<${child.name}> must name a stage class, got "${className}"`)
    stages.push(Object.freeze({kind: child.name as StageKind, className, at: locate(child)}))
  }
  return stages
}

function readSteps(element: XmlElement): [string, StepConfig[]] {
  const mode = element.attributes.mode
  if (!mode) throw invalid(element, '<steps> needs a mode attribute (settings, data or delta)')
  const steps: StepConfig[] = []
  for (const child of element.children) {
    if (child.name !== 'step') throw invalid(child, `element <${child.name}> is not allowed in <steps>; expected <step>`)
    const title = child.attributes.title
    if (!title) throw invalid(child, '<step> needs a title attribute')
    steps.push(Object.freeze({title, stages: Object.freeze(readStages(child)), at: locate(child)}))
  }
  return [mode, steps]
}

function readDatabase(element: XmlElement): DatabaseConfig {
  const attr = element.attributes
  for (const required of ['host', 'name', 'user']) {
    if (attr[required] === undefined) throw invalid(element, `<database> needs the ${required} attribute`)
  }
  let port = 3306
  if (attr.port !== undefined && attr.port.trim() !== '') {
    // Digits only: Number() alone would also take "0x10" or "1e3" as a port.
    port = WHOLE_NUMBER.test(attr.port.trim()) ? Number(attr.port) : Number.NaN
    if (!Number.isInteger(port) || port <= 0 || port > 65_535) throw invalid(element, `<database port="${attr.port}"> is not a TCP port (1-65535)`)
  }
  return Object.freeze({
    host: attr.host,
    port,
    name: attr.name,
    user: attr.user,
    password: attr.password ?? '',
    sslCa: attr.ssl_ca,
    sslCert: attr.ssl_cert,
    sslKey: attr.ssl_key,
  })
}

/** The elements each side may hold, one of them: the DMT's `<database>`, or our file kinds. */
const SIDE_KINDS = {source: ['database', 'dump'], destination: ['database', 'dump', 'sql_file']} as const

function readResource(element: XmlElement, options: Record<string, string>, side: 'source', configFile: string): SourceConfig
function readResource(element: XmlElement, options: Record<string, string>, side: 'destination', configFile: string): DestinationConfig
function readResource(element: XmlElement, options: Record<string, string>, side: 'source' | 'destination', configFile: string): ResourceConfig {
  const allowed: readonly string[] = SIDE_KINDS[side]
  const expected = allowed.map((name) => `<${name}>`).join(' or ')
  const other = element.children.find((child) => !allowed.includes(child.name))
  if (other) throw invalid(other, `element <${other.name}> is not allowed in <${side}>; expected ${expected}`)
  if (element.children.length !== 1) throw invalid(element, `<${side}> must hold exactly one element: ${expected}`)
  const child = element.children[0]
  const prefixOption = side === 'source' ? 'source_prefix' : 'dest_prefix'
  const prefix = options[prefixOption] ?? ''
  if (child.name === 'dump') return readDump(child, side, prefix, configFile)
  if (child.name === 'sql_file') return readSqlFile(child, prefix, configFile)
  const initOption = side === 'source' ? 'init_statements_source' : 'init_statements_destination'
  return Object.freeze({
    kind: 'database' as const,
    database: readDatabase(child),
    initStatements: Object.freeze(splitStatements(options[initOption] ?? '')),
    prefix,
  })
}

/** Fails on an attribute the element does not take (a typo would otherwise be ignored silently). */
function checkAttributes(element: XmlElement, known: readonly string[], required: readonly string[]): void {
  for (const name of Object.keys(element.attributes)) {
    if (!known.includes(name)) throw invalid(element, `<${element.name}> has no attribute ${name}; it takes ${known.join(', ')}`, 'See "Dumps and files" in the README.')
  }
  for (const name of required) {
    if ((element.attributes[name] ?? '').trim() === '') throw invalid(element, `<${element.name}> needs the ${name} attribute`, 'See "Dumps and files" in the README.')
  }
}

/** The schema file a dump source has when its element names none. */
export const DEFAULT_DUMP_SCHEMA = 'schema.json'

function readDump(element: XmlElement, side: 'source' | 'destination', prefix: string, configFile: string): DumpResourceConfig {
  // A source dump carries its own schema file; a destination dump is written from one the operator gives.
  checkAttributes(element, ['path', 'schema'], side === 'source' ? ['path'] : ['path', 'schema'])
  const folder = resolveAgainstConfig(element.attributes.path.trim(), configFile)
  const schema = element.attributes.schema?.trim()
  return Object.freeze({
    kind: 'dump' as const,
    folder,
    schemaFile: schema ? resolveAgainstConfig(schema, configFile) : join(folder, DEFAULT_DUMP_SCHEMA),
    prefix,
    at: locate(element),
  })
}

function readSqlFile(element: XmlElement, prefix: string, configFile: string): SqlFileResourceConfig {
  checkAttributes(element, ['path', 'schema', 'create_tables'], ['path', 'schema'])
  const create = (element.attributes.create_tables ?? '0').trim()
  if (!['0', '1', ''].includes(create)) throw invalid(element, `<sql_file create_tables="${create}"> must be 0 or 1`)
  return Object.freeze({
    kind: 'sql_file' as const,
    file: resolveAgainstConfig(element.attributes.path.trim(), configFile),
    schemaFile: resolveAgainstConfig(element.attributes.schema.trim(), configFile),
    createTables: create === '1',
    prefix,
    at: locate(element),
  })
}

/** `init_statements_*` are split on `;`, blanks dropped. */
export function splitStatements(text: string): string[] {
  return text.split(';').map((statement) => statement.trim()).filter((statement) => statement !== '')
}

function readOptions(element: XmlElement): Record<string, string> {
  const options: Record<string, string> = {}
  for (const child of element.children) {
    if (child.children.length > 0) throw invalid(child, `option <${child.name}> must hold text only`)
    options[child.name] = textOf(child)
  }
  const bulk = options.bulk_size
  if (bulk !== undefined && bulk !== '' && !SIGNED_WHOLE_NUMBER.test(bulk)) {
    // The last <bulk_size> is the one that counts, so point at that one.
    const at = childrenNamed(element, 'bulk_size').at(-1)!
    throw invalid(at, `<bulk_size> must be a whole number (0 = chosen automatically), got "${bulk}"`)
  }
  return options
}

/** Reads and checks config.xml. Fails with file:line:column for anything off the DMT's schema. */
export async function readConfig(file: string): Promise<MigrationConfig> {
  const absolute = resolve(file)
  const root = await readXmlFile(absolute, 'CONFIG_FILE')
  if (root.name !== 'config') throw invalid(root, `the root element must be <config>, found <${root.name}>`)
  const modes = new Map<string, StepConfig[]>()
  let sourceElement: XmlElement | undefined
  let destinationElement: XmlElement | undefined
  let optionsElement: XmlElement | undefined
  for (const child of root.children) {
    switch (child.name) {
      case 'steps': {
        const [mode, steps] = readSteps(child)
        modes.set(mode, [...(modes.get(mode) ?? []), ...steps])
        break
      }
      case 'source': sourceElement = child; break
      case 'destination': destinationElement = child; break
      case 'options': optionsElement = child; break
      default: throw invalid(child, `element <${child.name}> is not allowed in <config>`)
    }
  }
  if (!sourceElement) throw invalid(root, '<config> has no <source> element')
  if (!destinationElement) throw invalid(root, '<config> has no <destination> element')
  if (!optionsElement) throw invalid(root, '<config> has no <options> element')
  const options = readOptions(optionsElement)
  return Object.freeze({
    file: absolute,
    modes,
    source: readResource(sourceElement, options, 'source', absolute),
    destination: readResource(destinationElement, options, 'destination', absolute),
    options: Object.freeze(options),
  })
}

/** An option that names a file, resolved as the DMT would find it; fails naming the option. */
export function resolveOptionFile(config: MigrationConfig, option: string): string {
  const value = config.options[option]
  if (value === undefined || value === '') {
    throw new MigrationError('CONFIG_INVALID', `${config.file}: option <${option}> is not set`, {file: config.file}, `Add <${option}> to <options> in config.xml.`)
  }
  const {path, candidates} = resolveNearConfig(value, config.file)
  if (!path) {
    throw new MigrationError('CONFIG_FILE', `${config.file}: <${option}> names ${value}, which does not exist (tried ${candidates.join(', ')})`, {file: config.file}, 'Fix the path in config.xml.')
  }
  return path
}

/** A whole-number option with its default. */
export function intOption(config: MigrationConfig, option: string, fallback: number): number {
  const value = config.options[option]
  if (value === undefined || value.trim() === '') return fallback
  const parsed = SIGNED_WHOLE_NUMBER.test(value.trim()) ? Number(value) : Number.NaN
  if (!Number.isSafeInteger(parsed)) throw new MigrationError('CONFIG_INVALID', `${config.file}: option <${option}> must be a whole number, got "${value}"`, {file: config.file})
  return parsed
}

/** A 0/1 option. */
export function flagOption(config: MigrationConfig, option: string): boolean {
  const value = (config.options[option] ?? '').trim()
  return value !== '' && value !== '0' && value.toLowerCase() !== 'false'
}
