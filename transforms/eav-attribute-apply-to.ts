import {type HandlerDefinition, requireField} from './handler.js'
import {idSet, idKey, isEmptyValue, loadRows, requireLookup, valueOrNull} from './lookup-support.js'

/**
 * EavAttribute\ApplyTo: an attribute's apply_to comes from the opposite record, except that a
 * user-defined attribute the opposite side does not hold (no attribute_id there) gets NULL: an
 * attribute made by hand applies to every product type. The ids of the user-defined attributes
 * are loaded once from the source's eav_attribute.
 */
export const eavAttributeApplyTo: HandlerDefinition = {
  name: 'EavAttribute\\ApplyTo',
  params: {},
  async create(setup) {
    const {field} = setup
    const purpose = 'the ids of the user-defined attributes from eav_attribute'
    const source = requireLookup(setup, 'source', purpose)
    const userDefined = idSet(await loadRows(setup, source, purpose,
      `SELECT \`attribute_id\` FROM ${source.table('eav_attribute')} WHERE \`is_user_defined\` <> 0`))
    return {
      handle(record, opposite) {
        requireField(record, field)
        const attributeId = idKey(valueOrNull(record, 'attribute_id'))
        const newOnTheOppositeSide = isEmptyValue(valueOrNull(opposite, 'attribute_id'))
        if (newOnTheOppositeSide && attributeId !== undefined && userDefined.has(attributeId)) record.set(field, null)
        else record.set(field, valueOrNull(opposite, field))
      },
    }
  },
}
