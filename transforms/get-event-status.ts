import {type HandlerDefinition, requireField, type Value} from './handler.js'
import {textOf} from './lookup-support.js'

export const EVENT_OPEN = 0
export const EVENT_UPCOMING = 1
export const EVENT_CLOSED = 2

const pad = (value: number) => String(value).padStart(2, '0')

/** Now as `Y-m-d H:i:s` on the UTC clock the DMT runs on. */
export function utcNow(moment = new Date()): string {
  return `${moment.getUTCFullYear()}-${pad(moment.getUTCMonth() + 1)}-${pad(moment.getUTCDate())} ${pad(moment.getUTCHours())}:${pad(moment.getUTCMinutes())}:${pad(moment.getUTCSeconds())}`
}

/**
 * The status of a catalog event at `now`: open once started and until it ends, upcoming before
 * it starts, closed after. Dates compare as text, as the DMT compares them; a NULL date counts as
 * '' (before any date), so an event without an end is closed.
 */
export function eventStatus(start: Value, end: Value, now: string): number {
  const from = textOf(start) ?? ''
  const to = textOf(end) ?? ''
  if (from <= now && to > now) return EVENT_OPEN
  if (from > now && to > now) return EVENT_UPCOMING
  return EVENT_CLOSED
}

/**
 * GetEventStatus: sets a catalog event's status from its date_start and date_end and the time of
 * the migration: 0 open, 1 upcoming, 2 closed.
 */
export const getEventStatus: HandlerDefinition = {
  name: 'GetEventStatus',
  params: {},
  create({field}) {
    return {
      handle(record) {
        requireField(record, field)
        requireField(record, 'date_start')
        requireField(record, 'date_end')
        record.set(field, eventStatus(record.get('date_start'), record.get('date_end'), utcNow()))
      },
    }
  },
}
