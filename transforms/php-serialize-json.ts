/**
 * json_encode(unserialize($value)) in one pass, for the common case: reads PHP-serialized bytes
 * and writes the JSON text directly, without building PhpArray/PhpValue trees, BigInts or Maps.
 *
 * It answers only for this subset, and returns undefined for everything else:
 *   - `N;`, `b:0;`, `b:1;`
 *   - `i:<int>;` in canonical form only (`0`, or an optional `-` and no leading zero), within
 *     the 64-bit range: PHP's `+7`, `007`, `-0` and clamped out-of-range ints are left out
 *   - `d:<float>;` as the slow path reads it (same text rules), finite only: INF and NAN,
 *     which json_encode() refuses, are left out
 *   - `s:<byte length>:"<bytes>";` whose bytes are valid UTF-8 not starting with a BOM (a JS
 *     string input is read as its UTF-16 code units, the UTF-8 bytes counted against the
 *     length, so it is never copied to bytes; a lone surrogate in it is left out)
 *   - `a:<n>:{...}` with `i:` and `s:` keys, no key twice, at most MAX_DEPTH arrays deep
 * Left out: empty input, `S:`, `O:`, `C:`, `R:`, `r:`, trailing bytes, any syntax error, a
 * count the data left cannot hold, duplicate keys (PHP replaces the value in place), text that
 * is not UTF-8 (json_encode() fails) and deeper nesting.
 *
 * Why the fallback: undefined means "ask the exact two-pass path" (unserialize() then
 * phpJsonEncode() in php-serialize.ts), which knows every rarer form, PHP's warnings and the
 * reasons a value is broken. So whenever this returns a string it is byte for byte what that
 * path writes, and wherever that path fails this returns undefined, so the failure and its
 * reason stay the slow path's. Callers try this first and fall back on undefined.
 *
 * JSON as json_encode() writes it with no flags (and serialize_precision 14, as Magento 2 sets):
 * an array whose keys are 0..n-1 in order is a list `[...]`, any other a `{...}` object with
 * int keys as strings; a string key in canonical int form ("5", "-3") is that int key, as in
 * PHP; in strings `/` is `\/` and every non-ASCII UTF-16 code unit is `\uXXXX`.
 */
import {formatPhpFloat, MAGENTO_JSON_PRECISION} from './php-serialize.js'

/** Deeper arrays fall back (json_encode() refuses 512 levels; unserialize() allows 4096). */
const MAX_DEPTH = 500
/** Beyond this many keys, an object's keys are checked for duplicates with a Set. */
const LINEAR_KEYS = 16
/** A frame longer than this drops its arrays when it closes. */
const RETAINED = 64

/** The same float text rule as the slow path's unserialize(). */
const DOUBLE_TEXT = /^[+-]?([0-9]+|[0-9]*\.[0-9]+|[0-9]+\.[0-9]*)([eE][+-]?[0-9]+)?$/
/** The largest 19-digit magnitudes of a 64-bit int, positive and negative. */
const INT_MAX_DIGITS = '9223372036854775807'
const INT_MIN_DIGITS = '9223372036854775808'

const HEX = '0123456789abcdef'

function unicodeEscape(unit: number): string {
  return `\\u${HEX[(unit >> 12) & 15]!}${HEX[(unit >> 8) & 15]!}${HEX[(unit >> 4) & 15]!}${HEX[unit & 15]!}`
}

/** 1 for bytes a JSON string holds as they are: printable ASCII except `"`, `/` and `\`. */
const SAFE = new Uint8Array(256)
/** The escapes of the other ASCII bytes. */
const ASCII_ESCAPES: string[] = []
for (let byte = 0; byte < 0x80; byte++) {
  SAFE[byte] = byte >= 0x20 && byte !== 0x22 && byte !== 0x2f && byte !== 0x5c ? 1 : 0
  ASCII_ESCAPES.push(unicodeEscape(byte))
}
ASCII_ESCAPES[0x22] = '\\"'
ASCII_ESCAPES[0x5c] = '\\\\'
ASCII_ESCAPES[0x2f] = '\\/'
ASCII_ESCAPES[0x08] = '\\b'
ASCII_ESCAPES[0x0c] = '\\f'
ASCII_ESCAPES[0x0a] = '\\n'
ASCII_ESCAPES[0x0d] = '\\r'
ASCII_ESCAPES[0x09] = '\\t'

/** \uXXXX of the UTF-16 code units below 0x800 (two-byte UTF-8: Latin, Greek, Cyrillic...). */
const LOW_ESCAPES: string[] = []
for (let unit = 0; unit < 0x800; unit++) LOW_ESCAPES.push(unicodeEscape(unit))

/**
 * Whether the text being read is a JS string's own UTF-16 code units (true) or one char per
 * byte (false, from a Buffer). Set per call (this never re-enters).
 */
let wide = false

/**
 * The JSON string of the serialized string at [start, end) of `text`, where text[start - 1] and
 * text[end] are its quotes and [start, from) is known to need no escaping; undefined when the
 * bytes are not UTF-8 or start with a BOM (the slow path's UTF-8 decoder drops a leading BOM:
 * left to it).
 */
function jsonString(text: string, start: number, end: number, from: number): string | undefined {
  let i = from
  while (i < end && SAFE[text.charCodeAt(i)] === 1) i++
  // The quotes around the bytes are JSON's quotes.
  if (i === end) return text.slice(start - 1, end + 1)
  let out = '"'
  let run = start
  while (i < end) {
    const code = text.charCodeAt(i)
    if (SAFE[code] === 1) {
      i++
      continue
    }
    if (i > run) out += text.slice(run, i)
    if (code < 0x80) {
      out += ASCII_ESCAPES[code]!
      i++
    } else if (wide) {
      // A UTF-16 code unit; readString() has checked that surrogates come in pairs.
      if (code === 0xfeff && i === start) return undefined
      out += code < 0x800 ? LOW_ESCAPES[code]! : unicodeEscape(code)
      i++
    } else if (code >= 0xc2 && code <= 0xdf) {
      const b1 = i + 1 < end ? text.charCodeAt(i + 1) : 0
      if (b1 < 0x80 || b1 > 0xbf) return undefined
      out += LOW_ESCAPES[((code & 0x1f) << 6) | (b1 & 0x3f)]!
      i += 2
    } else if (code >= 0xe0 && code <= 0xef) {
      if (i + 2 >= end) return undefined
      const b1 = text.charCodeAt(i + 1)
      const b2 = text.charCodeAt(i + 2)
      if (b1 < (code === 0xe0 ? 0xa0 : 0x80) || b1 > (code === 0xed ? 0x9f : 0xbf) || b2 < 0x80 || b2 > 0xbf) return undefined
      const unit = ((code & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f)
      if (unit === 0xfeff && i === start) return undefined
      out += unicodeEscape(unit)
      i += 3
    } else if (code >= 0xf0 && code <= 0xf4) {
      if (i + 3 >= end) return undefined
      const b1 = text.charCodeAt(i + 1)
      const b2 = text.charCodeAt(i + 2)
      const b3 = text.charCodeAt(i + 3)
      if (b1 < (code === 0xf0 ? 0x90 : 0x80) || b1 > (code === 0xf4 ? 0x8f : 0xbf) || b2 < 0x80 || b2 > 0xbf || b3 < 0x80 || b3 > 0xbf) return undefined
      const point = (((code & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f)) - 0x10000
      out += unicodeEscape(0xd800 + (point >> 10)) + unicodeEscape(0xdc00 + (point & 0x3ff))
      i += 4
    } else {
      return undefined
    }
    run = i
  }
  if (run < end) out += text.slice(run, end)
  return `${out}"`
}

/**
 * An array being read. Frames are kept per depth and reused across calls (this never re-enters);
 * their arrays are written by index and never shrunk (setting `length` is slow), so entries past
 * `count` or `keyCount` are stale.
 */
class Frame {
  /** Elements still to read. */
  remaining = 0
  /** Elements read. */
  count = 0
  /** Whether the keys so far are 0..count-1 (a JSON list so far). */
  list = true
  /** The JSON between the brackets so far: `v,v,...` while a list, `"key":v,...` after. */
  body = ''
  /** The values, while a list (to write them with their keys if it stops being one). */
  values: string[] = []
  /** The encoded keys, once not a list (for duplicates). */
  keys: string[] = []
  keyCount = 0
  keySet: Set<string> | undefined = undefined
  /** The encoded key of the element being read, once not a list. */
  key = ''

  open(count: number): void {
    this.remaining = count
    this.count = 0
    this.list = true
    this.body = ''
    this.keyCount = 0
    this.keySet = undefined
  }

  /** The keys were 0..count-1 and the next is not: becomes an object. */
  toObject(): void {
    const {values, keys} = this
    let body = ''
    for (let i = 0; i < this.count; i++) {
      const key = `"${i}"`
      keys[i] = key
      body = i === 0 ? `${key}:${values[i]!}` : `${body},${key}:${values[i]!}`
    }
    this.keyCount = this.count
    this.body = body
    this.list = false
    if (this.keyCount > LINEAR_KEYS) this.keySet = new Set(keys.slice(0, this.keyCount))
  }

  /** Takes the next key (encoded) as new; false when it is there already. */
  addKey(key: string): boolean {
    const {keys, keySet} = this
    if (keySet !== undefined) {
      if (keySet.has(key)) return false
      keySet.add(key)
      return true
    }
    const keyCount = this.keyCount
    for (let i = 0; i < keyCount; i++) if (keys[i] === key) return false
    keys[keyCount] = key
    this.keyCount = keyCount + 1
    if (keyCount + 1 > LINEAR_KEYS) this.keySet = new Set(keys.slice(0, keyCount + 1))
    return true
  }

  add(value: string): void {
    if (this.list) {
      this.values[this.count] = value
      this.body = this.count === 0 ? value : `${this.body},${value}`
    } else {
      this.body = this.count === 0 ? `${this.key}:${value}` : `${this.body},${this.key}:${value}`
    }
    this.count++
  }

  close(): string {
    const json = this.list ? `[${this.body}]` : `{${this.body}}`
    this.body = ''
    this.keySet = undefined
    // A long array's strings are not kept alive until this depth is reached again.
    if (this.count > RETAINED) {
      this.values = []
      this.keys = []
    }
    return json
  }
}

const frames: Frame[] = []

// What the readers below found besides the position they return (-1: not in the subset).
/** readInt: the int's text (sign included), and its value when a small non-negative int, else -1. */
let intStart = 0
let intIndex = -1
/** readString: the string is [strStart, strEnd), and needs no escaping before strSafeTo. */
let strStart = 0
let strEnd = 0
let strSafeTo = 0

/** Unsigned digits at `at` (leading zeros allowed, as PHP reads lengths and counts): sets `number`. */
let number = 0
function readDigits(text: string, at: number): number {
  const end = text.length
  let value = 0
  let p = at
  while (p < end) {
    const c = text.charCodeAt(p)
    if (c < 0x30 || c > 0x39) break
    value = value * 10 + (c - 0x30)
    p++
  }
  // Past 15 digits a double may round: such lengths cannot fit anyway (or are zero-padded).
  if (p === at || p - at > 15) return -1
  number = value
  return p
}

/** A canonical int at `at` (after "i:"), up to and past its ";". */
function readInt(text: string, at: number): number {
  const end = text.length
  let p = at
  const negative = text.charCodeAt(p) === 0x2d
  if (negative) p++
  const first = p
  let value = 0
  while (p < end) {
    const c = text.charCodeAt(p)
    if (c < 0x30 || c > 0x39) break
    value = value * 10 + (c - 0x30)
    p++
  }
  const length = p - first
  if (length === 0 || text.charCodeAt(p) !== 0x3b) return -1
  if (text.charCodeAt(first) === 0x30 && (length > 1 || negative)) return -1
  if (length > 19) return -1
  if (length === 19 && text.slice(first, p) > (negative ? INT_MIN_DIGITS : INT_MAX_DIGITS)) return -1
  intStart = at
  intIndex = negative || length > 15 ? -1 : value
  return p + 1
}

/** s:<len>:"<bytes>"; at `at` (the "s"), past its ";". */
function readString(text: string, at: number): number {
  if (text.charCodeAt(at + 1) !== 0x3a) return -1
  const p = readDigits(text, at + 2)
  if (p < 0 || text.charCodeAt(p) !== 0x3a || text.charCodeAt(p + 1) !== 0x22) return -1
  const start = p + 2
  const length = number
  const size = text.length
  let end: number
  if (!wide) {
    if (length > size - start) return -1
    end = start + length
    strSafeTo = start
  } else {
    // The length counts UTF-8 bytes: count them over the code units (no more units than bytes).
    let i = start
    const asciiEnd = Math.min(start + length, size)
    while (i < asciiEnd && SAFE[text.charCodeAt(i)] === 1) i++
    strSafeTo = i
    let bytes = i - start
    while (bytes < length && i < size) {
      const code = text.charCodeAt(i)
      if (code < 0x80) {
        bytes++
      } else if (code < 0x800) {
        bytes += 2
      } else if (code < 0xd800 || code > 0xdfff) {
        bytes += 3
      } else if (code <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        bytes += 4
        i++
      } else {
        // A lone surrogate (its UTF-8 form would be U+FFFD's): left to the slow path.
        return -1
      }
      i++
    }
    // Fewer bytes than that, or a length that ends inside a character: broken.
    if (bytes !== length) return -1
    end = i
  }
  if (text.charCodeAt(end) !== 0x22 || text.charCodeAt(end + 1) !== 0x3b) return -1
  strStart = start
  strEnd = end
  return end + 2
}

/** The canonical small non-negative int the bytes spell ("0", "17"), else -1. */
function canonicalIndex(text: string, start: number, end: number): number {
  const length = end - start
  if (length === 0 || length > 15) return -1
  let c = text.charCodeAt(start)
  if (c === 0x30) return length === 1 ? 0 : -1
  let value = 0
  for (let p = start; p < end; p++) {
    c = text.charCodeAt(p)
    if (c < 0x30 || c > 0x39) return -1
    value = value * 10 + (c - 0x30)
  }
  return value
}

/**
 * json_encode(unserialize($input)) as PHP (and the two-pass path) writes it, or undefined when
 * the input is outside the subset described at the top of this file (including all that is
 * broken): then ask the two-pass path. A JS string is taken as its UTF-8 bytes.
 */
export function transcodeSerializedToJson(input: string | Buffer): string | undefined {
  // A JS string is read as it is (its UTF-8 bytes counted where lengths need them), a Buffer as one char per byte.
  wide = typeof input === 'string'
  const text = typeof input === 'string' ? input : input.toString('latin1')
  const end = text.length
  if (end === 0) return undefined
  let pos = 0
  let depth = 0
  let frame: Frame | undefined
  for (;;) {
    // The key, inside an array.
    if (frame !== undefined) {
      const type = text.charCodeAt(pos)
      let index: number
      let next: number
      if (type === 0x69) {
        if (text.charCodeAt(pos + 1) !== 0x3a) return undefined
        next = readInt(text, pos + 2)
        if (next < 0) return undefined
        index = intIndex
      } else if (type === 0x73) {
        next = readString(text, pos)
        if (next < 0) return undefined
        index = frame.list ? canonicalIndex(text, strStart, strEnd) : -1
      } else {
        return undefined
      }
      if (!frame.list || index !== frame.count) {
        if (frame.list) frame.toObject()
        const key = type === 0x69 ? `"${text.slice(intStart, next - 1)}"` : jsonString(text, strStart, strEnd, strSafeTo)
        if (key === undefined || !frame.addKey(key)) return undefined
        frame.key = key
      }
      pos = next
    }
    // The value.
    let value: string
    const type = text.charCodeAt(pos)
    if (type === 0x73) {
      const next = readString(text, pos)
      if (next < 0) return undefined
      const json = jsonString(text, strStart, strEnd, strSafeTo)
      if (json === undefined) return undefined
      value = json
      pos = next
    } else if (type === 0x61) {
      if (text.charCodeAt(pos + 1) !== 0x3a) return undefined
      const p = readDigits(text, pos + 2)
      if (p < 0 || text.charCodeAt(p) !== 0x3a || text.charCodeAt(p + 1) !== 0x7b) return undefined
      const count = number
      pos = p + 2
      if (count > (end - pos) / 2 || depth >= MAX_DEPTH) return undefined
      if (count > 0) {
        frame = frames[depth] ??= new Frame()
        frame.open(count)
        depth++
        continue
      }
      if (text.charCodeAt(pos) !== 0x7d) return undefined
      pos++
      value = '[]'
    } else if (type === 0x69) {
      if (text.charCodeAt(pos + 1) !== 0x3a) return undefined
      const next = readInt(text, pos + 2)
      if (next < 0) return undefined
      value = text.slice(intStart, next - 1)
      pos = next
    } else if (type === 0x4e) {
      if (text.charCodeAt(pos + 1) !== 0x3b) return undefined
      value = 'null'
      pos += 2
    } else if (type === 0x62) {
      const flag = text.charCodeAt(pos + 2)
      if (text.charCodeAt(pos + 1) !== 0x3a || (flag !== 0x30 && flag !== 0x31) || text.charCodeAt(pos + 3) !== 0x3b) return undefined
      value = flag === 0x31 ? 'true' : 'false'
      pos += 4
    } else if (type === 0x64) {
      if (text.charCodeAt(pos + 1) !== 0x3a) return undefined
      const semicolon = text.indexOf(';', pos + 2)
      if (semicolon < 0) return undefined
      const digits = text.slice(pos + 2, semicolon)
      if (!DOUBLE_TEXT.test(digits)) return undefined
      const float = Number(digits)
      if (!Number.isFinite(float)) return undefined
      // Integers below 10^14 need no rounding at 14 digits: PHP writes their digits.
      value = Number.isInteger(float) && float !== 0 && Math.abs(float) < 1e14 ? String(float) : formatPhpFloat(float, MAGENTO_JSON_PRECISION, 'e')
      pos = semicolon + 1
    } else {
      return undefined
    }
    // Hand the value to its array, closing the arrays it completes.
    for (;;) {
      if (frame === undefined) return pos === end ? value : undefined
      frame.add(value)
      if (--frame.remaining > 0) break
      if (text.charCodeAt(pos) !== 0x7d) return undefined
      pos++
      value = frame.close()
      depth--
      frame = depth > 0 ? frames[depth - 1] : undefined
    }
  }
}
