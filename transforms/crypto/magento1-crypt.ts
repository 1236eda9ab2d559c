/**
 * Reads values Magento 1 encrypted (Mage_Core_Model_Encryption, and Enterprise_Pci_Model_Encryption
 * in Magento 1 Enterprise), back to their plain bytes. Magento 1 used PHP's mcrypt; what mcrypt
 * did beyond the bare cipher is kept here, since the values were written that way:
 *
 * - data is padded with NUL bytes to whole blocks (and so is ciphertext of a broken length);
 * - a Rijndael-128 (AES) key is padded with NUL bytes to the next AES key size, 16, 24 or 32
 *   bytes: a 32-character Magento 1 key makes AES-256;
 * - a CBC initialization vector is used as its text's bytes, cut or NUL-padded to one block.
 *
 * Value formats, by the number of ':'-separated parts (base64 has no ':', so they cannot mix):
 *
 * | value                               | written by                 | cipher                       |
 * |-------------------------------------|----------------------------|------------------------------|
 * | `base64`                            | Magento 1 Community        | Blowfish ECB, key 0          |
 * | `cipher:base64`                     | (read by Enterprise)       | by cipher version, key 0     |
 * | `keyVersion:cipher:base64`          | older Magento 1 Enterprise | by cipher version            |
 * | `keyVersion:cipher:iv:base64`       | Magento 1 Enterprise 1.14  | Rijndael-128 (AES) CBC       |
 *
 * Cipher versions are Enterprise's: 0 Blowfish ECB, 1 Rijndael-128 ECB, 2 Rijndael-128 CBC (named
 * RIJNDAEL_256 there, yet it set MCRYPT_RIJNDAEL_128). Enterprise keeps several keys, oldest first,
 * separated by whitespace in local.xml, and the key version is the index of the one used.
 */
import {createDecipheriv} from 'node:crypto'
import {Blowfish, BLOWFISH_BLOCK_BYTES, MAX_KEY_BYTES} from './blowfish.js'

const AES_BLOCK_BYTES = 16
const AES_KEY_SIZES = [16, 24, 32] as const

/** What a value asks for: which key, which cipher, and the encrypted bytes. */
export interface Magento1Envelope {
  readonly keyVersion: number
  readonly cipher: 'blowfish-ecb' | 'aes-ecb' | 'aes-cbc'
  readonly iv?: string
  readonly data: Buffer
}

/** Magento 1's keys from the crypt_key option: one key, or Enterprise's list, oldest first. */
export function magento1Keys(option: string): Buffer[] {
  return option.trim().split(/\s+/).filter((key) => key !== '').map((key) => Buffer.from(key, 'utf8'))
}

/** Why Magento 1 could not have encrypted anything with this key, or undefined when it could. */
export function magento1KeyProblem(key: Buffer): string | undefined {
  // Varien_Crypt_Mcrypt refused keys longer than the cipher's maximum (56 bytes for Blowfish).
  if (key.length > MAX_KEY_BYTES) return `it is ${key.length} bytes long, and Magento 1 refused keys over ${MAX_KEY_BYTES} bytes`
  // mcrypt stretched keys of 1 to 3 bytes in a way we do not reproduce; Magento's keys are 32 characters.
  if (key.length < 4) return `it is ${key.length} bytes long; keys under 4 bytes are not supported`
  return undefined
}

/** PHP's explode($separator, $text, $limit) for a positive limit: the last part keeps the rest. */
function explode(text: string, separator: string, limit: number): string[] {
  const parts: string[] = []
  let rest = text
  while (parts.length < limit - 1) {
    const at = rest.indexOf(separator)
    if (at < 0) break
    parts.push(rest.slice(0, at))
    rest = rest.slice(at + separator.length)
  }
  parts.push(rest)
  return parts
}

/** PHP's (int) cast of text: its leading integer, or 0. */
function phpInt(text: string): number {
  const match = /^[ \t\n\r\v\f]*[+-]?\d+/.exec(text)
  return match ? Number.parseInt(match[0], 10) : 0
}

/** PHP's lenient base64_decode: characters outside the alphabet, '=' included, are skipped. */
export function phpBase64Decode(text: string): Buffer {
  return Buffer.from(text.replace(/[^A-Za-z0-9+/]/g, ''), 'base64')
}

function cipherOf(version: number, text: string): Magento1Envelope['cipher'] {
  switch (version) {
    case 0: return 'blowfish-ecb'
    case 1: return 'aes-ecb'
    case 2: throw new Error(`cipher version 2 (Rijndael-128 CBC) needs an initialization vector, and "${text}" has none`)
    default: throw new Error(`cipher version ${version} is not one Magento 1 wrote (0, 1 or 2)`)
  }
}

/** Splits a Magento 1 value into key version, cipher, IV and encrypted bytes. */
export function parseMagento1Value(text: string): Magento1Envelope {
  const parts = explode(text, ':', 4)
  switch (parts.length) {
    case 4: return {keyVersion: phpInt(parts[0]), cipher: 'aes-cbc', iv: parts[2], data: phpBase64Decode(parts[3])}
    case 3: return {keyVersion: phpInt(parts[0]), cipher: cipherOf(phpInt(parts[1]), text), data: phpBase64Decode(parts[2])}
    case 2: return {keyVersion: 0, cipher: cipherOf(phpInt(parts[0]), text), data: phpBase64Decode(parts[1])}
    default: return {keyVersion: 0, cipher: 'blowfish-ecb', data: phpBase64Decode(parts[0])}
  }
}

function zeroPadded(data: Buffer, block: number): Buffer {
  const extra = data.length % block
  return extra === 0 ? data : Buffer.concat([data, Buffer.alloc(block - extra)])
}

/** mcrypt's Rijndael-128 key: NUL-padded up to the next AES key size. */
function aesKey(key: Buffer): Buffer {
  const size = AES_KEY_SIZES.find((candidate) => key.length <= candidate)
  if (size === undefined) throw new Error(`the key is ${key.length} bytes, and Rijndael-128 takes at most 32`)
  return zeroPadded(key, size)
}

function aesDecrypt(mode: 'ecb' | 'cbc', key: Buffer, iv: string | undefined, data: Buffer): Buffer {
  const aes = aesKey(key)
  const vector = mode === 'cbc' ? zeroPadded(Buffer.from(iv ?? '', 'utf8'), AES_BLOCK_BYTES).subarray(0, AES_BLOCK_BYTES) : null
  const decipher = createDecipheriv(`aes-${aes.length * 8}-${mode}`, aes, vector)
  decipher.setAutoPadding(false)
  return Buffer.concat([decipher.update(zeroPadded(data, AES_BLOCK_BYTES)), decipher.final()])
}

const PHP_TRIMMED = new Set([0x20, 0x09, 0x0a, 0x0d, 0x00, 0x0b])

/** PHP's trim() on bytes: spaces, tabs, newlines, NUL and vertical tab off both ends. */
function phpTrimBytes(bytes: Buffer): Buffer {
  let start = 0
  let end = bytes.length
  while (start < end && PHP_TRIMMED.has(bytes[start])) start++
  while (end > start && PHP_TRIMMED.has(bytes[end - 1])) end--
  return bytes.subarray(start, end)
}

/**
 * Decrypts Magento 1 values with Magento 1's keys (by version). Each key's Blowfish schedule is
 * computed once: it costs 521 block encryptions, too many to repeat for every value.
 */
export class Magento1Decryptor {
  private readonly blowfish = new Map<number, Blowfish>()

  constructor(private readonly keys: readonly Buffer[]) {}

  /**
   * The plain bytes of a Magento 1 value, as Magento 1 itself read them: decrypted, trimmed like
   * PHP's trim(), and without NUL bytes (its decrypt() removed them all, padding or not).
   * Fails naming what is wrong with the value.
   */
  decrypt(text: string): Buffer {
    const envelope = parseMagento1Value(text)
    const key = this.keys[envelope.keyVersion]
    if (!key) {
      const count = this.keys.length
      throw new Error(`the value was encrypted with Magento 1 key version ${envelope.keyVersion}, and crypt_key holds ${count} key${count === 1 ? '' : 's'} (versions 0 to ${count - 1})`)
    }
    if (envelope.data.length === 0) return Buffer.alloc(0)
    let plain: Buffer
    switch (envelope.cipher) {
      case 'blowfish-ecb': plain = this.blowfishFor(envelope.keyVersion, key).decryptEcb(zeroPadded(envelope.data, BLOWFISH_BLOCK_BYTES)); break
      case 'aes-ecb': plain = aesDecrypt('ecb', key, undefined, envelope.data); break
      case 'aes-cbc': plain = aesDecrypt('cbc', key, envelope.iv, envelope.data); break
    }
    const trimmed = phpTrimBytes(plain)
    return trimmed.includes(0) ? Buffer.from(trimmed.filter((byte) => byte !== 0)) : trimmed
  }

  private blowfishFor(version: number, key: Buffer): Blowfish {
    let cipher = this.blowfish.get(version)
    if (!cipher) {
      cipher = new Blowfish(key)
      this.blowfish.set(version, cipher)
    }
    return cipher
  }
}
