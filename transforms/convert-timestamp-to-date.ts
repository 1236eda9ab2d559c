import {type HandlerDefinition, requireField} from './handler.js'
import {isEmptyValue, isNumericText, textOf} from './lookup-support.js'

const pad = (value: number, width = 2) => String(value).padStart(width, '0')

/** A Unix timestamp as `Y-m-d H:i:s` on the UTC clock the DMT runs on. */
export function formatTimestamp(seconds: number): string | undefined {
  const moment = new Date(seconds * 1000)
  if (Number.isNaN(moment.getTime())) return undefined
  const year = moment.getUTCFullYear()
  const yearText = year < 0 ? `-${pad(-year, 4)}` : pad(year, 4)
  return `${yearText}-${pad(moment.getUTCMonth() + 1)}-${pad(moment.getUTCDate())} ${pad(moment.getUTCHours())}:${pad(moment.getUTCMinutes())}:${pad(moment.getUTCSeconds())}`
}

/**
 * ConvertTimestampToDate: on an attribute whose frontend_input is `date`, a default value stored
 * as a Unix timestamp becomes a date and time (`1325376000` → `2012-01-01 00:00:00`). Other
 * attributes, and values that are empty or not numbers, are kept.
 */
export const convertTimestampToDate: HandlerDefinition = {
  name: 'ConvertTimestampToDate',
  params: {},
  create({field, document}) {
    return {
      handle(record) {
        requireField(record, field)
        requireField(record, 'frontend_input')
        const value = record.get(field)
        if (isEmptyValue(value) || textOf(record.get('frontend_input')) !== 'date') return
        const text = textOf(value)!
        if (!isNumericText(text)) return
        // PHP takes the whole seconds of a timestamp with decimals.
        const formatted = formatTimestamp(Math.trunc(Number(text.trim())))
        if (formatted === undefined) throw new Error(`${document}.${field}: timestamp ${text} is out of the range of dates`)
        record.set(field, formatted)
      },
    }
  },
}
