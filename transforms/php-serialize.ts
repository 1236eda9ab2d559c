/**
 * PHP's unserialize() and serialize(), byte for byte, for the values Magento 1 stores, and PHP's
 * json_encode() of what unserialize() gives: the DMT's SerializeToJson handlers are
 * `json_encode(unserialize($value))`, so all three must agree with PHP exactly.
 *
 * Values (PhpValue): PHP null, bool, int (a bigint: PHP ints are 64-bit), float (a number), string
 * (a JS string when its bytes are valid UTF-8, else a Buffer of the bytes: PHP strings are bytes),
 * array (PhpArray: ordered keys, int or string, as PHP keeps them) and object (PhpObject).
 *
 * Failures are answers, not exceptions: unserialize() returns {ok: false, reason, offset} where
 * PHP's unserialize() returns false with "Error at offset"; what PHP only warns about (trailing
 * data, an int out of range, a C: object no class can read) comes back in `warnings` with the
 * value PHP returns. The DMT runs under Magento's error handler, which turns every warning into
 * an exception, so its handlers treat a warning as broken data; `@unserialize` ignores them.
 */

export type PhpString = string | Buffer
export type PhpKey = bigint | PhpString
export type PhpValue = null | boolean | bigint | number | PhpString | PhpArray | PhpObject

const INT_MIN = -(2n ** 63n)
const INT_MAX = 2n ** 63n - 1n
/** PHP's default unserialize_max_depth. */
const MAX_UNSERIALIZE_DEPTH = 4096
/** json_encode()'s default depth. */
const MAX_JSON_DEPTH = 512
/** Magento 2's app/bootstrap.php sets serialize_precision to 14, and json_encode() uses it. */
export const MAGENTO_JSON_PRECISION = 14

// ignoreBOM: a leading U+FEFF is part of a PHP string, not a marker to drop.
const utf8 = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true})

/** Bytes as a JS string when they are valid UTF-8 (what JSON can hold), else the bytes themselves. */
function decodeString(bytes: Buffer): PhpString {
  let ascii = true
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! >= 0x80) {
      ascii = false
      break
    }
  }
  if (ascii) return bytes.toString('latin1')
  try {
    return utf8.decode(bytes)
  } catch {
    return Buffer.from(bytes)
  }
}

function stringBytes(value: PhpString): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value
}

/** A Buffer that holds valid UTF-8 is the same PHP string as its text: one form per string. */
function normalString(value: PhpString): PhpString {
  return typeof value === 'string' ? value : decodeString(value)
}

function indexKey(key: PhpKey): string {
  if (typeof key === 'bigint') return `i${key}`
  return typeof key === 'string' ? `s${key}` : `b${key.toString('latin1')}`
}

/** A PHP array: keys in insertion order; setting an existing key replaces its value in place. */
export class PhpArray {
  private readonly keyList: PhpKey[] = []
  private readonly valueList: PhpValue[] = []
  private readonly index = new Map<string, number>()

  /** A list: keys 0..n-1. */
  static list(values: readonly PhpValue[]): PhpArray {
    const array = new PhpArray()
    values.forEach((value, i) => array.set(BigInt(i), value))
    return array
  }

  /** From [key, value] pairs; a number key is taken as a PHP int. */
  static of(entries: ReadonlyArray<readonly [PhpKey | number, PhpValue]>): PhpArray {
    const array = new PhpArray()
    for (const [key, value] of entries) array.set(typeof key === 'number' ? BigInt(key) : key, value)
    return array
  }

  get size(): number {
    return this.keyList.length
  }

  set(key: PhpKey, value: PhpValue): void {
    const normal = typeof key === 'bigint' ? key : normalString(key)
    const at = this.index.get(indexKey(normal))
    if (at !== undefined) {
      this.valueList[at] = value
      return
    }
    this.index.set(indexKey(normal), this.keyList.length)
    this.keyList.push(normal)
    this.valueList.push(value)
  }

  get(key: PhpKey): PhpValue | undefined {
    const at = this.index.get(indexKey(typeof key === 'bigint' ? key : normalString(key)))
    return at === undefined ? undefined : this.valueList[at]
  }

  has(key: PhpKey): boolean {
    return this.get(key) !== undefined
  }

  *entries(): IterableIterator<[PhpKey, PhpValue]> {
    for (let i = 0; i < this.keyList.length; i++) yield [this.keyList[i]!, this.valueList[i]!]
  }

  /** PHP's array_is_list(): keys 0..n-1 in order. json_encode() writes these as JSON arrays. */
  isList(): boolean {
    return this.keyList.every((key, i) => key === BigInt(i))
  }
}

/**
 * An object. `properties` keep PHP's names: a protected property is named "\0*\0name" and a
 * private one "\0Class\0name". A class other than stdClass is one Magento 2 lacks (Magento 1's
 * Mage_* and Varien_* classes), so PHP makes it a __PHP_Incomplete_Class that remembers the name.
 * `customPayload` holds the bytes of a C: (Serializable) object, which PHP cannot read for such
 * a class: the object then has no properties.
 */
export class PhpObject {
  readonly properties: PhpArray

  constructor(readonly className: PhpString, properties?: PhpArray, readonly customPayload?: Buffer) {
    this.properties = properties ?? new PhpArray()
  }

  get isStdClass(): boolean {
    return typeof this.className === 'string' && this.className.toLowerCase() === 'stdclass'
  }
}

export type UnserializeResult =
  | {readonly ok: true; readonly value: PhpValue; readonly warnings: readonly string[]}
  | {readonly ok: false; readonly reason: string; readonly offset: number}

class ParseFailure {
  constructor(readonly reason: string, readonly offset: number) {}
}

/** A slot that a value is being parsed into (a reference to it is a reference to itself). */
const PENDING = Symbol('pending')
/** What begin() returns when it has opened an array or object rather than read a whole value. */
const OPENED = Symbol('opened')

/** An array or object being read: how many elements are left, and the key of the next. */
class Frame {
  key?: PhpKey

  constructor(readonly container: PhpArray | PhpObject, public remaining: number) {}

  set(key: PhpKey, value: PhpValue): void {
    if (this.container instanceof PhpArray) this.container.set(key, value)
    else this.container.properties.set(key, value)
  }
}

const DOUBLE_TEXT = /^[+-]?([0-9]+|[0-9]*\.[0-9]+|[0-9]+\.[0-9]*)([eE][+-]?[0-9]+)?$/
/** A string key PHP stores as an int key (ZEND_HANDLE_NUMERIC_STR). */
const CANONICAL_INT = /^(0|-?[1-9][0-9]*)$/

function isClassNameByte(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
    || byte === 0x5f || byte === 0x5c || byte >= 0x80
}

class Unserializer {
  private pos = 0
  /** Every value parsed (keys excepted), in order: what R:n and r:n count (from 1). */
  private readonly slots: Array<PhpValue | typeof PENDING> = []
  /** Arrays and objects whose contents are still being read. */
  private readonly unfinished = new Set<PhpArray | PhpObject>()
  private depth = 0
  readonly warnings: string[] = []

  constructor(private readonly bytes: Buffer) {}

  /** Reads one value. Arrays and objects are read with a stack, not recursion: PHP allows 4096 levels. */
  run(): PhpValue {
    const stack: Frame[] = []
    let value = this.begin(stack)
    for (;;) {
      while (value !== OPENED) {
        const frame = stack.at(-1)
        if (frame === undefined) {
          if (this.pos < this.bytes.length) this.warnings.push(`extra data starting at offset ${this.pos} of ${this.bytes.length} bytes`)
          return value
        }
        frame.set(frame.key!, value)
        if (--frame.remaining > 0) break
        value = this.close(stack)
      }
      const frame = stack.at(-1)!
      const key = this.key()
      frame.key = frame.container instanceof PhpObject
        // Property names are strings: PHP turns an int key into its digits.
        ? (typeof key === 'bigint' ? key.toString() : key)
        // A string key that reads as an int is stored as that int.
        : (typeof key === 'string' && CANONICAL_INT.test(key) && inIntRange(key) ? BigInt(key) : key)
      value = this.begin(stack)
    }
  }

  /** Ends the innermost array or object at its "}". */
  private close(stack: Frame[]): PhpValue {
    this.expect('}')
    const {container} = stack.pop()!
    this.unfinished.delete(container)
    this.depth--
    return container
  }

  private fail(reason: string, offset = this.pos): never {
    throw new ParseFailure(reason, offset)
  }

  private peek(offset = 0): number | undefined {
    return this.bytes[this.pos + offset]
  }

  private expect(text: string): void {
    for (let i = 0; i < text.length; i++) {
      if (this.bytes[this.pos] !== text.charCodeAt(i)) {
        this.fail(this.pos >= this.bytes.length ? `data ends where "${text.slice(i)}" was expected` : `expected "${text.slice(i)}"`)
      }
      this.pos++
    }
  }

  /** Unsigned digits (PHP's uiv); at least one. */
  private digits(): string {
    const start = this.pos
    while (this.pos < this.bytes.length && this.bytes[this.pos]! >= 0x30 && this.bytes[this.pos]! <= 0x39) this.pos++
    if (this.pos === start) this.fail('expected a number')
    return this.bytes.toString('latin1', start, this.pos)
  }

  /** A signed integer (PHP's iv), clamped to 64 bits with a warning as PHP does. */
  private integer(): bigint {
    let sign = ''
    const first = this.peek()
    if (first === 0x2b || first === 0x2d) {
      sign = first === 0x2d ? '-' : ''
      this.pos++
    }
    const value = BigInt(`${sign}${this.digits()}`)
    if (value > INT_MAX || value < INT_MIN) {
      this.warnings.push(`integer ${value} is out of the 64-bit range`)
      return value > INT_MAX ? INT_MAX : INT_MIN
    }
    return value
  }

  /** The text up to the next ';' (consumed), for d: values. */
  private untilSemicolon(): string {
    const end = this.bytes.indexOf(0x3b, this.pos)
    if (end < 0) this.fail('data ends where ";" was expected', this.bytes.length)
    const text = this.bytes.toString('latin1', this.pos, end)
    this.pos = end + 1
    return text
  }

  /** Reads a scalar, or opens an array or object (pushed on the stack, its elements still to read). */
  private begin(stack: Frame[]): PhpValue | typeof OPENED {
    if (this.pos >= this.bytes.length) this.fail('data ends where a value was expected')
    const type = this.peek()!
    // R: takes no slot of its own (PHP points the slot at the referenced value); all else does.
    const slot = type === 0x52 ? -1 : this.slots.push(PENDING) - 1
    const value = this.valueOfType(type, slot, stack)
    if (slot >= 0 && value !== OPENED) this.slots[slot] = value
    return value
  }

  private valueOfType(type: number, slot: number, stack: Frame[]): PhpValue | typeof OPENED {
    const start = this.pos
    switch (String.fromCharCode(type)) {
      case 'N':
        this.expect('N;')
        return null
      case 'b': {
        this.expect('b:')
        const flag = this.peek()
        if (flag !== 0x30 && flag !== 0x31) this.fail('a boolean must be b:0; or b:1;')
        this.pos++
        this.expect(';')
        return flag === 0x31
      }
      case 'i': {
        this.expect('i:')
        const value = this.integer()
        this.expect(';')
        return value
      }
      case 'd':
        return this.double()
      case 's':
      case 'S':
        return this.string(type === 0x53)
      case 'a':
        return this.array(slot, stack)
      case 'O':
      case 'C':
        return this.object(type === 0x43, slot, stack)
      case 'R':
      case 'r':
        return this.reference(type === 0x72)
      case '}':
        return this.fail('unexpected end of serialized data (fewer elements than announced)')
      default:
        return this.fail(`unknown type "${String.fromCharCode(type)}"`, start)
    }
  }

  private double(): number {
    this.expect('d:')
    const at = this.pos
    const text = this.untilSemicolon()
    if (text === 'NAN') return Number.NaN
    if (text === 'INF') return Number.POSITIVE_INFINITY
    if (text === '-INF') return Number.NEGATIVE_INFINITY
    if (!DOUBLE_TEXT.test(text)) this.fail(`"${text}" is not a float`, at)
    return Number(text)
  }

  /** s:<byte length>:"<bytes>"; — or S:, whose bytes may be written as \hh. */
  private string(escaped: boolean): PhpString {
    return decodeString(this.stringBytes(escaped))
  }

  private stringBytes(escaped: boolean): Buffer {
    this.expect(escaped ? 'S:' : 's:')
    const length = Number(this.digits())
    this.expect(':"')
    if (length > this.bytes.length - this.pos) this.fail(`string of ${length} bytes runs past the end of the data`)
    let bytes: Buffer
    if (escaped) {
      bytes = this.escapedBytes(length)
    } else {
      bytes = this.bytes.subarray(this.pos, this.pos + length)
      this.pos += length
    }
    if (this.peek() !== 0x22) this.fail(`string is not ${length} bytes long (no closing quote there)`)
    this.pos++
    this.expect(';')
    return bytes
  }

  private escapedBytes(length: number): Buffer {
    const out = Buffer.alloc(length)
    for (let i = 0; i < length; i++) {
      if (this.pos >= this.bytes.length) this.fail('data ends inside an S: string')
      if (this.bytes[this.pos] !== 0x5c) {
        out[i] = this.bytes[this.pos++]!
        continue
      }
      const hex = this.bytes.toString('latin1', this.pos + 1, this.pos + 3)
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) this.fail('bad \\hh escape in an S: string')
      out[i] = Number.parseInt(hex, 16)
      this.pos += 3
    }
    return out
  }

  /** An array or object key: only i:, s: and S: can be keys. */
  private key(): PhpKey {
    const type = this.peek()
    if (type === 0x69) {
      this.expect('i:')
      const value = this.integer()
      this.expect(';')
      return value
    }
    if (type === 0x73 || type === 0x53) return this.string(type === 0x53)
    if (type === 0x7d) this.fail('unexpected end of serialized data (fewer elements than announced)')
    return this.fail(this.pos >= this.bytes.length ? 'data ends where a key was expected' : 'a key must be an integer or a string')
  }

  /** An element count and its ":{"; refused when the data left cannot hold that many, as PHP does. */
  private count(signed: boolean): number {
    const start = this.pos
    const count = Number(signed ? this.integer() : BigInt(this.digits()))
    this.expect(':{')
    if (count < 0 || count > (this.bytes.length - this.pos) / 2) this.fail(`${count} elements cannot fit in the data left`, start)
    return count
  }

  private array(slot: number, stack: Frame[]): PhpArray | typeof OPENED {
    this.expect('a:')
    const count = this.count(false)
    const array = new PhpArray()
    this.slots[slot] = array
    if (count === 0) {
      this.expect('}')
      return array
    }
    return this.push(array, count, stack)
  }

  private object(custom: boolean, slot: number, stack: Frame[]): PhpObject | typeof OPENED {
    const start = this.pos
    this.expect(custom ? 'C:' : 'O:')
    const length = Number(this.digits())
    this.expect(':"')
    if (length === 0 || length > this.bytes.length - this.pos) this.fail('bad class name length', start)
    const nameBytes = this.bytes.subarray(this.pos, this.pos + length)
    this.pos += length
    this.expect('":')
    if (nameBytes[0] === 0x5c || !nameBytes.every(isClassNameByte)) this.fail(`"${nameBytes.toString('latin1')}" is not a class name`, start)
    const className = decodeString(nameBytes)
    if (custom) return this.customObject(className, slot)
    const count = this.count(true)
    const object = new PhpObject(className)
    this.slots[slot] = object
    if (count > 0) return this.push(object, count, stack)
    // PHP counts an object's depth even when it has no properties.
    this.push(object, count, stack)
    return this.close(stack) as PhpObject
  }

  /** Pushes an array or object whose elements follow. */
  private push(container: PhpArray | PhpObject, count: number, stack: Frame[]): typeof OPENED {
    if (this.depth >= MAX_UNSERIALIZE_DEPTH) this.fail(`nesting deeper than ${MAX_UNSERIALIZE_DEPTH} levels`)
    this.depth++
    this.unfinished.add(container)
    stack.push(new Frame(container, count))
    return OPENED
  }

  /** C:<len>:"Class":<payload length>:{<payload>}: a Serializable object's own format. */
  private customObject(className: PhpString, slot: number): PhpObject {
    const length = Number(this.integer())
    this.expect(':{')
    if (length < 0 || this.bytes.length - this.pos <= length) this.fail(`custom object payload of ${length} bytes runs past the end of the data`)
    if (this.bytes[this.pos + length] !== 0x7d) this.fail('custom object payload does not end with "}"', this.pos + length)
    const payload = Buffer.from(this.bytes.subarray(this.pos, this.pos + length))
    this.pos += length + 1
    const object = new PhpObject(className, undefined, payload)
    this.slots[slot] = object
    this.warnings.push(`class ${typeof className === 'string' ? className : className.toString('latin1')} has no unserializer here: its C: payload of ${length} bytes is not read`)
    return object
  }

  /** R:n; (a PHP reference) or r:n; (the same object again): the value of slot n. */
  private reference(objectOnly: boolean): PhpValue {
    const start = this.pos
    this.expect(objectOnly ? 'r:' : 'R:')
    const id = Number(this.digits())
    this.expect(';')
    const target = id >= 1 ? this.slots[id - 1] : undefined
    if (target === undefined) this.fail(`reference to value ${id}, which does not exist`, start)
    if (target === PENDING) this.fail(`reference to value ${id}, which refers to itself`, start)
    if (objectOnly && !(target instanceof PhpObject)) this.fail(`r:${id} must refer to an object`, start)
    if ((target instanceof PhpArray || target instanceof PhpObject) && this.unfinished.has(target)) {
      this.fail(`reference to value ${id}, which contains it: a recursive structure JSON cannot hold`, start)
    }
    return target
  }
}

function inIntRange(digits: string): boolean {
  const value = BigInt(digits)
  return value >= INT_MIN && value <= INT_MAX
}

/**
 * PHP's unserialize(). Input is bytes; a JS string is taken as its UTF-8 bytes (the lengths in
 * s:<n>: count bytes). An empty input gives false, as in PHP (no error).
 */
export function unserialize(input: string | Buffer): UnserializeResult {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input
  if (bytes.length === 0) return {ok: true, value: false, warnings: []}
  const parser = new Unserializer(bytes)
  try {
    const value = parser.run()
    return {ok: true, value, warnings: parser.warnings}
  } catch (error) {
    if (error instanceof ParseFailure) return {ok: false, reason: `${error.reason} (at offset ${error.offset} of ${bytes.length} bytes)`, offset: error.offset}
    throw error
  }
}

// ---------------------------------------------------------------------------------------------
// Floats as PHP prints them (zend_gcvt): `precision` significant digits, correctly rounded
// (ties to even), trailing zeros dropped; exponent form below 1e-4 and at or above 10^precision.

interface Digits {
  /** Significant digits, no trailing zeros. */
  digits: string
  /** Where the decimal point goes: value = 0.<digits> × 10^point. */
  point: number
}

/** The exact decimal value of a positive finite double. */
function exactDigits(value: number): Digits {
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, value)
  const high = view.getUint32(0)
  const low = view.getUint32(4)
  const exponent = (high >>> 20) & 0x7ff
  let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(low)
  let power: number
  if (exponent === 0) {
    power = -1074
  } else {
    mantissa |= 1n << 52n
    power = exponent - 1075
  }
  // value = mantissa × 2^power = mantissa × 5^-power / 10^-power when power < 0.
  const text = power >= 0 ? (mantissa << BigInt(power)).toString() : (mantissa * 5n ** BigInt(-power)).toString()
  const scale = power >= 0 ? 0 : -power
  return {digits: text.replace(/0+$/, ''), point: text.length - scale}
}

/** Rounds to `count` significant digits, half to even (as zend_dtoa does). */
function roundDigits({digits, point}: Digits, count: number): Digits {
  if (digits.length <= count) return {digits, point}
  const head = digits.slice(0, count)
  const next = digits.charCodeAt(count) - 48
  const restNonZero = /[1-9]/.test(digits.slice(count + 1))
  const lastOdd = (head.charCodeAt(count - 1) - 48) % 2 === 1
  const up = next > 5 || (next === 5 && (restNonZero || lastOdd))
  if (!up) return {digits: head.replace(/0+$/, ''), point}
  const bumped = (BigInt(head) + 1n).toString()
  return bumped.length > head.length
    ? {digits: bumped.slice(0, count).replace(/0+$/, ''), point: point + 1}
    : {digits: bumped.replace(/0+$/, ''), point}
}

/** The shortest digits that read back as the same double (PHP's serialize_precision -1). */
function shortestDigits(value: number): Digits {
  const [mantissa, exponent] = value.toExponential().split('e')
  return {digits: mantissa!.replace('.', '').replace(/0+$/, ''), point: Number(exponent) + 1}
}

/**
 * A double as PHP writes it with the given precision (-1: shortest round-trip) and exponent
 * letter ('E' in serialize(), 'e' in json_encode()). INF and NAN come out as PHP's INF/-INF/NAN.
 */
export function formatPhpFloat(value: number, precision: number, exponentLetter: 'e' | 'E'): string {
  if (Number.isNaN(value)) return 'NAN'
  if (!Number.isFinite(value)) return value > 0 ? 'INF' : '-INF'
  const sign = value < 0 || Object.is(value, -0) ? '-' : ''
  if (value === 0) return `${sign}0`
  const width = precision < 0 ? 17 : Math.max(precision, 1)
  const {digits, point} = precision < 0 ? shortestDigits(Math.abs(value)) : roundDigits(exactDigits(Math.abs(value)), width)
  if (point > width || point < -3) {
    const exponent = point - 1
    const fraction = digits.length > 1 ? digits.slice(1) : '0'
    return `${sign}${digits[0]}.${fraction}${exponentLetter}${exponent < 0 ? '-' : '+'}${Math.abs(exponent)}`
  }
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`
  if (digits.length <= point) return `${sign}${digits}${'0'.repeat(point - digits.length)}`
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`
}

// ---------------------------------------------------------------------------------------------
// serialize()

export interface SerializeOptions {
  /** serialize_precision for floats: -1 (PHP ≥ 7.1's default, shortest) or 17 (PHP 5's). */
  readonly precision?: number
}

/**
 * PHP's serialize(). An object met again (the same PhpObject) is written r:n; as PHP does; a
 * PHP reference (R:) that unserialize() resolved is written out as a copy of its value.
 */
export function serialize(value: PhpValue, options: SerializeOptions = {}): Buffer {
  const precision = options.precision ?? -1
  const parts: Buffer[] = []
  const seen = new Map<PhpObject, number>()
  // Open arrays and objects, innermost last (a stack, not recursion: values nest 4096 deep).
  const stack: Array<Iterator<[PhpKey, PhpValue]>> = []
  let counter = 0
  const text = (chunk: string) => parts.push(Buffer.from(chunk, 'utf8'))
  const string = (content: PhpString) => {
    const bytes = stringBytes(content)
    text(`s:${bytes.length}:"`)
    parts.push(bytes)
    text('";')
  }
  const open = (header: string, name: Buffer | undefined, tail: string, entries: Iterator<[PhpKey, PhpValue]>) => {
    text(header)
    if (name) parts.push(name)
    text(tail)
    stack.push(entries)
  }
  const write = (item: PhpValue): void => {
    counter++
    if (item === null) text('N;')
    else if (typeof item === 'boolean') text(item ? 'b:1;' : 'b:0;')
    else if (typeof item === 'bigint') text(`i:${item};`)
    else if (typeof item === 'number') text(`d:${formatPhpFloat(item, precision, 'E')};`)
    else if (typeof item === 'string' || Buffer.isBuffer(item)) string(item)
    else if (item instanceof PhpArray) open(`a:${item.size}:{`, undefined, '', item.entries())
    else if (seen.has(item)) text(`r:${seen.get(item)};`)
    else {
      seen.set(item, counter)
      const name = stringBytes(item.className)
      if (item.customPayload) {
        text(`C:${name.length}:"`)
        parts.push(name)
        text(`":${item.customPayload.length}:{`)
        parts.push(item.customPayload)
        text('}')
      } else {
        open(`O:${name.length}:"`, name, `":${item.properties.size}:{`, item.properties.entries())
      }
    }
  }
  write(value)
  while (stack.length > 0) {
    const next = stack.at(-1)!.next()
    if (next.done) {
      stack.pop()
      text('}')
      continue
    }
    const [key, element] = next.value
    if (typeof key === 'bigint') text(`i:${key};`)
    else string(key)
    write(element)
  }
  return Buffer.concat(parts)
}

// ---------------------------------------------------------------------------------------------
// json_encode() with no flags, as Magento 2's Json serializer and the DMT call it.

export type JsonResult = {readonly ok: true; readonly json: string} | {readonly ok: false; readonly reason: string}

export interface JsonOptions {
  /** serialize_precision for floats; Magento 2 sets 14. */
  readonly precision?: number
}

class JsonFailure {
  constructor(readonly reason: string) {}
}

const HEX = '0123456789abcdef'

function unicodeEscape(code: number): string {
  return `\\u${HEX[(code >> 12) & 15]}${HEX[(code >> 8) & 15]}${HEX[(code >> 4) & 15]}${HEX[code & 15]}`
}

/** A string the way json_encode() writes it by default: "/" as "\/", all non-ASCII as \uXXXX. */
function jsonString(value: PhpString): string {
  let text: string
  if (typeof value === 'string') {
    text = value
  } else {
    try {
      text = utf8.decode(value)
    } catch {
      throw new JsonFailure('a string holds bytes that are not valid UTF-8 (json_encode fails on them)')
    }
  }
  let out = '"'
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code >= 0x80) out += unicodeEscape(code)
    else if (code === 0x22) out += '\\"'
    else if (code === 0x5c) out += '\\\\'
    else if (code === 0x2f) out += '\\/'
    else if (code === 0x08) out += '\\b'
    else if (code === 0x0c) out += '\\f'
    else if (code === 0x0a) out += '\\n'
    else if (code === 0x0d) out += '\\r'
    else if (code === 0x09) out += '\\t'
    else if (code < 0x20) out += unicodeEscape(code)
    else out += text[i]
  }
  return `${out}"`
}

function isHidden(name: PhpKey): boolean {
  if (typeof name === 'bigint') return false
  return typeof name === 'string' ? name.startsWith('\0') : name[0] === 0
}

/**
 * PHP's json_encode($value) with no flags: lists as JSON arrays, other arrays and objects as JSON
 * objects (int keys as strings), an object's protected and private properties left out, an
 * incomplete class named first by "__PHP_Incomplete_Class_Name". Where json_encode() returns
 * false (invalid UTF-8, INF or NAN, nesting deeper than 512) the answer is {ok: false, reason}.
 */
export function phpJsonEncode(value: PhpValue, options: JsonOptions = {}): JsonResult {
  const precision = options.precision ?? MAGENTO_JSON_PRECISION
  const encode = (item: PhpValue, depth: number): string => {
    if (item === null) return 'null'
    if (typeof item === 'boolean') return item ? 'true' : 'false'
    if (typeof item === 'bigint') return item.toString()
    if (typeof item === 'number') {
      if (!Number.isFinite(item)) throw new JsonFailure(`the float ${formatPhpFloat(item, -1, 'E')} has no JSON form`)
      return formatPhpFloat(item, precision, 'e')
    }
    if (typeof item === 'string' || Buffer.isBuffer(item)) return jsonString(item)
    if (depth >= MAX_JSON_DEPTH) throw new JsonFailure(`nesting deeper than ${MAX_JSON_DEPTH} levels`)
    if (item instanceof PhpArray) {
      if (item.isList()) return `[${[...item.entries()].map(([, element]) => encode(element, depth + 1)).join(',')}]`
      return `{${[...item.entries()].map(([name, element]) => `${jsonString(typeof name === 'bigint' ? name.toString() : name)}:${encode(element, depth + 1)}`).join(',')}}`
    }
    const members: string[] = []
    if (!item.isStdClass) members.push(`"__PHP_Incomplete_Class_Name":${jsonString(item.className)}`)
    for (const [name, element] of item.properties.entries()) {
      if (isHidden(name)) continue
      members.push(`${jsonString(typeof name === 'bigint' ? name.toString() : name)}:${encode(element, depth + 1)}`)
    }
    return `{${members.join(',')}}`
  }
  try {
    return {ok: true, json: encode(value, 0)}
  } catch (error) {
    if (error instanceof JsonFailure) return {ok: false, reason: error.reason}
    throw error
  }
}
