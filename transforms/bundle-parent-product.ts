import {quoteIdentifier} from '../src/adapters/mysql/sql-text.js'
import {type HandlerDefinition, requireField, type Value} from './handler.js'
import {idKey, isEmptyValue, loadRows, requireLookup, valueOrNull} from './lookup-support.js'

/**
 * BundleParentProduct(parentField, documentWithProductId, fieldWithProductId): sets the field to
 * the bundle product that owns the row: the row's `parentField` value is looked up in the
 * source's `documentWithProductId`, whose `fieldWithProductId` names the product (0 when none).
 * The whole parent → product column pair is loaded once.
 */
export const bundleParentProduct: HandlerDefinition = {
  name: 'BundleParentProduct',
  params: {
    parentField: {required: true, description: 'the field of this record, also a column of documentWithProductId, that names the parent row (e.g. option_id)'},
    documentWithProductId: {required: true, description: 'the source document holding the product of each parent row (e.g. catalog_product_bundle_option)'},
    fieldWithProductId: {required: true, description: 'the column of documentWithProductId holding the product id (e.g. parent_id)'},
  },
  async create(setup) {
    const {field, params: {parentField, documentWithProductId, fieldWithProductId}} = setup
    const purpose = `${documentWithProductId}.${fieldWithProductId} by ${parentField}`
    const source = requireLookup(setup, 'source', purpose)
    const rows = await loadRows(setup, source, purpose,
      `SELECT ${quoteIdentifier(parentField)}, ${quoteIdentifier(fieldWithProductId)} FROM ${source.table(documentWithProductId)}`)
    const productByParent = new Map<string, Value>()
    for (const [parent, product] of rows) {
      const key = idKey(parent)
      // The DMT takes the first row found for a parent; keep the first too.
      if (key !== undefined && !productByParent.has(key)) productByParent.set(key, product)
    }
    return {
      handle(record) {
        requireField(record, field)
        const key = idKey(valueOrNull(record, parentField))
        const product = key === undefined ? null : productByParent.get(key) ?? null
        record.set(field, isEmptyValue(product) ? 0 : product)
      },
    }
  },
}
