import {type HandlerDefinition, requireField} from './handler.js'
import {isNumericText, textOf} from './lookup-support.js'

/** The id of Magento 1's default root category, which Magento 2 does not have under that id. */
const SOURCE_DEFAULT_CATEGORY_ID = 2

/**
 * Settings\CategoryRootId: a setting (catalog/category/root_id) that names Magento 1's default
 * root category (id 2) becomes NULL, so Magento 2 falls back to its own; other ids stay. The value
 * is compared as a number, as PHP's `==` does: '2', ' 2' and '2.0' all match.
 * Nothing is looked up: the Magento 1 id is fixed.
 */
export const settingsCategoryRootId: HandlerDefinition = {
  name: 'Settings\\CategoryRootId',
  params: {},
  create({field}) {
    return {
      handle(record) {
        requireField(record, field)
        const text = textOf(record.get(field))
        if (text !== undefined && isNumericText(text) && Number(text.trim()) === SOURCE_DEFAULT_CATEGORY_ID) record.set(field, null)
      },
    }
  },
}
