import test from 'ava'
import type {Handler, HandlerSetup, Value} from '../../transforms/handler.js'
import {convertIp} from '../../transforms/convert-ip.js'
import {recordView as record} from '../helpers/record-view.js'

/** The 1.9 maps: rating_option_vote.remote_ip_long (varbinary(16) in Magento 1.9, bigint in Magento 2). */
function create(field = 'remote_ip_long'): Handler {
  const setup: HandlerSetup = {
    className: '\\Migration\\Handler\\ConvertIp',
    document: 'rating_option_vote',
    field,
    side: 'source',
    params: {},
    mapFile: '/maps/map.xml',
    at: '/maps/map.xml:2301:17',
    warn: () => undefined,
  }
  return convertIp.create(setup) as Handler
}

function converted(value: Value): Value {
  const row = record('rating_option_vote', {vote_id: 1, remote_ip: '127.0.0.1', remote_ip_long: value})
  create().handle(row, record('rating_option_vote', {}))
  return row.values.remote_ip_long
}

test('an IPv4 address in text becomes its number: the M1 sample\'s 127.0.0.1', (t) => {
  // 127 * 2^24 + 1; Magento 1.6 itself stored 2130706433 in remote_ip_long of these votes.
  t.is(converted('127.0.0.1'), 2130706433)
  t.is(converted('255.255.255.255'), 4294967295)
})

test('an IPv4 address packed in four bytes, as Magento 1.9 stores it, becomes its number', (t) => {
  // 192.168.1.10 = 192 * 2^24 + 168 * 2^16 + 1 * 2^8 + 10.
  t.is(converted(Buffer.from([192, 168, 1, 10])), 3232235786)
  t.is(converted(Buffer.from([127, 0, 0, 1])), 2130706433)
})

test('any four bytes read as a packed address, as PHP\'s inet_ntop reads them', (t) => {
  // "abcd" is bytes 97 98 99 100.
  t.is(converted('abcd'), 97 * 2 ** 24 + 98 * 2 ** 16 + 99 * 2 ** 8 + 100)
  // A number is its text to PHP: 1234 is the bytes of "1234", 49 50 51 52.
  t.is(converted(1234), 49 * 2 ** 24 + 50 * 2 ** 16 + 51 * 2 ** 8 + 52)
})

test('IPv6 addresses, in text or packed in 16 bytes, become 0: they do not fit the integer', (t) => {
  t.is(converted('2001:db8::1'), 0)
  t.is(converted('::1'), 0)
  t.is(converted(Buffer.from('20010db8000000000000000000000001', 'hex')), 0)
})

test('a short IPv6 text is an address, not four packed bytes', (t) => {
  // "::12" is four characters; PHP takes it for an IPv6 address before it tries inet_ntop.
  t.is(converted('::12'), 0)
})

test('NULL, empty text, longer numbers and text that is no address become 0', (t) => {
  t.is(converted(null), 0)
  t.is(converted(''), 0)
  t.is(converted(2130706433), 0)
  t.is(converted('localhost'), 0)
  // Leading zeros are refused by PHP's IPv4 check; nine characters are no packed address either.
  t.is(converted('010.0.0.1'), 0)
})

test('a missing field fails with "<field> field not found in the record."', (t) => {
  t.throws(() => create('ip').handle(record('rating_option_vote', {remote_ip_long: '127.0.0.1'}), record('rating_option_vote', {})), {message: 'ip field not found in the record.'})
})
