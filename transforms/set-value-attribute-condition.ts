import {stringLiteral} from '../src/adapters/mysql/sql-text.js'
import {type HandlerDefinition, requireField} from './handler.js'
import {idKey, loadRows, requireLookup, valueOrNull} from './lookup-support.js'

/**
 * SetValueAttributeCondition(attributeCode, value): sets the field to `value` (`NULL`, any case,
 * for SQL NULL) in rows whose attribute_id is an attribute with this code; other rows stay.
 * The attribute's ids are loaded once from the source's eav_attribute.
 */
export const setValueAttributeCondition: HandlerDefinition = {
  name: 'SetValueAttributeCondition',
  params: {
    attributeCode: {required: true, description: 'the code of the attribute whose rows get the value (matched in every entity type)'},
    value: {required: true, description: 'the value to set; NULL for null'},
  },
  async create(setup) {
    const {field, params} = setup
    const value = params.value.toUpperCase() === 'NULL' ? null : params.value
    const purpose = `the ids of attribute "${params.attributeCode}" from eav_attribute`
    const source = requireLookup(setup, 'source', purpose)
    const rows = await loadRows(setup, source, purpose,
      `SELECT \`attribute_id\`, \`attribute_code\` FROM ${source.table('eav_attribute')} WHERE \`attribute_code\` = ${stringLiteral(params.attributeCode)}`)
    // SQL's = ignores case and trailing spaces; the DMT compares the codes exactly, so do we.
    const attributeIds = new Set(rows.filter(([, code]) => code === params.attributeCode).map(([id]) => idKey(id)))
    return {
      handle(record) {
        requireField(record, field)
        const attributeId = idKey(valueOrNull(record, 'attribute_id'))
        if (attributeId !== undefined && attributeIds.has(attributeId)) record.set(field, value)
      },
    }
  },
}
