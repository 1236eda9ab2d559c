import test from 'ava'
import {buildInsertStatements} from '../../src/adapters/mysql/batch-writer.js'
import type {Row} from '../../src/pipeline/row.js'

const HEAD = 'INSERT INTO `t` (`id`, `name`) VALUES '

/** The tuples of one statement as literal texts, read with quotes and backslash escapes respected. */
function tuples(statement: string): string[][] {
  if (!statement.startsWith(HEAD)) throw new Error(`unexpected statement head: ${statement.slice(0, 60)}`)
  const body = statement.slice(HEAD.length)
  const found: string[][] = []
  let current: string[] = []
  let value = ''
  let quoted = false
  for (let at = 0; at < body.length; at++) {
    const char = body[at]
    if (quoted) {
      value += char
      if (char === '\\') value += body[++at]
      else if (char === '\'') quoted = false
    } else if (char === '\'') {
      quoted = true
      value += char
    } else if (char === '(') {
      current = []
      value = ''
    } else if (char === ',' && value !== '') {
      current.push(value)
      value = ''
    } else if (char === ')') {
      current.push(value)
      found.push(current)
      value = ''
    } else if (char !== ',') {
      value += char
    }
  }
  return found
}

function rowsOf(count: number, name: (id: number) => string): Row[] {
  return Array.from({length: count}, (_, id) => [String(id + 1), name(id + 1)])
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
}

test('rows are split into statements of at most bulkSize rows, in order', (t) => {
  const statements = buildInsertStatements('t', ['id', 'name'], [true, false], rowsOf(5, (id) => `n${id}`), {bulkSize: 2, maxStatementBytes: 1 << 20})

  t.deepEqual(statements.map(tuples), [
    [['1', '\'n1\''], ['2', '\'n2\'']],
    [['3', '\'n3\''], ['4', '\'n4\'']],
    [['5', '\'n5\'']],
  ])
})

test('bulkSize 0 lets the statement budget alone decide', (t) => {
  const statements = buildInsertStatements('t', ['id', 'name'], [true, false], rowsOf(1000, (id) => `n${id}`), {bulkSize: 0, maxStatementBytes: 1 << 20})

  t.is(statements.length, 1)
  t.is(tuples(statements[0]).length, 1000)
})

test('no rows give no statement', (t) => {
  t.deepEqual(buildInsertStatements('t', ['id', 'name'], [true, false], [], {bulkSize: 0, maxStatementBytes: 1 << 20}), [])
})

test('the budget counts UTF-8 bytes, not characters', (t) => {
  // Each name is 100 euro signs: 100 characters but 300 bytes. Counted in characters, all ten rows
  // fit the budget; counted in bytes they do not.
  const rows = rowsOf(10, () => '€'.repeat(100))
  const budget = 1500
  const characters = HEAD.length + rows.length * ('(10,\'\'),'.length + 100)
  t.true(characters < budget, 'the rows would fit if characters were counted')

  const statements = buildInsertStatements('t', ['id', 'name'], [true, false], rows, {bulkSize: 0, maxStatementBytes: budget})

  t.true(statements.length > 1)
  for (const statement of statements) t.true(Buffer.byteLength(statement) <= budget, `${Buffer.byteLength(statement)} bytes`)
  t.is(statements.flatMap(tuples).length, 10)
})

test('a row bigger than the budget goes into a statement of its own', (t) => {
  const rows: Row[] = [['1', 'small'], ['2', 'x'.repeat(5000)], ['3', 'small']]

  const statements = buildInsertStatements('t', ['id', 'name'], [true, false], rows, {bulkSize: 0, maxStatementBytes: 1000})

  t.deepEqual(statements.map((statement) => tuples(statement).map(([id]) => id)), [['1'], ['2'], ['3']])
  t.true(Buffer.byteLength(statements[0]) <= 1000)
  t.true(Buffer.byteLength(statements[2]) <= 1000)
})

test('the table and column names are quoted', (t) => {
  const [statement] = buildInsertStatements('a`b', ['id', 'we`ird'], [true, false], [['1', 'x']], {bulkSize: 0, maxStatementBytes: 1 << 20})

  t.is(statement, 'INSERT INTO `a``b` (`id`, `we``ird`) VALUES (1,\'x\')')
})

test('numeric columns are written bare and text columns quoted', (t) => {
  const [statement] = buildInsertStatements('t', ['id', 'name'], [true, false], [['5', '5'], [null, null]], {bulkSize: 0, maxStatementBytes: 1 << 20})

  t.is(statement, `${HEAD}(5,'5'),(NULL,NULL)`)
})

test('no statement exceeds the budget when every row fits, and every row is written once in order', (t) => {
  const next = random(20260101)
  const alphabet = ['a', 'é', '€', '🚀', '\'', '\\', '\n', ',', '(', ')']
  for (let round = 0; round < 50; round++) {
    const rows: Row[] = Array.from({length: 1 + Math.floor(next() * 200)}, (_, at) => {
      const length = Math.floor(next() * 40)
      return [String(at + 1), Array.from({length}, () => alphabet[Math.floor(next() * alphabet.length)]).join('')]
    })
    const budget = 300 + Math.floor(next() * 3000)
    const bulkSize = Math.floor(next() * 30)

    const statements = buildInsertStatements('t', ['id', 'name'], [true, false], rows, {bulkSize, maxStatementBytes: budget})

    for (const statement of statements) {
      t.true(Buffer.byteLength(statement) <= budget, `round ${round}: ${Buffer.byteLength(statement)} > ${budget}`)
      if (bulkSize > 0) t.true(tuples(statement).length <= bulkSize)
    }
    t.deepEqual(statements.flatMap(tuples).map(([id]) => id), rows.map(([id]) => id), `round ${round}`)
  }
})
