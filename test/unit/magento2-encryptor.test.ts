import {createDecipheriv} from 'node:crypto'
import test from 'ava'
import {encryptForMagento2, magento2Key, magento2KeyBytes} from '../../transforms/crypto/magento2-encryptor.js'

// Magento 2's own fixtures for its SodiumChachaIetf adapter
// (lib/internal/Magento/Framework/Encryption/Test/Unit/Crypt/_files/_sodium_chachaieft_fixtures.php):
// base64 of nonce ‖ ciphertext ‖ tag that libsodium wrote, with the key used.
const SODIUM_FIXTURES = [
  {key: '6wRADHwwCBGgdxbcHhovGB0upmg0mbsN', sealed: '146BhsQ3grT0VgkYuY3ii3gpClXHkFqlIcNpAD4+bAMBP+ToCHZHiJID'},
  {key: 'uPuzBU067DXTM4PqEi14Sv5tbWjVcRZI', sealed: '6SQaVrCnY10n8tOxYyvWuVGKddjR12ZbGylM9K+bRHqsqltRwuLs15vV'},
  {key: 'zsmVdKkwVgylxMM8ZzQ3GTv7SxvusKnJ', sealed: 'eQcREUJDV8EEB9WA1pBd5LbVQrs4Kyv6iWnkhOnjeitySuPQAcpIVoCM'},
] as const
const FIXTURE_PLAIN = 'Hello World!!!'

/**
 * Magento 2's reading of `<version>:3:<base64>`, written out from its SodiumChachaIetf::decrypt:
 * the first 12 bytes are the nonce and the additional data, the last 16 the tag.
 */
function magento2Decrypt(value: string, keys: readonly Buffer[], aad?: Buffer): {version: number, plain: Buffer} {
  const [version, cipher, payload] = value.split(':')
  if (cipher !== '3') throw new Error(`cipher version ${cipher}`)
  const sealed = Buffer.from(payload, 'base64')
  const nonce = sealed.subarray(0, 12)
  const decipher = createDecipheriv('chacha20-poly1305', keys[Number(version)], nonce, {authTagLength: 16})
  const ciphertext = sealed.subarray(12, sealed.length - 16)
  decipher.setAAD(aad ?? nonce, {plaintextLength: ciphertext.length})
  decipher.setAuthTag(sealed.subarray(sealed.length - 16))
  return {version: Number(version), plain: Buffer.concat([decipher.update(ciphertext), decipher.final()])}
}

test('with the same nonce we write exactly what libsodium wrote for Magento 2\'s own fixtures', (t) => {
  for (const {key, sealed} of SODIUM_FIXTURES) {
    const nonce = Buffer.from(sealed, 'base64').subarray(0, 12)
    const written = encryptForMagento2(Buffer.from(FIXTURE_PLAIN), magento2Key(key), nonce)
    t.is(written, `0:3:${sealed}`, key)
  }
})

test('a value we write is read back by Magento 2\'s decryption, key version and all', (t) => {
  const key = magento2Key('6wRADHwwCBGgdxbcHhovGB0upmg0mbsN')
  const written = encryptForMagento2(Buffer.from('4111111111111111'), key)
  t.regex(written, /^0:3:[A-Za-z0-9+/]+=*$/)
  t.is(magento2Decrypt(written, [key.bytes]).plain.toString(), '4111111111111111')
})

test('the nonce is the additional data: decryption with none fails the tag check', (t) => {
  const key = magento2Key('6wRADHwwCBGgdxbcHhovGB0upmg0mbsN')
  const written = encryptForMagento2(Buffer.from('secret'), key)
  t.throws(() => magento2Decrypt(written, [key.bytes], Buffer.alloc(0)), {message: /unable to authenticate/i})
})

test('each value gets its own random nonce', (t) => {
  const key = magento2Key('6wRADHwwCBGgdxbcHhovGB0upmg0mbsN')
  t.not(encryptForMagento2(Buffer.from('same'), key), encryptForMagento2(Buffer.from('same'), key))
})

test('with several keys in crypt/key, Magento 2 encrypts with the last, and its index is the version', (t) => {
  const key = magento2Key('6wRADHwwCBGgdxbcHhovGB0upmg0mbsN\nuPuzBU067DXTM4PqEi14Sv5tbWjVcRZI  zsmVdKkwVgylxMM8ZzQ3GTv7SxvusKnJ\n')
  t.is(key.version, 2)
  t.deepEqual(key.bytes, Buffer.from('zsmVdKkwVgylxMM8ZzQ3GTv7SxvusKnJ'))
  const written = encryptForMagento2(Buffer.from('x'), key)
  t.true(written.startsWith('2:3:'))
})

test('a Magento 2.4.7 key, "base64" and the base64 of 32 bytes, is decoded before use', (t) => {
  const bytes = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex')
  const option = `base64${bytes.toString('base64')}`
  t.deepEqual(magento2KeyBytes(option), bytes)
  const key = magento2Key(option)
  t.deepEqual(key.bytes, bytes)
  t.is(magento2Decrypt(encryptForMagento2(Buffer.from('pwd'), key), [bytes]).plain.toString(), 'pwd')
})

test('a key that is not 32 bytes is refused, as libsodium would refuse it', (t) => {
  t.throws(() => magento2Key('tooshort'), {message: /8 bytes after decoding, and ChaCha20-Poly1305 takes 32/})
  t.throws(() => magento2Key(`base64${Buffer.alloc(16).toString('base64')}`), {message: /16 bytes after decoding/})
  t.throws(() => magento2Key('  \n '), {message: /holds no key/})
})
