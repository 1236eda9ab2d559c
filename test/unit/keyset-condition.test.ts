import test from 'ava'
import {keysetCondition, selectList} from '../../src/adapters/mysql/mysql-source.js'
import type {Value} from '../../src/pipeline/row.js'
import type {ColumnSchema, TableSchema} from '../../src/schema/table-schema.js'

function column(name: string, numeric: boolean): ColumnSchema {
  return {name, dataType: numeric ? 'int' : 'varchar', columnType: numeric ? 'int(10) unsigned' : 'varchar(64)', nullable: false, defaultValue: null, autoIncrement: false, binary: false, numeric}
}

function table(columns: readonly ColumnSchema[], primaryKey: readonly string[]): TableSchema {
  return {name: 't', physicalName: 't', columns, primaryKey, uniqueKeys: [], averageRowLength: 0}
}

/**
 * Evaluates a keyset condition over integer keys as JavaScript, to check its meaning rather than
 * its spelling: identifiers become the row's values, `=` becomes `===`.
 */
function predicate(condition: string, key: readonly string[]): (row: readonly number[]) => boolean {
  const js = condition
    .replace(/`([^`]+)`/g, (_, name: string) => `row[${key.indexOf(name)}]`)
    .replaceAll(' AND ', ' && ')
    .replaceAll(' OR ', ' || ')
    .replace(/ = /g, ' === ')
  if (!/^[\w\s[\]()&|<>=!]+$/.test(js)) throw new Error(`unexpected condition: ${condition}`)
  return new Function('row', `return ${js}`) as (row: readonly number[]) => boolean
}

function after(row: readonly number[], key: readonly number[]): boolean {
  for (let at = 0; at < key.length; at++) {
    if (row[at] !== key[at]) return row[at] > key[at]
  }
  return false
}

test('a single-column key gives one strict comparison', (t) => {
  const schema = table([column('entity_id', true), column('name', false)], ['entity_id'])

  t.is(keysetCondition(schema, ['entity_id'], ['42']), '`entity_id` > 42')
})

test('a two-column key gives a leading bound and one branch per column', (t) => {
  const schema = table([column('store_id', true), column('code', false)], ['store_id', 'code'])

  t.is(keysetCondition(schema, ['store_id', 'code'], ['1', 'ab\'c']),
    '`store_id` >= 1 AND (`store_id` > 1 OR (`store_id` = 1 AND `code` > \'ab\\\'c\'))')
})

test('a three-column key gives three branches', (t) => {
  const schema = table([column('a', true), column('b', true), column('c', true)], ['a', 'b', 'c'])

  t.is(keysetCondition(schema, ['a', 'b', 'c'], ['1', '2', '3']),
    '`a` >= 1 AND (`a` > 1 OR (`a` = 1 AND `b` > 2) OR (`a` = 1 AND `b` = 2 AND `c` > 3))')
})

test('a three-column condition holds exactly for the rows after the key', (t) => {
  const key = ['a', 'b', 'c']
  const schema = table(key.map((name) => column(name, true)), key)
  const grid: number[][] = []
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) for (let c = 0; c < 3; c++) grid.push([a, b, c])

  for (const bound of grid) {
    const holds = predicate(keysetCondition(schema, key, bound.map(String)), key)
    for (const row of grid) t.is(holds(row), after(row, bound), `row ${row.join(',')} after ${bound.join(',')}`)
  }
})

test('a numeric key column takes a bare number and a text key column a quoted string', (t) => {
  const schema = table([column('number', true), column('text', false)], ['number'])

  t.is(keysetCondition(schema, ['number'], ['10']), '`number` > 10')
  t.is(keysetCondition(schema, ['text'], ['10']), '`text` > \'10\'')
})

test('a binary key value is compared as a hex literal', (t) => {
  const schema = table([{...column('hash', false), dataType: 'varbinary', binary: true}], ['hash'])
  const value: Value = Buffer.from([0x00, 0xff])

  t.is(keysetCondition(schema, ['hash'], [value]), '`hash` > X\'00ff\'')
})

test('a backtick in a key column name is quoted', (t) => {
  const schema = table([column('we`ird', true)], ['we`ird'])

  t.is(keysetCondition(schema, ['we`ird'], ['5']), '`we``ird` > 5')
})

test('selectList quotes every column in table order', (t) => {
  t.is(selectList(table([column('id', true), column('a`b', false)], ['id'])), '`id`, `a``b`')
})
