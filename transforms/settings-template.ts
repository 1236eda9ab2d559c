import {type HandlerDefinition, requireField} from './handler.js'
import {isEmptyValue, isNumericText, textOf, valueOrNull} from './lookup-support.js'

/**
 * Settings\Template: an email template setting holds either the id of a template saved in the
 * database (a number, kept) or the name of a template file of Magento 1 (e.g.
 * `sales_email_order_template`); Magento 2 names its files differently, so a name gives way to
 * the opposite record's value when that is not empty.
 */
export const settingsTemplate: HandlerDefinition = {
  name: 'Settings\\Template',
  params: {},
  create({field}) {
    return {
      handle(record, opposite) {
        requireField(record, field)
        const value = record.get(field)
        const numeric = typeof value === 'number' || typeof value === 'bigint' || (value !== null && typeof value !== 'boolean' && isNumericText(textOf(value)!))
        // Like the DMT's records, an opposite record without the field answers NULL.
        const replacement = valueOrNull(opposite, field)
        if (!numeric && !isEmptyValue(replacement)) record.set(field, replacement)
      },
    }
  },
}
