import {stringLiteral} from '../src/adapters/mysql/sql-text.js'
import {type HandlerDefinition, requireField, type Value} from './handler.js'
import {idSet, idKey, loadRows, requireLookup, stripBrackets, textOf, valueOrNull} from './lookup-support.js'

/** The suffix Magento 1 uses when core_config_data sets none. */
const DEFAULT_SUFFIX = '.html'

/**
 * Removes the suffix from the end of the text. Like the DMT's `suffix$` pattern, it also
 * removes it from before one final newline.
 */
function withoutSuffix(text: string, suffix: string): string {
  if (text.endsWith(suffix)) return text.slice(0, -suffix.length)
  if (text.endsWith(`${suffix}\n`)) return `${text.slice(0, -suffix.length - 1)}\n`
  return text
}

/**
 * TruncateSuffix(suffixPath, attributeCodes, entityTypeCode): removes the URL suffix (the
 * core_config_data value at suffixPath, `.html` when unset) from the end of the values of the
 * listed attributes of one entity type, e.g. url_path `apparel.html` → `apparel`. The suffix and
 * the attribute ids are loaded once from the source.
 */
export const truncateSuffix: HandlerDefinition = {
  name: 'TruncateSuffix',
  params: {
    suffixPath: {required: true, description: 'the core_config_data path of the suffix, e.g. catalog/seo/product_url_suffix'},
    attributeCodes: {required: true, description: 'the attributes whose values lose the suffix, as [code,code]'},
    entityTypeCode: {required: true, description: 'the entity type of those attributes, e.g. catalog_product'},
  },
  async create(setup) {
    const {field, params: {suffixPath, attributeCodes, entityTypeCode}} = setup
    const codes = stripBrackets(attributeCodes).split(',')
    const suffixPurpose = `the URL suffix at ${suffixPath} from core_config_data`
    const source = requireLookup(setup, 'source', suffixPurpose)
    // The DMT takes whichever row comes first; we prefer the default scope's, then the oldest.
    const suffixRows = await loadRows(setup, source, suffixPurpose,
      `SELECT \`value\` FROM ${source.table('core_config_data')} WHERE \`path\` = ${stringLiteral(suffixPath)}`
      + ` ORDER BY \`scope\` = 'default' DESC, \`config_id\` LIMIT 1`)
    const configured = textOf(suffixRows[0]?.[0] ?? null)
    // An empty or "0" setting counts as unset, as PHP's truthiness makes it in the DMT.
    const suffix = configured === undefined || configured === '' || configured === '0' ? DEFAULT_SUFFIX : configured
    const attributePurpose = `the ids of ${entityTypeCode} attributes ${codes.join(', ')} from eav_attribute`
    const attributeIds = idSet(await loadRows(setup, source, attributePurpose,
      `SELECT ea.\`attribute_id\` FROM ${source.table('eav_attribute')} AS ea`
      + ` INNER JOIN ${source.table('eav_entity_type')} AS eet ON ea.\`entity_type_id\` = eet.\`entity_type_id\``
      + ` WHERE ea.\`attribute_code\` IN (${codes.map(stringLiteral).join(', ')}) AND eet.\`entity_type_code\` = ${stringLiteral(entityTypeCode)}`))
    return {
      handle(record) {
        requireField(record, field)
        const attributeId = idKey(valueOrNull(record, 'attribute_id'))
        if (attributeId === undefined || !attributeIds.has(attributeId)) return
        const value: Value = record.get(field)
        const text = textOf(value)
        // NULL stays NULL: there is no suffix to remove (the DMT's PHP turns it into '').
        if (text !== undefined) record.set(field, withoutSuffix(text, suffix))
      },
    }
  },
}
