import test from 'ava'
import {Blowfish, piFractionWords} from '../../transforms/crypto/blowfish.js'

const hex = (text: string) => Buffer.from(text, 'hex')

// Eric Young's ECB test vectors, as Bruce Schneier publishes them (schneier.com, vectors.txt):
// key bytes, clear bytes, cipher bytes.
const ECB_VECTORS: readonly (readonly [string, string, string])[] = [
  ['0000000000000000', '0000000000000000', '4EF997456198DD78'],
  ['FFFFFFFFFFFFFFFF', 'FFFFFFFFFFFFFFFF', '51866FD5B85ECB8A'],
  ['3000000000000000', '1000000000000001', '7D856F9A613063F2'],
  ['1111111111111111', '1111111111111111', '2466DD878B963C9D'],
  ['0123456789ABCDEF', '1111111111111111', '61F9C3802281B096'],
  ['1111111111111111', '0123456789ABCDEF', '7D0CC630AFDA1EC7'],
  ['FEDCBA9876543210', '0123456789ABCDEF', '0ACEAB0FC6A0A28D'],
  ['7CA110454A1A6E57', '01A1D6D039776742', '59C68245EB05282B'],
  ['0131D9619DC1376E', '5CD54CA83DEF57DA', 'B1B8CC0B250F09A0'],
  ['07A1133E4A0B2686', '0248D43806F67172', '1730E5778BEA1DA4'],
  ['3849674C2602319E', '51454B582DDF440A', 'A25E7856CF2651EB'],
  ['04B915BA43FEB5B6', '42FD443059577FA2', '353882B109CE8F1A'],
  ['0113B970FD34F2CE', '059B5E0851CF143A', '48F4D0884C379918'],
  ['0170F175468FB5E6', '0756D8E0774761D2', '432193B78951FC98'],
  ['43297FAD38E373FE', '762514B829BF486A', '13F04154D69D1AE5'],
  ['07A7137045DA2A16', '3BDD119049372802', '2EEDDA93FFD39C79'],
  ['04689104C2FD3B2F', '26955F6835AF609A', 'D887E0393C2DA6E3'],
  ['37D06BB516CB7546', '164D5E404F275232', '5F99D04F5B163969'],
  ['1F08260D1AC2465E', '6B056E18759F5CCA', '4A057A3B24D3977B'],
  ['584023641ABA6176', '004BD6EF09176062', '452031C1E4FADA8E'],
  ['025816164629B007', '480D39006EE762F2', '7555AE39F59B87BD'],
  ['49793EBC79B3258F', '437540C8698F3CFA', '53C55F9CB49FC019'],
  ['4FB05E1515AB73A7', '072D43A077075292', '7A8E7BFA937E89A3'],
  ['49E95D6D4CA229BF', '02FE55778117F12A', 'CF9C5D7A4986ADB5'],
  ['018310DC409B26D6', '1D9D5C5018F728C2', 'D1ABB290658BC778'],
  ['1C587F1C13924FEF', '305532286D6F295A', '55CB3774D13EF201'],
  ['0101010101010101', '0123456789ABCDEF', 'FA34EC4847B268B2'],
  ['1F1F1F1F0E0E0E0E', '0123456789ABCDEF', 'A790795108EA3CAE'],
  ['E0FEE0FEF1FEF1FE', '0123456789ABCDEF', 'C39E072D9FAC631D'],
  ['0000000000000000', 'FFFFFFFFFFFFFFFF', '014933E0CDAFF6E4'],
  ['FFFFFFFFFFFFFFFF', '0000000000000000', 'F21E9A77B71C49BC'],
  ['0123456789ABCDEF', '0000000000000000', '245946885754369A'],
  ['FEDCBA9876543210', 'FFFFFFFFFFFFFFFF', '6B5C5A9C5D9E0A5A'],
]

// The same file's set_key data: plaintext FEDCBA9876543210 under the first n bytes of this key.
const SET_KEY_PLAIN = 'FEDCBA9876543210'
const SET_KEY = 'F0E1D2C3B4A5968778695A4B3C2D1E0F0011223344556677'
const SET_KEY_CIPHERS = [
  'F9AD597C49DB005E', 'E91D21C1D961A6D6', 'E9C2B70A1BC65CF3', 'BE1E639408640F05', 'B39E44481BDB1E6E',
  '9457AA83B1928C0D', '8BB77032F960629D', 'E87A244E2CC85E82', '15750E7A4F4EC577', '122BA70B3AB64AE0',
  '3A833C9AFFC537F6', '9409DA87A90F6BF2', '884F80625060B8B4', '1F85031C19E11968', '79D9373A714CA34F',
  '93142887EE3BE15C', '03429E838CE2D14B', 'A4299E27469FF67B', 'AFD5AED1C1BC96A8', '10851C0E3858DA9F',
  'E6F51ED79B9DB21F', '64A6E14AFD36B46F', '80C7D7D45A5479AD', '05044B62FA52D080',
]

test('the digits of pi give Schneier\'s published P-array and S-box words', (t) => {
  const words = piFractionWords(18 + 1024)
  // P1, P2 and P18 of the P-array; S1's first two entries; S4's last entry.
  t.is(words[0], 0x243f6a88)
  t.is(words[1], 0x85a308d3)
  t.is(words[17], 0x8979fb1b)
  t.is(words[18], 0xd1310ba6)
  t.is(words[19], 0x98dfb5ac)
  t.is(words[18 + 1023], 0x3ac372e6)
})

test('Eric Young\'s ECB vectors: each clear block encrypts to its cipher block and back', (t) => {
  for (const [key, clear, cipher] of ECB_VECTORS) {
    const blowfish = new Blowfish(hex(key))
    t.is(blowfish.encryptEcb(hex(clear)).toString('hex').toUpperCase(), cipher, `key ${key}, clear ${clear}`)
    t.is(blowfish.decryptEcb(hex(cipher)).toString('hex').toUpperCase(), clear, `key ${key}, cipher ${cipher}`)
  }
})

test('Eric Young\'s set_key vectors: keys of 1 to 24 bytes are cycled through the P-array', (t) => {
  SET_KEY_CIPHERS.forEach((cipher, index) => {
    const key = hex(SET_KEY).subarray(0, index + 1)
    t.is(new Blowfish(key).encryptEcb(hex(SET_KEY_PLAIN)).toString('hex').toUpperCase(), cipher, `${index + 1}-byte key`)
  })
})

test('a value PHP\'s mcrypt wrote with MCRYPT_BLOWFISH in ECB mode decrypts to its NUL-padded text', (t) => {
  // Magento 2's Encryption/Test/Unit/Crypt/_files/_crypt_fixtures.php, entry 15: a 56-byte key,
  // 'Hello world!!!' encrypted by mcrypt, which padded it with NUL bytes to two blocks.
  const blowfish = new Blowfish(Buffer.from('72f761d4c435986911087485b8664d40b28d12f818eca42edf84fecd'))
  const padded = Buffer.concat([Buffer.from('Hello world!!!'), Buffer.alloc(2)])
  t.deepEqual(blowfish.decryptEcb(Buffer.from('UObRTUnq3jCNZjJOxwNubA==', 'base64')), padded)
  t.is(blowfish.encryptEcb(padded).toString('base64'), 'UObRTUnq3jCNZjJOxwNubA==')
})

test('several blocks are enciphered one by one: ECB repeats a repeated block', (t) => {
  const blowfish = new Blowfish(hex('0000000000000000'))
  const twice = blowfish.encryptEcb(Buffer.alloc(16))
  t.is(twice.toString('hex').toUpperCase(), '4EF997456198DD78'.repeat(2))
})

test('keys of no bytes or more than 56 bytes are refused', (t) => {
  t.throws(() => new Blowfish(Buffer.alloc(0)), {message: /1 to 56 bytes, got 0/})
  t.throws(() => new Blowfish(Buffer.alloc(57, 1)), {message: /1 to 56 bytes, got 57/})
  t.notThrows(() => new Blowfish(Buffer.alloc(56, 1)))
})

test('data that is not whole 8-byte blocks is refused rather than padded silently', (t) => {
  t.throws(() => new Blowfish(hex('00')).decryptEcb(Buffer.alloc(9)), {message: /whole 8-byte blocks, got 9 bytes/})
})
