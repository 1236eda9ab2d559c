import {type HandlerDefinition, requireField} from './handler.js'
import {valueOrNull} from './lookup-support.js'

/**
 * GetDestinationValue(setNullIfEmpty): the field takes the opposite record's value of the same
 * field. A NULL there leaves the field as it is, unless setNullIfEmpty is `true` (exactly), which
 * copies the NULL too. Nothing is looked up: the opposite record is at hand.
 */
export const getDestinationValue: HandlerDefinition = {
  name: 'GetDestinationValue',
  params: {
    setNullIfEmpty: {required: false, description: '`true` to copy a NULL too; otherwise a NULL leaves the field as it is'},
  },
  create({field, params}) {
    const setNullIfEmpty = params.setNullIfEmpty === 'true'
    return {
      handle(record, opposite) {
        requireField(record, field)
        const value = valueOrNull(opposite, field)
        if (value !== null || setNullIfEmpty) record.set(field, value)
      },
    }
  },
}
