import {type HandlerDefinition, requireField, type Value} from './handler.js'
import {idKey, isEmptyValue, loadRows, requireLookup, textOf, valueOrNull} from './lookup-support.js'
import {requireSideWriter} from './side-writer-support.js'

const SYNONYMS_DOCUMENT = 'search_synonyms'

/**
 * Synonym: Magento 1 keeps a search term's synonym on the term itself (catalogsearch_query's
 * `synonym_for`); Magento 2 keeps groups of synonyms in search_synonyms. For each term with a
 * synonym this adds one group, "<synonym_for>,<query_text>", in the term's store view and that
 * store's website. A term without a synonym adds nothing. The field itself is left as it is (the
 * maps ignore it). The store → website pairs are loaded once from the source's core_store.
 *
 * The DMT writes the group as `<synonym_for>"<query_text>",`, which Magento 2 (that splits a
 * group on commas) reads as one odd synonym and an empty one; we write the comma-separated list
 * Magento 2 keeps. A store the source does not know gives website 0, as the DMT's write of "not
 * found" does, with a warning.
 */
export const synonym: HandlerDefinition = {
  name: 'Synonym',
  params: {},
  sideDocuments: () => [SYNONYMS_DOCUMENT],
  async create(setup) {
    const {field} = setup
    const writer = requireSideWriter(setup, [SYNONYMS_DOCUMENT])
    const purpose = 'the website of each store from core_store'
    const source = requireLookup(setup, 'source', purpose)
    const rows = await loadRows(setup, source, purpose, `SELECT \`store_id\`, \`website_id\` FROM ${source.table('core_store')}`)
    const websiteByStore = new Map<string, Value>()
    for (const [store, website] of rows) {
      const key = idKey(store)
      if (key !== undefined && !websiteByStore.has(key)) websiteByStore.set(key, website)
    }
    const warned = new Set<string>()
    const websiteOf = (store: Value): Value => {
      const key = idKey(store) ?? 'NULL'
      const website = websiteByStore.get(key)
      if (website !== undefined && website !== null) return website
      if (!warned.has(key)) {
        warned.add(key)
        setup.warn(`store ${key} is not in the source's core_store; its synonym groups get website 0`)
      }
      return 0
    }
    return {
      handle(record) {
        requireField(record, field)
        const synonymFor = record.get(field)
        if (isEmptyValue(synonymFor)) return
        const store = valueOrNull(record, 'store_id')
        const terms = [textOf(synonymFor), textOf(valueOrNull(record, 'query_text'))].filter((term) => term !== undefined && term !== '')
        writer.add(SYNONYMS_DOCUMENT, {synonyms: terms.join(','), store_id: store ?? 0, website_id: websiteOf(store)})
      },
    }
  },
}
