import {createCipheriv, createDecipheriv} from 'node:crypto'
import test, {type ExecutionContext} from 'ava'
import {MigrationError} from '../../src/errors.js'
import {Blowfish} from '../../transforms/crypto/blowfish.js'
import {encrypt} from '../../transforms/encrypt.js'
import type {Handler, HandlerSetup, Value} from '../../transforms/handler.js'
import {HandlerRegistry} from '../../transforms/registry.js'
import {recordView} from '../helpers/record-view.js'

const M1_KEY = '3f8a5c1e9b7d2046a1c3e5f708192a3b'
const M2_KEY = '6wRADHwwCBGgdxbcHhovGB0upmg0mbsN'

function setup(options: Record<string, string> | undefined, warnings: string[] = []): HandlerSetup {
  return {
    className: '\\Migration\\Handler\\Encrypt',
    document: 'sales_flat_order_payment',
    field: 'cc_number_enc',
    side: 'source',
    params: {},
    mapFile: '/maps/map.xml',
    at: '/maps/map.xml:948:17',
    warn: (message) => warnings.push(message),
    options,
  }
}

function create(options: Record<string, string> = {crypt_key: M1_KEY, m2_crypt_key: M2_KEY}, warnings: string[] = []): Handler {
  return encrypt.create(setup(options, warnings)) as Handler
}

/** What Magento 1 Community stored: Blowfish ECB over the NUL-padded text, in base64. */
function communityValue(plain: string, key = M1_KEY): string {
  const bytes = Buffer.from(plain)
  const padded = Buffer.concat([bytes, Buffer.alloc((8 - (bytes.length % 8)) % 8)])
  return new Blowfish(Buffer.from(key)).encryptEcb(padded).toString('base64')
}

/** What Magento 1 Enterprise 1.14 stored: keyVersion:2:iv:base64 of AES-256-CBC over NUL-padded text. */
function enterpriseValue(plain: string, key = M1_KEY, keyVersion = 0, iv = '9c1f3e5a7b2d4c6e'): string {
  const bytes = Buffer.from(plain)
  const cipher = createCipheriv('aes-256-cbc', Buffer.from(key), Buffer.from(iv))
  cipher.setAutoPadding(false)
  const padded = Buffer.concat([bytes, Buffer.alloc((16 - (bytes.length % 16)) % 16)])
  return `${keyVersion}:2:${iv}:${Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64')}`
}

/** Magento 2's reading of <version>:3:<base64(nonce ‖ ciphertext ‖ tag)>, the nonce as additional data. */
function magento2Plain(value: Value, keys: readonly Buffer[] = [Buffer.from(M2_KEY)]): string {
  const [version, cipher, payload] = String(value).split(':')
  if (cipher !== '3') throw new Error(`not a Magento 2 ChaCha20-Poly1305 value: ${String(value)}`)
  const sealed = Buffer.from(payload, 'base64')
  const nonce = sealed.subarray(0, 12)
  const decipher = createDecipheriv('chacha20-poly1305', keys[Number(version)], nonce, {authTagLength: 16})
  const ciphertext = sealed.subarray(12, sealed.length - 16)
  decipher.setAAD(nonce, {plaintextLength: ciphertext.length})
  decipher.setAuthTag(sealed.subarray(sealed.length - 16))
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8')
}

/** A sales_flat_order_payment row with this cc_number_enc, after the handler ran. */
function migrated(value: Value, handler = create()): Value {
  const row = recordView('sales_flat_order_payment', {entity_id: 1, parent_id: 1, cc_number_enc: value, cc_last4: '1111'})
  handler.handle(row, recordView('sales_order_payment', {}))
  return row.values.cc_number_enc
}

test('the registry has Encrypt under the class name the maps use', (t) => {
  t.is(new HandlerRegistry().find('\\Migration\\Handler\\Encrypt'), encrypt)
})

test('a Community value (Blowfish ECB) comes out as a Magento 2 value that decrypts to the card number', (t) => {
  const value = migrated(communityValue('4111111111111111'))
  t.regex(String(value), /^0:3:/)
  t.is(magento2Plain(value), '4111111111111111')
})

test('a value PHP\'s mcrypt wrote with Blowfish ECB (Magento 2\'s own mcrypt fixture) migrates to its text', (t) => {
  // Magento 2's Encryption/Test/Unit/Crypt/_files/_crypt_fixtures.php, entry 15.
  const handler = create({crypt_key: '72f761d4c435986911087485b8664d40b28d12f818eca42edf84fecd', m2_crypt_key: M2_KEY})
  t.is(magento2Plain(migrated('UObRTUnq3jCNZjJOxwNubA==', handler)), 'Hello world!!!')
})

test('an Enterprise 1.14 value (keyVersion:2:iv:data, AES-256-CBC) migrates to its text', (t) => {
  t.is(magento2Plain(migrated(enterpriseValue('paypal-api-password'))), 'paypal-api-password')
})

test('an Enterprise value under a rotated key is read with the key its version names', (t) => {
  const current = 'b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6'
  const handler = create({crypt_key: `${M1_KEY}\n${current}`, m2_crypt_key: M2_KEY})
  t.is(magento2Plain(migrated(enterpriseValue('rotated', current, 1), handler)), 'rotated')
})

test('the Magento 2 value carries the version of the last key in m2_crypt_key, and that key encrypts it', (t) => {
  const older = 'uPuzBU067DXTM4PqEi14Sv5tbWjVcRZI'
  const handler = create({crypt_key: M1_KEY, m2_crypt_key: `${older}\n${M2_KEY}`})
  const value = migrated(communityValue('secret'), handler)
  t.regex(String(value), /^1:3:/)
  t.is(magento2Plain(value, [Buffer.from(older), Buffer.from(M2_KEY)]), 'secret')
})

test('a Magento 2.4.7 key written as "base64…" encrypts with its decoded 32 bytes', (t) => {
  const bytes = Buffer.from('8f'.repeat(32), 'hex')
  const handler = create({crypt_key: M1_KEY, m2_crypt_key: `base64${bytes.toString('base64')}`})
  t.is(magento2Plain(migrated(communityValue('secret'), handler), [bytes]), 'secret')
})

test('NULL, \'\' and \'0\' are left as they are, as the DMT leaves PHP\'s empty values', (t) => {
  t.is(migrated(null), null)
  t.is(migrated(''), '')
  t.is(migrated('0'), '0')
})

test('a record without the field fails with the DMT\'s message', (t) => {
  const row = recordView('sales_flat_order_payment', {entity_id: 1})
  t.throws(() => create().handle(row, recordView('sales_order_payment', {})), {message: 'cc_number_enc field not found in the record.'})
})

test('a value that cannot be decrypted names the field and the reason', (t) => {
  t.throws(() => migrated('3:2:0123456789abcdef:AAAA'), {message: /^cc_number_enc: cannot decrypt the Magento 1 value: the value was encrypted with Magento 1 key version 3/})
})

test('a wrong crypt_key gives bytes that are not text: one warning for the document, not one per row', (t) => {
  const warnings: string[] = []
  const handler = create({crypt_key: 'ffffffffffffffffffffffffffffffff', m2_crypt_key: M2_KEY}, warnings)
  migrated(communityValue('4111111111111111'), handler)
  migrated(communityValue('5500000000000004'), handler)
  t.is(warnings.length, 1)
  t.regex(warnings[0], /not UTF-8 text; check that <crypt_key> is the value of <global><crypt><key> in Magento 1's app\/etc\/local.xml/)
})

test('the right crypt_key gives no warning', (t) => {
  const warnings: string[] = []
  migrated(communityValue('4111111111111111'), create(undefined, warnings))
  t.deepEqual(warnings, [])
})

function createError(t: ExecutionContext, options: Record<string, string> | undefined): MigrationError {
  return t.throws(() => encrypt.create(setup(options)), {instanceOf: MigrationError}) as MigrationError
}

test('without crypt_key, create() fails naming the option and where Magento 1 keeps the key', (t) => {
  const error = createError(t, {m2_crypt_key: M2_KEY})
  t.is(error.code, 'CONFIG_INVALID')
  t.is(error.message, '/maps/map.xml:948:17: handler \\Migration\\Handler\\Encrypt on sales_flat_order_payment.cc_number_enc: the config option <crypt_key> is not set; it is needed to decrypt the values Magento 1 encrypted')
  t.is(error.hint, 'Set <crypt_key> in config.xml\'s <options> to the value of <global><crypt><key> in Magento 1\'s app/etc/local.xml.')
})

test('an empty <crypt_key /> (as in the DMT\'s config.xml.dist) counts as not set', (t) => {
  t.regex(createError(t, {crypt_key: '  ', m2_crypt_key: M2_KEY}).message, /<crypt_key> is not set/)
})

test('without m2_crypt_key, create() fails naming the option and where Magento 2 keeps the key', (t) => {
  const error = createError(t, {crypt_key: M1_KEY})
  t.regex(error.message, /the config option <m2_crypt_key> is not set; it is needed to encrypt the values for Magento 2$/)
  t.is(error.hint, 'Set <m2_crypt_key> in config.xml\'s <options> to the value of \'crypt\' => [\'key\' => …] in Magento 2\'s app/etc/env.php.')
})

test('with no config.xml loaded at all, create() says so', (t) => {
  t.regex(createError(t, undefined).message, /<crypt_key> is not available \(no config\.xml is loaded\)/)
})

test('an m2_crypt_key that is not 32 bytes is refused in create()', (t) => {
  t.regex(createError(t, {crypt_key: M1_KEY, m2_crypt_key: 'not-a-key'}).message, /<m2_crypt_key> is not a Magento 2 key: its key \(version 0\) is 9 bytes after decoding/)
})

test('a crypt_key longer than Magento 1 accepted is refused in create()', (t) => {
  t.regex(createError(t, {crypt_key: 'k'.repeat(57), m2_crypt_key: M2_KEY}).message, /<crypt_key> is not a Magento 1 key: key version 0: it is 57 bytes long/)
})
