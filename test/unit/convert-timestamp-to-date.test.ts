import test from 'ava'
import type {Handler, HandlerSetup, Value} from '../../transforms/handler.js'
import {convertTimestampToDate} from '../../transforms/convert-timestamp-to-date.js'
import {recordView as record} from '../helpers/record-view.js'

/** map-eav.xml.dist: eav_attribute.default_value. */
function create(): Handler {
  const setup: HandlerSetup = {
    className: '\\Migration\\Handler\\ConvertTimestampToDate',
    document: 'eav_attribute',
    field: 'default_value',
    side: 'source',
    params: {},
    mapFile: '/maps/map-eav.xml',
    at: '/maps/map-eav.xml:35:17',
    warn: () => undefined,
  }
  return convertTimestampToDate.create(setup) as Handler
}

/** An eav_attribute row of the M1 sample (news_from_date, 704), with the given input and default. */
function converted(frontendInput: Value, defaultValue: Value): Value {
  const row = record('eav_attribute', {attribute_id: 704, attribute_code: 'news_from_date', backend_type: 'datetime', frontend_input: frontendInput, default_value: defaultValue})
  create().handle(row, record('eav_attribute', {}))
  return row.values.default_value
}

test('a date attribute\'s default stored as a Unix timestamp becomes a UTC date and time', (t) => {
  // 1325376000 = 15340 days * 86400 s: 2012-01-01 00:00:00 UTC.
  t.is(converted('date', '1325376000'), '2012-01-01 00:00:00')
  // One day, one hour, one minute and one second later.
  t.is(converted('date', String(1325376000 + 86400 + 3600 + 60 + 1)), '2012-01-02 01:01:01')
})

test('the M1 sample\'s date attributes, whose defaults are empty or NULL, keep them', (t) => {
  t.is(converted('date', ''), '')
  t.is(converted('date', null), null)
})

test('a timestamp of 0 is empty to PHP and is kept', (t) => {
  t.is(converted('date', '0'), '0')
})

test('a default that is already a date, or no number, is kept', (t) => {
  t.is(converted('date', '2012-01-01 00:00:00'), '2012-01-01 00:00:00')
  t.is(converted('date', 'tomorrow'), 'tomorrow')
})

test('attributes of other inputs keep their numeric defaults', (t) => {
  t.is(converted('text', '1325376000'), '1325376000')
  t.is(converted(null, '1325376000'), '1325376000')
})

test('numbers as PHP reads them: a number value, surrounding spaces, decimals cut', (t) => {
  t.is(converted('date', 1325376000), '2012-01-01 00:00:00')
  t.is(converted('date', ' 1325376000 '), '2012-01-01 00:00:00')
  t.is(converted('date', '1325376000.9'), '2012-01-01 00:00:00')
})

test('a timestamp before 1970 gives a date before 1970', (t) => {
  // -86400 is one day before the epoch.
  t.is(converted('date', '-86400'), '1969-12-31 00:00:00')
})

test('a missing field fails with "<field> field not found in the record."', (t) => {
  t.throws(() => create().handle(record('eav_attribute', {frontend_input: 'date'}), record('eav_attribute', {})), {message: 'default_value field not found in the record.'})
})

test('a record without frontend_input fails naming it', (t) => {
  t.throws(() => create().handle(record('eav_attribute', {default_value: '1325376000'}), record('eav_attribute', {})), {message: 'frontend_input field not found in the record.'})
})
