import {createHash} from 'node:crypto'
import test from 'ava'
import {transcodeSerializedToJson} from '../../transforms/php-serialize-json.js'
import {PhpArray, phpJsonEncode, type PhpValue, serialize, unserialize} from '../../transforms/php-serialize.js'

// --- helpers ------------------------------------------------------------------------------

/** The two-pass path, strictly (a warning is a failure, as in the DMT): the JSON, or undefined. */
function slowJson(input: string | Buffer): string | undefined {
  const parsed = unserialize(input)
  if (!parsed.ok || parsed.warnings.length > 0) return undefined
  const json = phpJsonEncode(parsed.value)
  return json.ok ? json.json : undefined
}

/** mulberry32: a small seeded PRNG, so that every run tests the same values. */
function prng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let x = state
    x = Math.imul(x ^ (x >>> 15), x | 1)
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

const INT_MAX = 2n ** 63n - 1n
const INT_MIN = -(2n ** 63n)
const CANONICAL_INT = /^(0|-?[1-9][0-9]*)$/

const CHARS = [
  'a', 'b', 'z', 'A', 'Q', '0', '7', ' ', '-', '_', '.', ':', ';', '{', '}', '~', '"', '\\', '/', "'",
  '\n', '\t', '\r', '\b', '\f', '\0', '\u0001', '\u001f', '\u007f',
  'ö', 'ß', 'é', 'Ω', 'я', '€', '中', '\u2028', '\uffff', '😀', '𝄞', '\ufeff',
]
const FLOATS = [0.1, 1e20, -0, 0, 1e-7, 100, 19.99, -2.5, 1 / 3, 2 ** -21, 1e14, 99999999999999, 123456789012345.6, 1e-4, 5e-324, 1.7976931348623157e308, -1e15, 0.30000000000000004]
const KEY_STRINGS = ['0', '01', '-0', '5', '-3', '1.0', ' 1', '1 ', '+1', 'abc', 'key', 'ö', '9223372036854775807', '9223372036854775808', '-9223372036854775808', '-9223372036854775809', '']

class Generator {
  constructor(private readonly random: () => number) {}

  int(below: number): number {
    return Math.floor(this.random() * below)
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!
  }

  chance(p: number): boolean {
    return this.random() < p
  }

  string(): string {
    const r = this.random()
    if (r < 0.15) return String(this.int(1000) - 100)
    const pool = r < 0.55 ? CHARS.slice(0, 9) : CHARS
    let text = ''
    const length = this.int(12)
    for (let i = 0; i < length; i++) text += this.pick(pool)
    return text
  }

  bigint(): bigint {
    const r = this.random()
    if (r < 0.5) return BigInt(this.int(100))
    if (r < 0.7) return -BigInt(this.int(100000))
    if (r < 0.8) return INT_MAX - BigInt(this.int(3))
    if (r < 0.9) return INT_MIN + BigInt(this.int(3))
    return BigInt(Math.floor((this.random() - 0.5) * 2 ** 53)) * BigInt(1 + this.int(1000))
  }

  float(): number {
    return this.chance(0.6) ? this.pick(FLOATS) : (this.random() - 0.5) * 10 ** (this.int(30) - 15)
  }

  key(index: number): bigint | string {
    const r = this.random()
    if (r < 0.3) return BigInt(index)
    if (r < 0.4) return String(index)
    if (r < 0.6) return this.pick(KEY_STRINGS)
    if (r < 0.7) return this.bigint()
    return this.string()
  }

  array(depth: number): PhpArray {
    const size = this.int(6)
    if (this.chance(0.4)) return PhpArray.list(Array.from({length: size}, () => this.value(depth + 1)))
    // Mostly list-shaped keys that turn into something else somewhere, or never do.
    const entries: Array<[bigint | string, PhpValue]> = []
    for (let i = 0; i < size; i++) entries.push([this.key(i), this.value(depth + 1)])
    return PhpArray.of(entries)
  }

  value(depth = 0): PhpValue {
    const r = this.random()
    if (depth < 4 && r < 0.3) return this.array(depth)
    if (r < 0.35) return null
    if (r < 0.42) return this.chance(0.5)
    if (r < 0.6) return this.bigint()
    if (r < 0.68) return this.float()
    if (r < 0.995) return this.string()
    // Bytes that are not UTF-8.
    return Buffer.from([0x61, 0xff, 0x62])
  }
}

/** A string key as unserialize() keys it: a canonical int within 64 bits is that int. */
function normalKey(key: bigint | string | Buffer): string {
  if (typeof key === 'bigint') return `i${key}`
  if (typeof key === 'string' && CANONICAL_INT.test(key) && BigInt(key) >= INT_MIN && BigInt(key) <= INT_MAX) return `i${key}`
  return `s${key.toString()}`
}

/**
 * Whether the serialized value is in the transcoder's subset, judged on the value itself:
 * valid UTF-8 not starting with a BOM, finite floats, no key twice once string keys become ints.
 */
function inSubset(value: PhpValue): boolean {
  if (Buffer.isBuffer(value)) return false
  if (typeof value === 'string') return !value.startsWith('\ufeff')
  if (typeof value === 'number') return Number.isFinite(value)
  if (!(value instanceof PhpArray)) return true
  const seen = new Set<string>()
  for (const [key, element] of value.entries()) {
    if (Buffer.isBuffer(key) || (typeof key === 'string' && key.startsWith('\ufeff'))) return false
    const normal = normalKey(key)
    if (seen.has(normal)) return false
    seen.add(normal)
    if (!inSubset(element)) return false
  }
  return true
}

/** sales_flat_order_item.product_options as bench/generate-data.ts writes it, for row hash h. */
function productOptions(h: number): string {
  const s = (text: string) => `s:${Buffer.byteLength(text, 'utf8')}:"${text}";`
  const m = createHash('md5').update(String(h)).digest('hex')
  const md5 = (text: string) => createHash('md5').update(text).digest('hex')
  return 'a:3:{'
    + `${s('info_buyRequest')}a:5:{${s('uenc')}${s(m)}${s('product')}${s(String(1 + (h % 50000)))}${s('form_key')}${s(md5(`${m}f`).slice(0, 16))}`
    + `${s('options')}a:2:{i:${10 + (h % 7)};${s(String(h % 97))}i:${20 + (h % 5)};${s(String(h % 89))}}`
    + `${s('qty')}i:${1 + ((h >> 8) % 5)};}`
    + `${s('options')}a:2:{`
    + `i:0;a:4:{${s('label')}${s(['Größe', 'Colour "shade"', 'Size'][h % 3]!)}${s('value')}${s(['Blau', 'XL', 'Rot/Grün', 'M'][(h >> 2) % 4]!)}`
    + `${s('option_id')}${s(String(10 + (h % 7)))}${s('option_type')}${s('drop_down')}}`
    + `i:1;a:4:{${s('label')}${s('Engraving')}${s('value')}${s(md5(`${m}e`).slice(0, 1 + (h % 24)))}`
    + `${s('option_id')}${s(String(20 + (h % 5)))}${s('option_type')}${s('field')}}`
    + '}'
    + `${s('giftcard_lifetime')}N;}`
}

// --- differential -------------------------------------------------------------------------

test('on 20,000 random values it writes what the two-pass path writes, and answers for all in its subset', (t) => {
  const generator = new Generator(prng(20240611))
  let total = 0
  let hits = 0
  let outside = 0
  for (let i = 0; i < 20000; i++) {
    const value = generator.value()
    const bytes = serialize(value)
    const slow = slowJson(bytes)
    const fast = transcodeSerializedToJson(bytes)
    total++
    if (fast !== undefined) {
      hits++
      if (fast !== slow) t.fail(`${bytes.toString('utf8')}: fast ${fast}, slow ${String(slow)}`)
    }
    if (!inSubset(value)) {
      outside++
      if (fast !== undefined) t.fail(`${bytes.toString('utf8')} is outside the subset, yet the fast path answered ${fast}`)
    } else if (fast === undefined) {
      t.fail(`${bytes.toString('utf8')} is in the subset, yet the fast path fell back`)
    }
    // Given as a JS string (read as UTF-16, its UTF-8 lengths counted), the answer is the same.
    const text = bytes.toString('utf8')
    if (Buffer.from(text, 'utf8').equals(bytes) && transcodeSerializedToJson(text) !== fast) {
      t.fail(`${text}: the string input answers differently from its bytes`)
    }
  }
  t.log(`${hits} of ${total} answered by the fast path; ${outside} outside its subset`)
  t.true(hits / total >= 0.9, `hit rate ${hits / total}`)
})

test('on broken and mutated inputs it falls back wherever the two-pass path fails, and agrees elsewhere', (t) => {
  const random = prng(7)
  const generator = new Generator(random)
  const int = (below: number) => Math.floor(random() * below)
  const syntax = Buffer.from('0123456789:;{}"aisNbdSOR-+.\xff', 'latin1')
  let failures = 0
  let agreed = 0
  for (let i = 0; i < 6000; i++) {
    const bytes = i % 4 === 0 ? Buffer.from(productOptions(i), 'utf8') : serialize(generator.value())
    let mutated: Buffer
    const at = int(bytes.length)
    switch (i % 7) {
      case 0:
        mutated = bytes.subarray(0, at)
        break
      case 1:
        mutated = Buffer.from(bytes)
        mutated[at] = syntax[int(syntax.length)]!
        break
      case 2:
        mutated = Buffer.from(bytes)
        mutated[at] = int(256)
        break
      case 3: {
        // A length or count digit changed.
        const text = bytes.toString('latin1')
        const lengths = [...text.matchAll(/[sa]:([0-9]+):/g)]
        if (lengths.length === 0) continue
        const match = lengths[int(lengths.length)]!
        const digit = match.index + 2 + int(match[1]!.length)
        mutated = Buffer.from(bytes)
        mutated[digit] = 0x30 + ((mutated[digit]! - 0x30 + 1 + int(9)) % 10)
        break
      }
      case 4:
        mutated = Buffer.concat([bytes, Buffer.from(['N;', ';', 'x', '}', ' '][int(5)]!)])
        break
      case 5: {
        // A length far too large.
        const text = bytes.toString('latin1')
        const match = /s:([0-9]+):/.exec(text)
        if (match === null) continue
        mutated = Buffer.from(text.replace(match[0], `s:${Number(match[1]) + 1 + int(1000)}:`), 'latin1')
        break
      }
      default:
        // A byte deleted.
        mutated = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)])
    }
    const slow = slowJson(mutated)
    const fast = transcodeSerializedToJson(mutated)
    if (slow === undefined) {
      failures++
      if (fast !== undefined) t.fail(`${mutated.toString('latin1')}: the two-pass path fails, yet the fast path answered ${fast}`)
    } else {
      agreed++
      if (fast !== undefined && fast !== slow) t.fail(`${mutated.toString('latin1')}: fast ${fast}, slow ${slow}`)
    }
  }
  t.log(`${failures} broken, ${agreed} still readable`)
  t.true(failures > 1000)
})

test('on mutated JS strings (read as UTF-16) it falls back wherever the two-pass path fails, and agrees elsewhere', (t) => {
  const random = prng(11)
  const generator = new Generator(random)
  const int = (below: number) => Math.floor(random() * below)
  const replacements = ['0', '9', ':', ';', '{', '}', '"', 's', 'a', 'i', 'N', 'é', '€', '😀', '\ud83d', '\ude00', '\ufeff']
  let failures = 0
  let agreed = 0
  for (let i = 0; i < 6000; i++) {
    const text = i % 4 === 0 ? productOptions(i) : serialize(generator.value()).toString('utf8')
    const at = int(text.length)
    let mutated: string
    switch (i % 4) {
      case 0:
        // Possibly between the halves of a surrogate pair.
        mutated = text.slice(0, at)
        break
      case 1:
        mutated = text.slice(0, at) + replacements[int(replacements.length)]! + text.slice(at + 1)
        break
      case 2:
        mutated = text.slice(0, at) + replacements[int(replacements.length)]! + text.slice(at)
        break
      default: {
        const lengths = [...text.matchAll(/s:([0-9]+):/g)]
        if (lengths.length === 0) continue
        const match = lengths[int(lengths.length)]!
        mutated = text.replace(match[0], `s:${Math.max(0, Number(match[1]) + int(7) - 3)}:`)
      }
    }
    const slow = slowJson(mutated)
    const fast = transcodeSerializedToJson(mutated)
    if (slow === undefined) {
      failures++
      if (fast !== undefined) t.fail(`${mutated}: the two-pass path fails, yet the fast path answered ${fast}`)
    } else {
      agreed++
      if (fast !== undefined && fast !== slow) t.fail(`${mutated}: fast ${fast}, slow ${slow}`)
    }
  }
  t.log(`${failures} broken, ${agreed} still readable`)
  t.true(failures > 1000)
})

// --- specific cases -----------------------------------------------------------------------

test('the bench\'s product_options value becomes the JSON of the two-pass path', (t) => {
  for (let h = 0; h < 200; h++) {
    const input = productOptions(h)
    const fast = transcodeSerializedToJson(input)
    t.not(fast, undefined)
    t.is(fast, slowJson(input))
    t.is(transcodeSerializedToJson(Buffer.from(input, 'utf8')), fast)
  }
})

test('a product_options value is written as json_encode writes it', (t) => {
  const input = productOptions(9)
  t.regex(input, /Rot\/Grün/)

  t.is(transcodeSerializedToJson(input), '{"info_buyRequest":{"uenc":"45c48cce2e2d7fbdea1afc51c7c6ad26","product":"10","form_key":"e31f7b2ebac16a3d","options":{"12":"9","24":"9"},"qty":1},'
    + '"options":[{"label":"Gr\\u00f6\\u00dfe","value":"Rot\\/Gr\\u00fcn","option_id":"12","option_type":"drop_down"},{"label":"Engraving","value":"91a6c5d63f","option_id":"24","option_type":"field"}],"giftcard_lifetime":null}')
})

test('labels with quotes and multibyte text are escaped as json_encode escapes them', (t) => {
  t.is(transcodeSerializedToJson('a:2:{i:0;s:7:"Größe";i:1;s:14:"Colour "shade"";}'), '["Gr\\u00f6\\u00dfe","Colour \\"shade\\""]')
})

test('text that is not UTF-8 falls back', (t) => {
  t.is(transcodeSerializedToJson(Buffer.from('s:3:"a\xffb";', 'latin1')), undefined)
  t.is(transcodeSerializedToJson(Buffer.from('a:1:{s:2:"\xc3\x28";i:1;}', 'latin1')), undefined)
  // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8 either.
  for (const bytes of ['\xc0\xaf', '\xe0\x80\xaf', '\xed\xa0\x80', '\xed\xbf\xbf', '\xf0\x80\x80\xaf', '\xf4\x90\x80\x80', '\xf5\x80\x80\x80', '\xe2\x82', '\x80']) {
    const input = Buffer.concat([Buffer.from(`s:${bytes.length}:"`), Buffer.from(bytes, 'latin1'), Buffer.from('";')])
    t.is(slowJson(input), undefined)
    t.is(transcodeSerializedToJson(input), undefined, JSON.stringify(bytes))
  }
  t.is(transcodeSerializedToJson(Buffer.from('s:4:"\xef\xbf\xbf\x7f";', 'latin1')), '"\\uffff\x7f"')
  t.is(transcodeSerializedToJson(Buffer.from('s:4:"\xf4\x8f\xbf\xbf";', 'latin1')), '"\\udbff\\udfff"')
})

test('a JS string input counts UTF-8 bytes in lengths, and falls back on lone surrogates', (t) => {
  t.is(transcodeSerializedToJson('a:2:{i:0;s:7:"Größe";i:1;s:4:"😀";}'), '["Gr\\u00f6\\u00dfe","\\ud83d\\ude00"]')
  t.is(transcodeSerializedToJson('s:5:"Größe";'), undefined)
  t.is(transcodeSerializedToJson('s:2:"😀";'), undefined)
  t.is(transcodeSerializedToJson('s:3:"€";'), '"\\u20ac"')
  t.is(transcodeSerializedToJson('s:2:"€";'), undefined)
  // PHP would get U+FFFD's bytes for a lone surrogate: the slow path writes that.
  t.is(transcodeSerializedToJson('s:3:"\ud83d";'), undefined)
  t.is(slowJson('s:3:"\ud83d";'), '"\\ufffd"')
})

test('a string starting with a BOM falls back (the two-pass path\'s decoder drops it)', (t) => {
  t.is(transcodeSerializedToJson('s:3:"\ufeff";'), undefined)
  t.is(transcodeSerializedToJson(Buffer.from('s:3:"\ufeff";', 'utf8')), undefined)
  t.is(transcodeSerializedToJson('s:4:"a\ufeff";'), '"a\\ufeff"')
})

test('a key given twice falls back (PHP replaces the value in place)', (t) => {
  t.is(transcodeSerializedToJson('a:2:{i:0;s:1:"a";i:0;s:1:"b";}'), undefined)
  t.is(transcodeSerializedToJson('a:2:{i:5;s:1:"a";s:1:"5";s:1:"b";}'), undefined)
  t.is(transcodeSerializedToJson('a:2:{s:1:"k";N;s:1:"k";N;}'), undefined)
})

test('a key given twice is found among many keys too', (t) => {
  const keys = Array.from({length: 40}, (_, i) => `s:3:"k${String(i).padStart(2, '0')}";N;`)
  t.not(transcodeSerializedToJson(`a:40:{${keys.join('')}}`), undefined)
  t.is(transcodeSerializedToJson(`a:41:{${keys.join('')}s:3:"k33";N;}`), undefined)
  t.is(transcodeSerializedToJson(`a:41:{${Array.from({length: 40}, (_, i) => `i:${i};N;`).join('')}i:17;N;}`), undefined)
})

test('int keys out of order make an object, in the order given', (t) => {
  t.is(transcodeSerializedToJson('a:2:{i:1;s:1:"a";i:0;s:1:"b";}'), '{"1":"a","0":"b"}')
})

test('a string key in canonical int form is an int key, so keys "0".."n-1" make a list', (t) => {
  t.is(transcodeSerializedToJson('a:1:{s:1:"0";b:1;}'), '[true]')
  t.is(transcodeSerializedToJson('a:2:{i:0;N;s:1:"1";N;}'), '[null,null]')
})

test('string keys that only look like ints stay strings', (t) => {
  t.is(transcodeSerializedToJson('a:1:{s:2:"00";N;}'), '{"00":null}')
  t.is(transcodeSerializedToJson('a:2:{i:0;N;s:2:"-0";N;}'), '{"0":null,"-0":null}')
  t.is(transcodeSerializedToJson('a:1:{s:3:"1.0";N;}'), '{"1.0":null}')
})

test('a list broken by a later key becomes an object with its earlier keys', (t) => {
  t.is(transcodeSerializedToJson('a:3:{i:0;i:1;i:1;i:2;s:1:"x";i:3;}'), '{"0":1,"1":2,"x":3}')
})

test('empty arrays are [] and nested arrays nest', (t) => {
  t.is(transcodeSerializedToJson('a:0:{}'), '[]')
  t.is(transcodeSerializedToJson('a:2:{s:1:"a";a:0:{}s:1:"b";a:1:{i:0;a:0:{}}}'), '{"a":[],"b":[[]]}')
})

test('scalars at the top: null, booleans, ints, floats and strings', (t) => {
  t.is(transcodeSerializedToJson('N;'), 'null')
  t.is(transcodeSerializedToJson('b:0;'), 'false')
  t.is(transcodeSerializedToJson('b:1;'), 'true')
  t.is(transcodeSerializedToJson('i:-42;'), '-42')
  t.is(transcodeSerializedToJson('i:9223372036854775807;'), '9223372036854775807')
  t.is(transcodeSerializedToJson('i:-9223372036854775808;'), '-9223372036854775808')
  t.is(transcodeSerializedToJson('d:0.1;'), '0.1')
  t.is(transcodeSerializedToJson('d:100;'), '100')
  t.is(transcodeSerializedToJson('d:-0;'), '-0')
  t.is(transcodeSerializedToJson('d:1.0E+20;'), '1.0e+20')
  t.is(transcodeSerializedToJson('d:0.30000000000000004;'), '0.3')
  t.is(transcodeSerializedToJson('s:3:"a/b";'), '"a\\/b"')
})

test('control characters, backslashes and astral characters are escaped', (t) => {
  t.is(transcodeSerializedToJson('s:6:"\n\t\u0001\\\u007f\b";'), '"\\n\\t\\u0001\\\\\u007f\\b"')
  t.is(transcodeSerializedToJson('s:4:"😀";'), '"\\ud83d\\ude00"')
})

test('ints PHP would read differently or clamp fall back', (t) => {
  for (const input of ['i:+7;', 'i:007;', 'i:-0;', 'i:9223372036854775808;', 'i:-9223372036854775809;', 'i:12345678901234567890;', 'a:1:{i:01;N;}']) {
    t.is(transcodeSerializedToJson(input), undefined, input)
  }
})

test('INF and NAN fall back (json_encode cannot write them)', (t) => {
  for (const input of ['d:INF;', 'd:-INF;', 'd:NAN;', 'd:1e999;']) t.is(transcodeSerializedToJson(input), undefined, input)
})

test('trailing data falls back', (t) => {
  t.is(transcodeSerializedToJson('N;N;'), undefined)
  t.is(transcodeSerializedToJson('a:0:{} '), undefined)
  t.is(transcodeSerializedToJson('s:1:"a";x'), undefined)
})

test('S: strings fall back', (t) => {
  t.is(transcodeSerializedToJson('S:1:"\\61";'), undefined)
  t.is(transcodeSerializedToJson('a:1:{S:1:"\\61";N;}'), undefined)
})

test('references and objects fall back', (t) => {
  t.is(transcodeSerializedToJson('a:2:{i:0;s:1:"a";i:1;R:2;}'), undefined)
  t.is(transcodeSerializedToJson('a:2:{i:0;s:1:"a";i:1;r:2;}'), undefined)
  t.is(transcodeSerializedToJson('O:8:"stdClass":0:{}'), undefined)
  t.is(transcodeSerializedToJson('C:3:"Foo":0:{}'), undefined)
})

test('empty input and syntax errors fall back', (t) => {
  for (const input of ['', 'x', 'N', 'b:2;', 'i:;', 's:2:"a";', 's:1:"ab";', 's:5:"a";', 'a:1:{i:0;N;', 'a:1:{N;N;}', 'a:2:{i:0;N;}', 'a:1:{i:0;N;i:1;N;}', 'a:-1:{}', 'a:9:{i:0;N;}']) {
    t.is(transcodeSerializedToJson(input), undefined, JSON.stringify(input))
  }
})

test('nesting up to its depth limit is answered, deeper falls back', (t) => {
  const nested = (depth: number) => `${'a:1:{i:0;'.repeat(depth)}N;${'}'.repeat(depth)}`
  t.is(transcodeSerializedToJson(nested(500)), `${'['.repeat(500)}null${']'.repeat(500)}`)
  t.is(transcodeSerializedToJson(nested(501)), undefined)
  t.is(transcodeSerializedToJson(nested(600)), undefined)
})
