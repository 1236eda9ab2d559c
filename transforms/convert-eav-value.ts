import {stringLiteral} from '../src/adapters/mysql/sql-text.js'
import {MigrationError} from '../src/errors.js'
import {type HandlerDefinition, type HandlerSetup, requireField, type Value} from './handler.js'
import {handlerSubject, idSet, idKey, loadRows, phpTrim, requireLookup, stripBrackets, textOf, valueOrNull} from './lookup-support.js'

/** `[one_column:1column;three_columns:3columns]` → one_column → 1column, three_columns → 3columns. */
function parseValueMap(setup: HandlerSetup): Map<string, string> {
  const map = new Map<string, string>()
  for (const entry of stripBrackets(setup.params.map).split(';')) {
    const parts = phpTrim(entry).split(':')
    if (parts.length !== 2) {
      throw new MigrationError('HANDLER_PARAMS', `${handlerSubject(setup)}: map entry ${JSON.stringify(entry)} is not of the form from:to`, {document: setup.document, field: setup.field, file: setup.mapFile}, 'Write the map as [from:to;from:to], e.g. [one_column:1column;three_columns:3columns].')
    }
    map.set(parts[0], parts[1])
  }
  return map
}

/** The key a value is looked up under, as PHP turns a value into an array key. */
function mapKey(value: Value): string {
  if (value === null) return ''
  if (typeof value === 'boolean') return value ? '1' : '0'
  return textOf(value) ?? ''
}

/**
 * ConvertEavValue(map, attributeCode): in EAV value rows of the attribute with this code (of any
 * entity type), a value the map names is replaced by its counterpart; other values stay.
 * The attribute's ids are loaded once from the source's eav_attribute.
 */
export const convertEavValue: HandlerDefinition = {
  name: 'ConvertEavValue',
  params: {
    map: {required: true, description: 'the conversions as [from:to;from:to]'},
    attributeCode: {required: true, description: 'the code of the attribute whose values are converted (matched in every entity type)'},
  },
  async create(setup) {
    const {field, params} = setup
    const map = parseValueMap(setup)
    const purpose = `the ids of attribute "${params.attributeCode}" from eav_attribute`
    const source = requireLookup(setup, 'source', purpose)
    const attributeIds = idSet(await loadRows(setup, source, purpose,
      `SELECT \`attribute_id\` FROM ${source.table('eav_attribute')} WHERE \`attribute_code\` = ${stringLiteral(params.attributeCode)}`))
    return {
      handle(record) {
        requireField(record, field)
        const attributeId = idKey(valueOrNull(record, 'attribute_id'))
        if (attributeId === undefined || !attributeIds.has(attributeId)) return
        const converted = map.get(mapKey(record.get(field)))
        if (converted !== undefined) record.set(field, converted)
      },
    }
  },
}
