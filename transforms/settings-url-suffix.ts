import {type HandlerDefinition, requireField} from './handler.js'
import {isEmptyValue} from './lookup-support.js'

/**
 * Settings\UrlSuffix: Magento 1 may store a URL suffix without its dot (`html`); Magento 2 wants
 * it (`.html`). A suffix that has its dot, and an empty one, are kept.
 */
export const settingsUrlSuffix: HandlerDefinition = {
  name: 'Settings\\UrlSuffix',
  params: {},
  create({field}) {
    return {
      handle(record) {
        requireField(record, field)
        const value = record.get(field)
        if (typeof value === 'string' && !isEmptyValue(value) && !value.startsWith('.')) record.set(field, `.${value}`)
      },
    }
  },
}
