/**
 * Encrypts a value the way Magento 2 (2.3 and later) writes it, so Magento 2's
 * `Magento\Framework\Encryption\Encryptor::decrypt()` reads it back:
 *
 *     <keyVersion>:3:<base64(nonce ‖ ciphertext ‖ tag)>
 *
 * Cipher version 3 is ChaCha20-Poly1305 in its IETF form (RFC 8439): libsodium's
 * `crypto_aead_chacha20poly1305_ietf_encrypt(plain, additionalData = nonce, nonce, key)`, with a
 * random 12-byte nonce that is also the additional data, and a 16-byte tag. The key is the
 * deployment key's 32 bytes, and the key version is its index in env.php's `crypt/key` list
 * (whitespace-separated, oldest first): Magento 2 encrypts with the last one.
 *
 * Magento 2.4.7 and later write new keys as `base64` followed by the base64 of 32 random bytes;
 * Magento decodes such a key before use, and so do we. Older keys are 32 characters used as bytes.
 */
import {createCipheriv, randomBytes} from 'node:crypto'

export const MAGENTO2_CIPHER_VERSION = 3
export const NONCE_BYTES = 12
export const TAG_BYTES = 16
export const KEY_BYTES = 32
const ENCODED_KEY_PREFIX = 'base64'

export interface Magento2Key {
  /** The index of the key in env.php's crypt/key list. */
  readonly version: number
  readonly bytes: Buffer
}

/** A key as Magento 2 uses it: `base64…` keys decoded, others as their bytes. */
export function magento2KeyBytes(key: string): Buffer {
  if (key.startsWith(ENCODED_KEY_PREFIX)) return Buffer.from(key.slice(ENCODED_KEY_PREFIX.length), 'base64')
  return Buffer.from(key, 'utf8')
}

/**
 * The key Magento 2 encrypts with, from the value of env.php's crypt/key: its last key, whose
 * version is its index. Fails when there is no key or the key is not 32 bytes, as libsodium would.
 */
export function magento2Key(cryptKey: string): Magento2Key {
  const keys = cryptKey.trim().split(/\s+/).filter((key) => key !== '')
  if (keys.length === 0) throw new Error('it holds no key')
  const version = keys.length - 1
  const bytes = magento2KeyBytes(keys[version])
  if (bytes.length !== KEY_BYTES) {
    throw new Error(`its key (version ${version}) is ${bytes.length} bytes after decoding, and ChaCha20-Poly1305 takes ${KEY_BYTES}: a 32-character key, or "base64" followed by the base64 of 32 bytes`)
  }
  return {version, bytes}
}

/** Magento 2's encrypted form of `plain`. The nonce is random unless given (tests give one). */
export function encryptForMagento2(plain: Uint8Array, key: Magento2Key, nonce: Uint8Array = randomBytes(NONCE_BYTES)): string {
  if (nonce.length !== NONCE_BYTES) throw new RangeError(`the nonce must be ${NONCE_BYTES} bytes, got ${nonce.length}`)
  const cipher = createCipheriv('chacha20-poly1305', key.bytes, nonce, {authTagLength: TAG_BYTES})
  cipher.setAAD(nonce, {plaintextLength: plain.length})
  const sealed = Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()])
  return `${key.version}:${MAGENTO2_CIPHER_VERSION}:${sealed.toString('base64')}`
}
