import {MigrationError} from '../src/errors.js'
import {type HandlerDefinition, requireField, type Value} from './handler.js'
import {handlerSubject, isEmptyValue, loadRows, requireLookup, textOf} from './lookup-support.js'

const MIN_OFFSET = -14
const MAX_OFFSET = 12
const SUPPORTED_TYPES = new Set(['int', 'timestamp', 'datetime'])
const DATETIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d+)?$/
const WHOLE_NUMBER = /^[+-]?\d+$/

const pad = (value: number, width = 2) => String(value).padStart(width, '0')

/** `2012-03-01 23:30:00` shifted by hours, on the UTC clock the DMT runs on (no daylight saving). */
function shiftDatetime(text: string, hours: number): string | undefined {
  const match = DATETIME.exec(text)
  if (!match) return undefined
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number)
  // A zero date is no moment in time; it stays as it is.
  if (month === 0 || day === 0) return text
  const moment = new Date(0)
  moment.setUTCFullYear(year, month - 1, day)
  moment.setUTCHours(hour + hours, minute, second, 0)
  return `${pad(moment.getUTCFullYear(), 4)}-${pad(moment.getUTCMonth() + 1)}-${pad(moment.getUTCDate())} ${pad(moment.getUTCHours())}:${pad(moment.getUTCMinutes())}:${pad(moment.getUTCSeconds())}`
}

/** The offset in whole hours; the DMT's range is -14 to +12. */
function parseOffset(raw: string): number | undefined {
  if (raw === '') return 0
  if (!WHOLE_NUMBER.test(raw)) return undefined
  const hours = Number(raw)
  return hours >= MIN_OFFSET && hours <= MAX_OFFSET ? hours : undefined
}

/**
 * Timezone(offset): moves a date and time by `offset` hours (`-5`, `+3`): an int column holds a
 * Unix timestamp, a timestamp or datetime column the date and time as text. Other column types
 * are refused, as the DMT refuses them. The column's type is read from the database once, when the
 * handler is created; the DMT reads it from the document's structure.
 */
export const timezone: HandlerDefinition = {
  name: 'Timezone',
  params: {offset: {required: true, description: 'whole hours to add, from -14 to +12, e.g. -5 or +3'}},
  async create(setup) {
    const {field, params, document, mapFile, side} = setup
    const hours = parseOffset(params.offset)
    if (hours === undefined) {
      throw new MigrationError('HANDLER_PARAMS', `${handlerSubject(setup)}: offset "${params.offset}" must be a whole number of hours from ${MIN_OFFSET} to +${MAX_OFFSET}`, {document, field, file: mapFile}, 'Give the offset in whole hours, e.g. offset="-5" or offset="+3".')
    }
    const port = requireLookup(setup, side, `the type of ${document}.${field}`)
    const columns = await loadRows(setup, port, `the columns of ${document}`, `SHOW COLUMNS FROM ${port.table(document)}`)
    const column = columns.find((row) => textOf(row[0] ?? null) === field)
    // A column the document lacks is reported per record, as "<field> field not found in the record.".
    const type = column ? /^[a-z]+/i.exec(textOf(column[1] ?? null) ?? '')?.[0].toLowerCase() : undefined
    if (column && (type === undefined || !SUPPORTED_TYPES.has(type))) {
      throw new MigrationError('HANDLER_PARAMS', `${handlerSubject(setup)}: provided datatype for field "${field}" is not supported: the column is ${textOf(column[1] ?? null)}`, {document, field, file: mapFile}, 'Timezone handles int (Unix timestamps), timestamp and datetime columns.')
    }
    return {
      handle(record) {
        requireField(record, field)
        const value: Value = record.get(field)
        // The DMT leaves empty values (NULL, '', 0) alone, and every value when the offset is 0.
        if (isEmptyValue(value) || hours === 0) return
        const text = textOf(value)!
        if (type === 'int') {
          if (!WHOLE_NUMBER.test(text.trim())) throw new Error(`${document}.${field}: "${text}" is not a Unix timestamp`)
          record.set(field, Number(text.trim()) + hours * 3600)
          return
        }
        const shifted = shiftDatetime(text, hours)
        if (shifted === undefined) throw new Error(`${document}.${field}: "${text}" is not a date and time (YYYY-MM-DD hh:mm:ss)`)
        record.set(field, shifted)
      },
    }
  },
}
