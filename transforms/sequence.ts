import {type HandlerDefinition, requireField} from './handler.js'
import {isEmptyValue} from './lookup-support.js'
import {requireSideWriter} from './side-writer-support.js'

/** The version columns of Magento 2 Commerce's staged entities, and the versions of a row that is always live. */
const CREATED_IN = 'created_in'
const UPDATED_IN = 'updated_in'
const FIRST_VERSION = 1
const LAST_VERSION = 2147483647

/**
 * Sequence(table): Magento 2 Commerce hands out the ids of staged entities (rules, categories,
 * products, CMS blocks and pages, bundle options) from sequence tables. For each record with an
 * id (the field; 0, NULL or empty give none) this adds {sequence_value: id} to `table`, so that
 * the migrated ids are taken. When the destination record has both created_in and updated_in, they
 * are set to 1 and 2147483647: the row is one version, live from the start and never ending.
 *
 * The DMT writes the sequence row with "insert or update" and never empties the table; here the
 * table is emptied with the document that feeds it (sideDocuments), so a plain insert of each id,
 * once, gives the same rows.
 */
export const sequence: HandlerDefinition = {
  name: 'Sequence',
  params: {
    table: {required: true, description: 'the destination sequence table that gets each id (e.g. sequence_catalogrule)'},
  },
  writesOpposite: () => [CREATED_IN, UPDATED_IN],
  sideDocuments: (setup) => (setup.params.table ? [setup.params.table] : []),
  create(setup) {
    const {field, params: {table}} = setup
    const writer = table ? requireSideWriter(setup, [table]) : undefined
    return {
      handle(record, opposite) {
        requireField(record, field)
        const id = record.get(field)
        if (writer && table && !isEmptyValue(id)) writer.add(table, {sequence_value: id})
        if (opposite.has(CREATED_IN) && opposite.has(UPDATED_IN)) {
          opposite.set(CREATED_IN, FIRST_VERSION)
          opposite.set(UPDATED_IN, LAST_VERSION)
        }
      },
    }
  },
}
