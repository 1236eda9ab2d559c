import {type HandlerDefinition, requireField} from './handler.js'
import {isEmptyValue} from './lookup-support.js'

/**
 * FieldCopy(fieldCopy): the field takes the value of another field of the same record, unless
 * that value is empty (NULL, '', 0 or '0'): then the field keeps its own.
 */
export const fieldCopy: HandlerDefinition = {
  name: 'FieldCopy',
  params: {fieldCopy: {required: true, description: 'the field of the same record whose value is copied'}},
  create({field, params}) {
    const from = params.fieldCopy
    return {
      handle(record) {
        requireField(record, field)
        // The DMT reads NULL from a field the record lacks, and so copies nothing; a map naming
        // a field that is not there is a mistake, so we say so instead.
        requireField(record, from)
        const value = record.get(from)
        if (!isEmptyValue(value)) record.set(field, value)
      },
    }
  },
}
