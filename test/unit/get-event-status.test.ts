import test from 'ava'
import type {Handler, HandlerSetup, Value} from '../../transforms/handler.js'
import {EVENT_CLOSED, EVENT_OPEN, EVENT_UPCOMING, eventStatus, getEventStatus, utcNow} from '../../transforms/get-event-status.js'
import {recordView as record} from '../helpers/record-view.js'

/** The commerce maps: magento_catalogevent_event.status (destination side). */
function create(field = 'status'): Handler {
  const setup: HandlerSetup = {
    className: '\\Migration\\Handler\\GetEventStatus',
    document: 'magento_catalogevent_event',
    field,
    side: 'destination',
    params: {},
    mapFile: '/maps/map.xml',
    at: '/maps/map.xml:2530:17',
    warn: () => undefined,
  }
  return getEventStatus.create(setup) as Handler
}

function statusOf(dateStart: Value, dateEnd: Value): Value {
  const row = record('magento_catalogevent_event', {event_id: 1, category_id: 10, date_start: dateStart, date_end: dateEnd, display_state: 3, sort_order: null, status: null})
  create().handle(row, record('enterprise_catalogevent_event', {}))
  return row.values.status
}

const NOW = '2012-06-15 12:00:00'

test('the statuses are Magento\'s numbers: open 0, upcoming 1, closed 2', (t) => {
  t.deepEqual([EVENT_OPEN, EVENT_UPCOMING, EVENT_CLOSED], [0, 1, 2])
})

test('an event that has started and not ended is open', (t) => {
  t.is(eventStatus('2012-06-01 00:00:00', '2012-07-01 00:00:00', NOW), EVENT_OPEN)
  // It starts at this very second.
  t.is(eventStatus(NOW, '2012-07-01 00:00:00', NOW), EVENT_OPEN)
})

test('an event that has not started is upcoming', (t) => {
  t.is(eventStatus('2012-06-15 12:00:01', '2012-07-01 00:00:00', NOW), EVENT_UPCOMING)
})

test('an event that has ended is closed, also at the second it ends', (t) => {
  t.is(eventStatus('2012-05-01 00:00:00', '2012-06-01 00:00:00', NOW), EVENT_CLOSED)
  t.is(eventStatus('2012-05-01 00:00:00', NOW, NOW), EVENT_CLOSED)
})

test('an event without an end date is closed, as NULL compares before any date', (t) => {
  t.is(eventStatus('2012-06-01 00:00:00', null, NOW), EVENT_CLOSED)
  t.is(eventStatus(null, null, NOW), EVENT_CLOSED)
})

test('an event without a start date that has not ended is open', (t) => {
  t.is(eventStatus(null, '2012-07-01 00:00:00', NOW), EVENT_OPEN)
})

test('now is the UTC time in the DMT\'s format', (t) => {
  t.is(utcNow(new Date('2012-06-15T12:00:00Z')), NOW)
  t.is(utcNow(new Date('2012-01-02T03:04:05.678Z')), '2012-01-02 03:04:05')
})

test('the handler sets the status from the record\'s dates at the time of the migration', (t) => {
  t.is(statusOf('2010-01-01 00:00:00', '2011-01-01 00:00:00'), EVENT_CLOSED)
  t.is(statusOf('2010-01-01 00:00:00', '9999-12-31 23:59:59'), EVENT_OPEN)
  t.is(statusOf('9999-01-01 00:00:00', '9999-12-31 23:59:59'), EVENT_UPCOMING)
})

test('a missing field fails with "<field> field not found in the record."', (t) => {
  t.throws(() => create().handle(record('magento_catalogevent_event', {date_start: null, date_end: null}), record('enterprise_catalogevent_event', {})), {message: 'status field not found in the record.'})
})

test('a record without date_end fails naming it', (t) => {
  t.throws(() => create().handle(record('magento_catalogevent_event', {status: null, date_start: null}), record('enterprise_catalogevent_event', {})), {message: 'date_end field not found in the record.'})
})
