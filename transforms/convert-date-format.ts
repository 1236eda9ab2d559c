import {type HandlerDefinition, requireField, type Value} from './handler.js'

/** Magento 1 names the widget date formats; Magento 2 stores IntlDateFormatter's numbers. */
const FORMAT_NUMBERS: Readonly<Record<string, string>> = {full: '0', long: '1', medium: '2', short: '3'}
const DATE_FORMAT = /<date_format>(full|long|medium|short)<\/date_format>/g

function convertText(text: string): string {
  return text.replace(DATE_FORMAT, (_whole, name: string) => `<date_format>${FORMAT_NUMBERS[name]}</date_format>`)
}

/**
 * ConvertDateFormat: in XML text, `<date_format>medium</date_format>` becomes
 * `<date_format>2</date_format>` (full 0, long 1, medium 2, short 3). Other text is kept.
 */
export const convertDateFormat: HandlerDefinition = {
  name: 'ConvertDateFormat',
  params: {},
  create({field}) {
    return {
      handle(record) {
        requireField(record, field)
        const value: Value = record.get(field)
        // Bytes are read as latin1 so that every other byte comes back unchanged.
        if (typeof value === 'string') record.set(field, convertText(value))
        else if (Buffer.isBuffer(value)) record.set(field, Buffer.from(convertText(value.toString('latin1')), 'latin1'))
      },
    }
  },
}
