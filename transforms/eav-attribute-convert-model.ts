import {type HandlerDefinition, requireField} from './handler.js'
import {classMapOf} from './class-map-option.js'
import {isEmptyValue, valueOrNull} from './lookup-support.js'

/**
 * EavAttribute\ConvertModel: an attribute's model class (backend, frontend, source, ...) becomes
 * its Magento 2 class through the class map. An empty model takes the opposite record's model
 * when that has one; a model the map does not name, or maps to nothing, becomes NULL.
 */
export const eavAttributeConvertModel: HandlerDefinition = {
  name: 'EavAttribute\\ConvertModel',
  params: {},
  async create(setup) {
    const {field} = setup
    const map = await classMapOf(setup)
    return {
      handle(record, opposite) {
        requireField(record, field)
        const model = record.get(field)
        // Like the DMT's records, an opposite record without the field answers NULL.
        const oppositeModel = valueOrNull(opposite, field)
        if (isEmptyValue(model)) {
          record.set(field, isEmptyValue(oppositeModel) ? null : oppositeModel)
          return
        }
        const converted = map.convertClassName(model)
        record.set(field, isEmptyValue(converted) ? null : converted)
      },
    }
  },
}
