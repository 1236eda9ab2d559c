import {type HandlerDefinition, requireField} from './handler.js'
import {idKey, loadRows, requireLookup, textOf, valueOrNull} from './lookup-support.js'

/**
 * EavAttribute\BackendTypeForMultiselect: a multiselect product attribute gets the backend type
 * varchar (Magento 2 stores multiselect values there); other attributes keep theirs. The
 * catalog_product entity type id is loaded once from the source's eav_entity_type.
 */
export const eavAttributeBackendTypeForMultiselect: HandlerDefinition = {
  name: 'EavAttribute\\BackendTypeForMultiselect',
  params: {},
  async create(setup) {
    const {field} = setup
    const purpose = 'the id of entity type catalog_product from eav_entity_type'
    const source = requireLookup(setup, 'source', purpose)
    const rows = await loadRows(setup, source, purpose,
      `SELECT \`entity_type_id\` FROM ${source.table('eav_entity_type')} WHERE \`entity_type_code\` = 'catalog_product' LIMIT 1`)
    const productTypeId = idKey(rows[0]?.[0] ?? null)
    return {
      handle(record) {
        requireField(record, field)
        if (productTypeId === undefined || textOf(valueOrNull(record, 'frontend_input')) !== 'multiselect') return
        if (idKey(valueOrNull(record, 'entity_type_id')) === productTypeId) record.set(field, 'varchar')
      },
    }
  },
}
