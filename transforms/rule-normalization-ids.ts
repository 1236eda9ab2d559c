import {type HandlerDefinition, requireField} from './handler.js'
import {textOf} from './lookup-support.js'
import {integerId, linkColumn, requireSideWriter} from './side-writer-support.js'

/** The key of the rule record, and the link table's column for it outside content staging. */
const RULE_KEY = 'rule_id'

/**
 * Rule\NormalizationIds(normalizationDocument, normalizationField): Magento 1 keeps a rule's
 * customer groups and websites as comma-separated lists in the rule (`customer_group_ids`,
 * `website_ids`); Magento 2 keeps one row per rule and id in a link table. For each id in the
 * field's list this adds {rule_id, <normalizationField>: id} to normalizationDocument. The link
 * column is `rule_id` when the config's edition_migrate is opensource-to-opensource. Otherwise the
 * DMT writes `row_id` (Commerce's staged rules); we write `row_id` when the link table has that
 * column (the destination is asked once) and `rule_id` when it does not, where the DMT would fail.
 *
 * The DMT empties normalizationDocument again for every rule it handles, so only the last rule
 * keeps its rows; here the document is emptied once, with the rules (sideDocuments), and every
 * rule keeps its rows. Blank entries of a list (an empty list, "1,,2") add no row (the DMT adds
 * one with id 0, which its database makes of an empty id); an entry that is not a whole number
 * adds none either, with a warning; an id listed twice adds one row.
 */
export const ruleNormalizationIds: HandlerDefinition = {
  name: 'Rule\\NormalizationIds',
  params: {
    normalizationDocument: {required: true, description: 'the destination link table that gets one row per id (e.g. catalogrule_website)'},
    normalizationField: {required: true, description: 'the column of normalizationDocument that holds the id (e.g. website_id)'},
  },
  sideDocuments: (setup) => [setup.params.normalizationDocument!],
  async create(setup) {
    const {field, params: {normalizationDocument, normalizationField}} = setup
    const document = normalizationDocument!
    const idField = normalizationField!
    const writer = requireSideWriter(setup, [document])
    const column = await linkColumn(setup, document, RULE_KEY)
    return {
      handle(record) {
        requireField(record, field)
        requireField(record, RULE_KEY)
        const rule = record.get(RULE_KEY)
        const written = new Set<number | string>()
        for (const entry of (textOf(record.get(field)) ?? '').split(',')) {
          if (entry.trim() === '') continue
          const id = integerId(entry)
          if (id === undefined) {
            setup.warn(`rule ${textOf(rule) ?? 'NULL'} lists ${JSON.stringify(entry)}, which is not an id; no ${document} row is added for it`)
            continue
          }
          if (written.has(id)) continue
          written.add(id)
          writer.add(document, {[column]: rule, [idField]: id})
        }
      },
    }
  },
}
