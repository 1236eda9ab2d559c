import type {HandlerConfig, MapRules, Side} from '../config/map-rules.js'
import type {Logger} from '../log/logger.js'
import type {DatabaseSchema} from '../schema/table-schema.js'

type PerSide<T> = Record<Side, T>

/**
 * What an integrity check found, collected first and reported in the DMT's order and words.
 * Lists keep table order and column order.
 */
export class IntegrityFindings {
  readonly missingDocuments: PerSide<string[]> = {source: [], destination: []}
  readonly notMappedDocuments: PerSide<string[]> = {source: [], destination: []}
  readonly missingFields: PerSide<Map<string, string[]>> = {source: new Map(), destination: new Map()}
  readonly notMappedFields: PerSide<Map<string, string[]>> = {source: new Map(), destination: new Map()}
  readonly mismatchedTypes: PerSide<Map<string, string[]>> = {source: new Map(), destination: new Map()}
  readonly incompatibleData: PerSide<{document: string; field: string; error: string}[]> = {source: [], destination: []}
  /** Handler class → `document.field` list, for handlers we do not have. */
  readonly missingHandlers = new Map<string, string[]>()

  /** Groups by class, whether or not the map wrote it with a leading backslash. */
  addMissingHandler(config: HandlerConfig): void {
    const canonical = config.className.replace(/^\\/, '')
    const key = [...this.missingHandlers.keys()].find((name) => name.replace(/^\\/, '') === canonical) ?? config.className
    const fields = this.missingHandlers.get(key) ?? []
    const ref = `${config.document}.${config.field}`
    if (!fields.includes(ref)) fields.push(ref)
    this.missingHandlers.set(key, fields)
  }
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  map.set(key, [...(map.get(key) ?? []), value])
}

/**
 * The DMT's generic document and field check for one side: documents the map ignores are left
 * out; a document whose counterpart (through renames) is missing on the other side is "not
 * mapped"; for the others, every column that is not ignored must exist on the other side under
 * its mapped name, with the same DATA_TYPE unless <datatype> ignores the difference.
 */
export function checkSide(findings: IntegrityFindings, rules: MapRules, side: Side, own: DatabaseSchema, other: DatabaseSchema): void {
  for (const name of own.documents) {
    if (rules.isDocumentIgnored(name, side)) continue
    const counterpart = rules.getDocumentMap(name, side)
    const table = own.tables.get(name)!
    const otherTable = counterpart === false ? undefined : other.tables.get(counterpart)
    if (!otherTable) {
      findings.notMappedDocuments[side].push(name)
      continue
    }
    const otherColumns = new Map(otherTable.columns.map((column) => [column.name, column]))
    for (const column of table.columns) {
      const mapped = rules.getFieldMap(name, column.name, side)
      if (mapped === false) continue
      const counterpartColumn = otherColumns.get(mapped)
      if (!counterpartColumn) push(findings.notMappedFields[side], name, mapped)
      else if (counterpartColumn.dataType !== column.dataType && !rules.isFieldDataTypeIgnored(name, column.name, side)) {
        push(findings.mismatchedTypes[side], name, column.name)
      }
    }
  }
}

const SIDE_LABEL: Record<Side, string> = {source: 'Source', destination: 'Destination'}
const SIDES: Side[] = ['source', 'destination']

/**
 * Logs the findings in the DMT's order and texts: ERROR, or WARNING under --auto; type
 * mismatches are warnings only. Returns true when nothing but type mismatches was found.
 */
export function reportFindings(findings: IntegrityFindings, log: Logger, auto: boolean): boolean {
  const level = auto ? 'warning' : 'error'
  let ok = true
  const documents = (lists: PerSide<string[]>, text: string) => {
    for (const side of SIDES) {
      if (lists[side].length === 0) continue
      ok = false
      log.log(level, `${SIDE_LABEL[side]} ${text}: ${lists[side].join(',')}`)
    }
  }
  const fields = (maps: PerSide<Map<string, string[]>>, text: string) => {
    for (const side of SIDES) {
      for (const [document, names] of maps[side]) {
        ok = false
        log.log(level, `${SIDE_LABEL[side]} ${text}. Document: ${document}. Fields: ${names.join(',')}`)
      }
    }
  }
  documents(findings.missingDocuments, 'documents are missing')
  documents(findings.notMappedDocuments, 'documents are not mapped')
  fields(findings.missingFields, 'fields are missing')
  fields(findings.notMappedFields, 'fields are not mapped')
  for (const side of SIDES) {
    for (const [document, names] of findings.mismatchedTypes[side]) {
      log.warning(`Mismatch of data types. ${SIDE_LABEL[side]} document: ${document}. Fields: ${names.join(',')}`)
    }
  }
  for (const side of SIDES) {
    for (const {document, field, error} of findings.incompatibleData[side]) {
      ok = false
      log.log(level, `Incompatibility in data. ${SIDE_LABEL[side]} document: ${document}. Field: ${field}. Error: ${error}`)
    }
  }
  for (const [className, refs] of findings.missingHandlers) {
    ok = false
    log.log(level, `Handler is not available. Class: ${className}. Fields: ${refs.join(',')}`)
  }
  return ok
}
