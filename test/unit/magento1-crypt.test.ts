import {createCipheriv} from 'node:crypto'
import test from 'ava'
import {Blowfish} from '../../transforms/crypto/blowfish.js'
import {Magento1Decryptor, magento1KeyProblem, magento1Keys, parseMagento1Value, phpBase64Decode} from '../../transforms/crypto/magento1-crypt.js'

const M1_KEY = '3f8a5c1e9b7d2046a1c3e5f708192a3b'

/** What Magento 1 Community stored: Blowfish ECB over the NUL-padded text, in base64. */
function communityValue(plain: string, key = M1_KEY): string {
  const bytes = Buffer.from(plain)
  const padded = Buffer.concat([bytes, Buffer.alloc((8 - (bytes.length % 8)) % 8)])
  return new Blowfish(Buffer.from(key)).encryptEcb(padded).toString('base64')
}

/** AES over NUL-padded text, with the key NUL-padded to the AES size `bits` (as mcrypt padded it). */
function aes(mode: 'ecb' | 'cbc', bits: number, key: string, iv: string | null, plain: string): string {
  const bytes = Buffer.from(plain)
  const padded = Buffer.concat([bytes, Buffer.alloc((16 - (bytes.length % 16)) % 16)])
  const cipher = createCipheriv(`aes-${bits}-${mode}`, Buffer.concat([Buffer.from(key), Buffer.alloc(bits / 8 - key.length)]), iv === null ? null : Buffer.from(iv))
  cipher.setAutoPadding(false)
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64')
}

const decrypt = (value: string, option = M1_KEY) => new Magento1Decryptor(magento1Keys(option)).decrypt(value).toString('utf8')

// Magento 2's Encryption/Test/Unit/Crypt/_files/_crypt_fixtures.php: values PHP's mcrypt wrote
// for 'Hello world!!!' (entries 15, 20 and 21: Blowfish ECB, Rijndael-128 ECB and CBC).
test('mcrypt\'s Blowfish ECB value, the Community format, decrypts without its NUL padding', (t) => {
  t.is(decrypt('UObRTUnq3jCNZjJOxwNubA==', '72f761d4c435986911087485b8664d40b28d12f818eca42edf84fecd'), 'Hello world!!!')
})

test('mcrypt\'s Rijndael-128 ECB value with a 32-character key (AES-256), as keyVersion:1:data', (t) => {
  t.is(decrypt('0:1:dYsG1NhOM0lvXj32RqXJuw==', '6f326ec41c0e1d17fc030018043c0862'), 'Hello world!!!')
})

test('mcrypt\'s Rijndael-128 CBC value, as Enterprise 1.14 wrote it: keyVersion:2:iv:data', (t) => {
  t.is(decrypt('0:2:11e5244c25e3cdc2:5rMjKp16UzjD1rxcTFqNfg==', '7891bd79c8bae053e795733dd6b99d4e'), 'Hello world!!!')
})

test('a value we encrypt with Blowfish the way Magento 1 did reads back, several blocks long', (t) => {
  const secret = 'a gateway password that spans five Blowfish blocks'
  t.is(decrypt(communityValue(secret)), secret)
})

test('a four-part value is AES-CBC whatever its cipher field says, with the IV\'s text as bytes', (t) => {
  const iv = '0123456789abcdef'
  t.is(decrypt(`0:2:${iv}:${aes('cbc', 256, M1_KEY, iv, 'pass word')}`), 'pass word')
})

test('mcrypt\'s key padding: a 20-byte key makes AES-192 with the key NUL-padded to 24 bytes', (t) => {
  const key = 'twenty-bytes-key!!!!'
  t.is(decrypt(`0:1:${aes('ecb', 192, key, null, 'short key')}`, key), 'short key')
})

test('an IV shorter than a block is NUL-padded, as mcrypt did', (t) => {
  t.is(decrypt(`0:2:abc:${aes('cbc', 256, M1_KEY, 'abc\0\0\0\0\0\0\0\0\0\0\0\0\0', 'iv')}`), 'iv')
})

test('Enterprise\'s rotated keys: the key version picks the key from the list, oldest first', (t) => {
  const old = M1_KEY
  const current = 'b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6'
  const iv = 'fedcba9876543210'
  const option = `${old}\n${current}`
  t.is(decrypt(`1:2:${iv}:${aes('cbc', 256, current, iv, 'new')}`, option), 'new')
  t.is(decrypt(`0:2:${iv}:${aes('cbc', 256, old, iv, 'old')}`, option), 'old')
  // A bare Blowfish value has no version: Enterprise read it with key 0.
  t.is(decrypt(communityValue('bare', old), option), 'bare')
})

test('a key version crypt_key does not hold is an error that says how many keys it holds', (t) => {
  t.throws(() => decrypt('1:2:0123456789abcdef:AAAAAAAAAAAAAAAAAAAAAA=='), {message: /key version 1, and crypt_key holds 1 key \(versions 0 to 0\)/})
})

test('the plain text is trimmed like PHP\'s trim() and loses its NUL bytes, as Magento 1 read it', (t) => {
  t.is(decrypt(communityValue(' \t padded \n')), 'padded')
  t.is(decrypt(communityValue('in\0side')), 'inside')
})

test('a value with nothing encrypted decrypts to nothing', (t) => {
  t.is(decrypt('0:2:0123456789abcdef:'), '')
})

test('cipher version 2 without an IV, and cipher versions Magento 1 never wrote, are errors', (t) => {
  t.throws(() => parseMagento1Value('0:2:AAAA'), {message: /needs an initialization vector/})
  t.throws(() => parseMagento1Value('0:7:AAAA'), {message: /cipher version 7 is not one Magento 1 wrote/})
})

test('the parts of a value: explode with a limit of 4 keeps any further ":" in the data', (t) => {
  const envelope = parseMagento1Value('3:2:iv:QUJD:REVG')
  t.is(envelope.keyVersion, 3)
  t.is(envelope.cipher, 'aes-cbc')
  t.is(envelope.iv, 'iv')
  t.is(envelope.data.toString(), 'ABCDEF')
  t.deepEqual(parseMagento1Value('1:QUJD'), {keyVersion: 0, cipher: 'aes-ecb', data: Buffer.from('ABC')})
})

test('base64 is decoded as PHP does: characters outside the alphabet, "=" included, are skipped', (t) => {
  t.is(phpBase64Decode('QU\nJD\r\nRE=VG').toString(), 'ABCDEF')
})

test('crypt_key holds one key or several separated by whitespace', (t) => {
  t.deepEqual(magento1Keys(`  ${M1_KEY}  `), [Buffer.from(M1_KEY)])
  t.deepEqual(magento1Keys('k0001\n  k0002\tk0003').map(String), ['k0001', 'k0002', 'k0003'])
})

test('keys Magento 1 could not have used are named with the reason', (t) => {
  t.regex(magento1KeyProblem(Buffer.alloc(57, 0x61)) ?? '', /57 bytes long, and Magento 1 refused keys over 56 bytes/)
  t.regex(magento1KeyProblem(Buffer.from('abc')) ?? '', /3 bytes long/)
  t.is(magento1KeyProblem(Buffer.from(M1_KEY)), undefined)
})
