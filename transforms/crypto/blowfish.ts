/**
 * Blowfish (Schneier, 1993): a 64-bit block cipher with a 1 to 56 byte key, in ECB mode. Magento 1
 * encrypted its secrets with it (mcrypt's MCRYPT_BLOWFISH), and Node's OpenSSL 3 no longer offers
 * it, so we carry our own. Blocks are read big-endian, as in Schneier's reference code and in
 * Eric Young's test vectors.
 *
 * The cipher's initial P-array and S-boxes are the hexadecimal digits of pi's fractional part:
 * P[0..17], then S1[0..255], S2, S3 and S4, 1042 words of 32 bits. Instead of a pasted table we
 * compute those digits once, on first use, and check known words of the result.
 */

const BLOCK = 8
const ROUNDS = 16
const P_WORDS = ROUNDS + 2
const S_WORDS = 4 * 256
export const MAX_KEY_BYTES = 56

/** Guard bits below the digits we keep: each series term rounds down by less than one unit. */
const GUARD_BITS = 64n

/** atan(1/x) · 2^bits, by its Taylor series, each term rounded down. */
function arctanInverse(x: bigint, bits: bigint): bigint {
  const xSquared = x * x
  let power = (1n << bits) / x
  let sum = power
  for (let n = 3n, sign = -1n; power !== 0n; n += 2n, sign = -sign) {
    power /= xSquared
    sum += sign * (power / n)
  }
  return sum
}

/**
 * The first `count` 32-bit words of pi's fractional part, by Machin's formula
 * pi = 16·atan(1/5) − 4·atan(1/239) in fixed point with guard bits.
 */
export function piFractionWords(count: number): Uint32Array {
  const bits = BigInt(count * 32)
  const scale = bits + GUARD_BITS
  const pi = 16n * arctanInverse(5n, scale) - 4n * arctanInverse(239n, scale)
  const fraction = (pi - (3n << scale)) >> GUARD_BITS
  const hex = fraction.toString(16).padStart(count * 8, '0')
  const words = new Uint32Array(count)
  for (let i = 0; i < count; i++) words[i] = Number.parseInt(hex.slice(i * 8, i * 8 + 8), 16)
  return words
}

let initial: Uint32Array | undefined

/** P-array then S-boxes, computed once; a wrong digit would break every value, so we check. */
function initialState(): Uint32Array {
  if (initial) return initial
  const words = piFractionWords(P_WORDS + S_WORDS)
  // Schneier's table: P1 = 0x243F6A88, P2 = 0x85A308D3, and S4's last entry is 0x3AC372E6.
  if (words[0] !== 0x243f6a88 || words[1] !== 0x85a308d3 || words[P_WORDS + S_WORDS - 1] !== 0x3ac372e6) {
    throw new Error('Blowfish: the computed digits of pi do not match the published table')
  }
  initial = words
  return words
}

export class Blowfish {
  private readonly p: Uint32Array
  private readonly s: Uint32Array
  private readonly pair = new Uint32Array(2)

  constructor(key: Uint8Array) {
    if (key.length < 1 || key.length > MAX_KEY_BYTES) {
      throw new RangeError(`Blowfish: the key must be 1 to ${MAX_KEY_BYTES} bytes, got ${key.length}`)
    }
    const state = initialState()
    this.p = state.slice(0, P_WORDS)
    this.s = state.slice(P_WORDS)
    this.schedule(key)
  }

  /** Schneier's key schedule: XOR the key (cycled) into P, then replace P and S by encryptions. */
  private schedule(key: Uint8Array): void {
    let at = 0
    for (let i = 0; i < P_WORDS; i++) {
      let word = 0
      for (let k = 0; k < 4; k++) {
        word = ((word << 8) | key[at]) >>> 0
        at = (at + 1) % key.length
      }
      this.p[i] = (this.p[i] ^ word) >>> 0
    }
    const pair = this.pair
    pair[0] = 0
    pair[1] = 0
    for (let i = 0; i < P_WORDS; i += 2) {
      this.encryptPair(pair)
      this.p[i] = pair[0]
      this.p[i + 1] = pair[1]
    }
    for (let i = 0; i < S_WORDS; i += 2) {
      this.encryptPair(pair)
      this.s[i] = pair[0]
      this.s[i + 1] = pair[1]
    }
  }

  private f(x: number): number {
    const s = this.s
    const sum = (s[x >>> 24] + s[256 + ((x >>> 16) & 0xff)]) >>> 0
    return (((sum ^ s[512 + ((x >>> 8) & 0xff)]) >>> 0) + s[768 + (x & 0xff)]) >>> 0
  }

  private encryptPair(pair: Uint32Array): void {
    let left = pair[0]
    let right = pair[1]
    for (let i = 0; i < ROUNDS; i++) {
      left = (left ^ this.p[i]) >>> 0
      right = (right ^ this.f(left)) >>> 0
      ;[left, right] = [right, left]
    }
    pair[0] = (right ^ this.p[ROUNDS + 1]) >>> 0
    pair[1] = (left ^ this.p[ROUNDS]) >>> 0
  }

  private decryptPair(pair: Uint32Array): void {
    let left = pair[0]
    let right = pair[1]
    for (let i = ROUNDS + 1; i > 1; i--) {
      left = (left ^ this.p[i]) >>> 0
      right = (right ^ this.f(left)) >>> 0
      ;[left, right] = [right, left]
    }
    pair[0] = (right ^ this.p[0]) >>> 0
    pair[1] = (left ^ this.p[1]) >>> 0
  }

  /** ECB over whole blocks; the caller pads (Magento 1 padded with NUL bytes). */
  encryptEcb(data: Uint8Array): Buffer {
    return this.ecb(data, (pair) => this.encryptPair(pair))
  }

  decryptEcb(data: Uint8Array): Buffer {
    return this.ecb(data, (pair) => this.decryptPair(pair))
  }

  private ecb(data: Uint8Array, cipher: (pair: Uint32Array) => void): Buffer {
    if (data.length % BLOCK !== 0) throw new RangeError(`Blowfish: ECB data must be whole ${BLOCK}-byte blocks, got ${data.length} bytes`)
    const input = Buffer.from(data.buffer, data.byteOffset, data.length)
    const output = Buffer.alloc(data.length)
    const pair = new Uint32Array(2)
    for (let at = 0; at < data.length; at += BLOCK) {
      pair[0] = input.readUInt32BE(at)
      pair[1] = input.readUInt32BE(at + 4)
      cipher(pair)
      output.writeUInt32BE(pair[0], at)
      output.writeUInt32BE(pair[1], at + 4)
    }
    return output
  }
}

export const BLOWFISH_BLOCK_BYTES = BLOCK
