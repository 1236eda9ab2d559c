import {type HandlerDefinition, requireField} from './handler.js'
import {idSet, idKey, isEmptyValue, loadRows, requireLookup, textOf, valueOrNull} from './lookup-support.js'

/**
 * CleanMultiselect: tidies the stored option lists of multiselect product attributes, dropping
 * empty entries (and "0", which is no option): `24,,,41,` → `24,41`; NULL or empty → ''. The ids
 * of the multiselect attributes of catalog_product are loaded once from the source.
 */
export const cleanMultiselect: HandlerDefinition = {
  name: 'CleanMultiselect',
  params: {},
  async create(setup) {
    const {field} = setup
    const purpose = 'the ids of the multiselect catalog_product attributes from eav_attribute'
    const source = requireLookup(setup, 'source', purpose)
    const attributeIds = idSet(await loadRows(setup, source, purpose,
      `SELECT ea.\`attribute_id\` FROM ${source.table('eav_attribute')} AS ea`
      + ` INNER JOIN ${source.table('eav_entity_type')} AS eet ON ea.\`entity_type_id\` = eet.\`entity_type_id\``
      + ` WHERE ea.\`frontend_input\` = 'multiselect' AND eet.\`entity_type_code\` = 'catalog_product'`))
    return {
      handle(record) {
        requireField(record, field)
        const attributeId = idKey(valueOrNull(record, 'attribute_id'))
        if (attributeId === undefined || !attributeIds.has(attributeId)) return
        const value = record.get(field)
        const text = isEmptyValue(value) ? '' : textOf(value) ?? ''
        record.set(field, text.split(',').filter((option) => option !== '' && option !== '0').join(','))
      },
    }
  },
}
