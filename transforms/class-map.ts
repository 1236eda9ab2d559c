import {type HandlerDefinition, requireField} from './handler.js'
import {classMapOf} from './class-map-option.js'

/**
 * ClassMap: a Magento 1 class alias (`cms/widget_page_link`) becomes its Magento 2 class through
 * the class map (`Magento\Cms\Block\Widget\Page\Link`). A class the map does not name, or maps to
 * nothing, becomes NULL.
 */
export const classMap: HandlerDefinition = {
  name: 'ClassMap',
  params: {},
  async create(setup) {
    const {field} = setup
    const map = await classMapOf(setup)
    return {
      handle(record) {
        requireField(record, field)
        record.set(field, map.convertClassName(record.get(field)) || null)
      },
    }
  },
}
