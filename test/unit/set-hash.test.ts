import test from 'ava'
import type {Handler, HandlerSetup, Value} from '../../transforms/handler.js'
import {MigrationError} from '../../src/errors.js'
import {setHash} from '../../transforms/set-hash.js'
import {recordView as record} from '../helpers/record-view.js'

/** CRC-32 (IEEE, reflected, polynomial 0xEDB88320) bit by bit: an independent reference for PHP's crc32(). */
function referenceCrc32(bytes: Buffer): number {
  let crc = 0xffffffff
  for (const byte of bytes) {
    crc ^= byte
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1
  }
  return (crc ^ 0xffffffff) >>> 0
}

/** The 1.6.1.0 map: translation.crc_string, hash crc32 of baseField string. */
function create(params: Record<string, string> = {hash: 'crc32', baseField: 'string'}): Handler {
  const setup: HandlerSetup = {
    className: '\\Migration\\Handler\\SetHash',
    document: 'translation',
    field: 'crc_string',
    side: 'destination',
    params,
    mapFile: '/maps/map.xml',
    at: '/maps/map.xml:2100:17',
    warn: () => undefined,
  }
  return setHash.create(setup) as Handler
}

/** A core_translate row of the 1.6.1.0 sample, and the translation row it becomes. */
function hashOf(text: Value): Value {
  const source = record('core_translate', {key_id: 1, string: text, store_id: 0, translate: text, locale: 'en_US'})
  const destination = record('translation', {key_id: 1, string: text, store_id: 0, translate: text, locale: 'en_US', crc_string: null})
  create().handle(destination, source)
  return destination.values.crc_string
}

test('crc_string is the crc32 of the opposite record\'s string: the M1 sample\'s translations', (t) => {
  for (const text of ['Size', 'Color', 'Thumbnail Image', 'Shoe Size']) {
    t.is(hashOf(text), referenceCrc32(Buffer.from(text)), text)
  }
})

test('the hash is PHP\'s crc32: the value of PHP\'s manual, above 2^31, unsigned', (t) => {
  // php.net's crc32() page: crc32("The quick brown fox jumped over the lazy dog.") prints 2191738434.
  t.is(hashOf('The quick brown fox jumped over the lazy dog.'), 2191738434)
})

test('text is hashed in its UTF-8 bytes, as PHP hashes the bytes MySQL sends', (t) => {
  t.is(hashOf('Größe'), referenceCrc32(Buffer.from([0x47, 0x72, 0xc3, 0xb6, 0xc3, 0x9f, 0x65])))
})

test('NULL hashes as the empty string: 0', (t) => {
  t.is(hashOf(null), 0)
})

test('an algorithm other than crc32 is refused when the handler is created', (t) => {
  const error = t.throws(() => create({hash: 'md5', baseField: 'string'}), {instanceOf: MigrationError})

  t.is(error.code, 'HANDLER_PARAMS')
  t.true(error.message.startsWith('/maps/map.xml:2100:17: handler \\Migration\\Handler\\SetHash on translation.crc_string'), error.message)
  t.true(error.message.includes('md5 hash algorithm is not supported'), error.message)
})

test('a missing field fails with "<field> field not found in the record."', (t) => {
  t.throws(() => create().handle(record('translation', {string: 'Size'}), record('core_translate', {string: 'Size'})), {message: 'crc_string field not found in the record.'})
})

test('a base field the opposite record lacks fails naming it, rather than hashing nothing', (t) => {
  const handler = create({hash: 'crc32', baseField: 'strng'})

  t.throws(() => handler.handle(record('translation', {crc_string: null}), record('core_translate', {string: 'Size'})), {message: 'strng field not found in the record.'})
})
