import test from 'ava'
import {qualifiedName, quoteIdentifier, stringLiteral, valueLiteral} from '../../src/adapters/mysql/sql-text.js'

/** Reads one backtick-quoted identifier the way MariaDB does; fails unless it spans the whole text. */
function readIdentifier(sql: string): string {
  if (!sql.startsWith('`')) throw new Error(`not a quoted identifier: ${sql}`)
  let name = ''
  let at = 1
  for (;;) {
    const next = sql.indexOf('`', at)
    if (next < 0) throw new Error(`unterminated identifier: ${sql}`)
    name += sql.slice(at, next)
    if (sql[next + 1] === '`') {
      name += '`'
      at = next + 2
      continue
    }
    if (next !== sql.length - 1) throw new Error(`text after the identifier: ${sql.slice(next + 1)}`)
    return name
  }
}

/** MariaDB's reading of a single-quoted string literal (backslash escapes on, as our sessions run). */
const UNESCAPE: Record<string, string> = {'0': '\0', b: '\b', t: '\t', n: '\n', r: '\r', Z: '\x1a', '\\': '\\', '\'': '\'', '"': '"'}
function readStringLiteral(sql: string): string {
  if (!sql.startsWith('\'')) throw new Error(`not a string literal: ${sql}`)
  let text = ''
  for (let at = 1; at < sql.length; at++) {
    const char = sql[at]
    if (char === '\\') {
      const escaped = sql[++at]
      text += UNESCAPE[escaped] ?? escaped
    } else if (char === '\'') {
      if (sql[at + 1] === '\'') {
        text += '\''
        at++
      } else if (at === sql.length - 1) {
        return text
      } else {
        throw new Error(`text after the literal: ${sql.slice(at + 1)}`)
      }
    } else {
      text += char
    }
  }
  throw new Error(`unterminated literal: ${sql}`)
}

test('quoteIdentifier wraps a name in backticks', (t) => {
  t.is(quoteIdentifier('sales_flat_order'), '`sales_flat_order`')
})

test('quoteIdentifier doubles backticks so a hostile name stays one identifier', (t) => {
  const name = 'a`b; DROP TABLE x'
  const quoted = quoteIdentifier(name)

  t.is(quoted, '`a``b; DROP TABLE x`')
  t.is(readIdentifier(quoted), name)
})

test('quoteIdentifier keeps a name made only of backticks as one identifier', (t) => {
  t.is(readIdentifier(quoteIdentifier('``')), '``')
})

test('quoteIdentifier rejects a name with a NUL byte', (t) => {
  t.throws(() => quoteIdentifier('a\0b'), {message: /NUL/})
})

test('qualifiedName quotes database and table separately', (t) => {
  t.is(qualifiedName('m1`db', 'core_store'), '`m1``db`.`core_store`')
  t.is(qualifiedName(undefined, 'core_store'), '`core_store`')
})

test('stringLiteral escapes each special character as MariaDB expects', (t) => {
  t.is(stringLiteral('\0'), String.raw`'\0'`)
  t.is(stringLiteral('\b'), String.raw`'\b'`)
  t.is(stringLiteral('\t'), String.raw`'\t'`)
  t.is(stringLiteral('\n'), String.raw`'\n'`)
  t.is(stringLiteral('\r'), String.raw`'\r'`)
  t.is(stringLiteral('\x1a'), String.raw`'\Z'`)
  t.is(stringLiteral('"'), String.raw`'\"'`)
  t.is(stringLiteral('\''), String.raw`'\''`)
  t.is(stringLiteral('\\'), String.raw`'\\'`)
})

test('stringLiteral round-trips every special character, mixed with text', (t) => {
  const texts = ['', 'plain', 'O\'Brien', 'C:\\path\\to', 'line1\r\nline2\tend', '\0\b\t\n\r\x1a"\'\\', 'ünï©ødé 🚀', '\\\'', '%_ wildcards stay']
  for (const text of texts) t.is(readStringLiteral(stringLiteral(text)), text, JSON.stringify(text))
})

test('valueLiteral writes null as NULL', (t) => {
  t.is(valueLiteral(null), 'NULL')
  t.is(valueLiteral(null, true), 'NULL')
})

test('valueLiteral writes a Buffer as a hex literal of its exact bytes', (t) => {
  t.is(valueLiteral(Buffer.from([0x00, 0x27, 0x5c, 0xff])), 'X\'00275cff\'')
})

test('valueLiteral writes an empty Buffer as an empty string', (t) => {
  t.is(valueLiteral(Buffer.alloc(0)), '\'\'')
})

test('valueLiteral writes a numeric column\'s unsigned bigint text as bare digits', (t) => {
  t.is(valueLiteral('18446744073709551615', true), '18446744073709551615')
})

test('valueLiteral writes decimal and exponent text bare in a numeric column', (t) => {
  t.is(valueLiteral('-12.50', true), '-12.50')
  t.is(valueLiteral('1.5e-3', true), '1.5e-3')
})

test('valueLiteral quotes text in a numeric column that is not a plain number', (t) => {
  t.is(valueLiteral('12 OR 1=1', true), '\'12 OR 1=1\'')
  t.is(valueLiteral('', true), '\'\'')
  t.is(valueLiteral('1\n', true), '\'1\\n\'')
})

test('valueLiteral quotes numeric-looking text in a text column, keeping leading zeros', (t) => {
  t.is(valueLiteral('007'), '\'007\'')
})

test('valueLiteral writes numbers, bigints and booleans bare', (t) => {
  t.is(valueLiteral(42), '42')
  t.is(valueLiteral(-0.5), '-0.5')
  t.is(valueLiteral(2n ** 64n - 1n), '18446744073709551615')
  t.is(valueLiteral(true), '1')
  t.is(valueLiteral(false), '0')
})

test('valueLiteral refuses NaN and infinities', (t) => {
  t.throws(() => valueLiteral(Number.NaN), {message: /NaN/})
  t.throws(() => valueLiteral(Number.POSITIVE_INFINITY), {message: /Infinity/})
  t.throws(() => valueLiteral(Number.NEGATIVE_INFINITY), {message: /Infinity/})
})
