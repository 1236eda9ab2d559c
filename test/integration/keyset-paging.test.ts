/**
 * Keyset paging of the MySQL source against the real MariaDB: a million rows under a composite
 * primary key are copied by migrate:data, and the statements the server received show pages that
 * continue after the previous page's last key (never OFFSET), each one a range scan on PRIMARY.
 *
 * The statements are read from the server's general log (log_output=TABLE) for the duration of
 * the one copy; the destination's sessions turn it off for themselves (sql_log_off, through the
 * config's init_statements_destination), so the log holds the source's statements only and not
 * the million rows' INSERTs.
 */
import test, {type ExecutionContext} from 'ava'
import mysql from 'mysql2/promise'
import {createTestDatabase, serverParams, type TestDatabase, withDatabases} from '../helpers/db.js'
import {migrateData, type MigrateResult, writeConfig, writeMapFile} from '../helpers/migration.js'



const ROWS = 1_000_000
const MILLION_TABLE = 'CREATE TABLE million (a int NOT NULL, b varchar(20) NOT NULL, c bigint unsigned NOT NULL, payload varchar(40), PRIMARY KEY (a, b, c)) ENGINE=InnoDB'
/**
 * 97 values of a, 13 of b and a unique c near the top of bigint unsigned: about 800 rows share
 * each (a, b), so page boundaries fall inside groups and the `c >` branch of the keyset is used.
 */
const MILLION_ROWS = `INSERT INTO million SELECT seq MOD 97, CONCAT('k', seq MOD 13), 18446744073709551615 - seq, CONCAT('row ', seq) FROM seq_1_to_${ROWS}`

interface MillionCopy {
  source: TestDatabase
  destination: TestDatabase
  result: MigrateResult
  /** Every statement the source's connections sent during the copy, in order. */
  statements: string[]
  seconds: number
}

let copy: MillionCopy | undefined
const created: TestDatabase[] = []

/** Runs work with the general log written to mysql.general_log; restores the server's settings after. */
async function withGeneralLog<T>(work: () => Promise<T>): Promise<T> {
  const admin = await mysql.createConnection(serverParams())
  const [[before]] = await admin.query('SELECT @@GLOBAL.general_log AS enabled, @@GLOBAL.log_output AS output') as unknown as [{enabled: number; output: string}[]]
  try {
    await admin.query("SET GLOBAL log_output = 'TABLE'")
    await admin.query('SET GLOBAL general_log = 1')
    return await work()
  } finally {
    await admin.query(`SET GLOBAL general_log = ${Number(before.enabled) ? 1 : 0}`)
    await admin.query('SET GLOBAL log_output = ?', [before.output])
    await admin.end()
  }
}

/** Statements of the connections that were opened on database, from mysql.general_log. */
async function loggedStatements(database: string): Promise<string[]> {
  const admin = await mysql.createConnection(serverParams())
  try {
    const [rows] = await admin.query(`SELECT CONVERT(argument USING utf8mb4) AS statement FROM mysql.general_log
      WHERE command_type = 'Query' AND thread_id IN (
        SELECT thread_id FROM mysql.general_log WHERE command_type = 'Connect' AND CONVERT(argument USING utf8mb4) LIKE ?)
      ORDER BY event_time`, [`% on ${database} %`]) as unknown as [{statement: string}[]]
    return rows.map((row) => row.statement)
  } finally {
    await admin.end()
  }
}

async function clearGeneralLogIfOff(): Promise<void> {
  const admin = await mysql.createConnection(serverParams())
  try {
    const [[state]] = await admin.query('SELECT @@GLOBAL.general_log AS enabled') as unknown as [{enabled: number}[]]
    // Only when nobody else logs: the log held a million rows' worth of our statements.
    if (!Number(state.enabled)) await admin.query('TRUNCATE TABLE mysql.general_log')
  } finally {
    await admin.end()
  }
}

test.before(async () => {
  const source = await createTestDatabase('keyset_million_src')
  created.push(source)
  const destination = await createTestDatabase('keyset_million_dst')
  created.push(destination)
  await source.exec(`${MILLION_TABLE}; ${MILLION_ROWS}`)
  await destination.exec(MILLION_TABLE)
  const config = writeConfig({source, destination, mapFile: writeMapFile(), options: {init_statements_destination: 'SET SESSION sql_log_off = 1'}})
  const started = Date.now()
  const result = await withGeneralLog(() => migrateData(config))
  const seconds = (Date.now() - started) / 1000
  const statements = await loggedStatements(source.name)
  await clearGeneralLogIfOff()
  copy = {source, destination, result, statements, seconds}
})

test.after.always(async () => {
  await Promise.all(created.map((db) => db.drop()))
})

function million(): MillionCopy {
  if (!copy) throw new Error('the million-row copy did not run')
  return copy
}

/** The SELECTs that read pages of million (not COUNT(*) or introspection). */
function pageSelects(statements: readonly string[]): string[] {
  return statements.filter((sql) => /^SELECT /.test(sql) && /FROM `million`/.test(sql) && !/COUNT\(\*\)/.test(sql))
}

test('a million-row table with a composite key copies completely, with an equal row count and checksum', async (t) => {
  const {source, destination, result, seconds} = million()
  t.is(result.exitCode, 0, result.log.lines.join('\n'))
  t.is(result.rows, ROWS)
  const [[sourceCount], [destinationCount]] = [await source.query<{n: number}>('SELECT COUNT(*) AS n FROM million'), await destination.query<{n: number}>('SELECT COUNT(*) AS n FROM million')]
  t.is(Number(destinationCount.n), Number(sourceCount.n))
  const [[sourceSum], [destinationSum]] = [await source.query<{Checksum: number}>('CHECKSUM TABLE million'), await destination.query<{Checksum: number}>('CHECKSUM TABLE million')]
  t.is(String(destinationSum.Checksum), String(sourceSum.Checksum))
  t.log(`copied ${ROWS} rows in ${seconds.toFixed(1)} s`)
})

test('the source reads the million rows in more than one page, each ordered by the whole primary key', (t) => {
  const pages = pageSelects(million().statements)
  t.true(pages.length > 1, `page SELECTs seen: ${pages.length}`)
  for (const sql of pages) t.regex(sql, /ORDER BY `a`, `b`, `c` LIMIT \d+$/)
})

test('every page after the first continues strictly after the last key of the page before it', async (t) => {
  const {source, statements} = million()
  const pages = pageSelects(statements)
  t.notRegex(pages[0], /WHERE/, 'the first page starts at the beginning')
  const pageSize = Number(/LIMIT (\d+)$/.exec(pages[0])![1])
  // The key of the last row of every full page, found independently of the tool (one scan).
  const boundaries = await source.query<{a: number; b: string; c: string}>(`SELECT a, b, CAST(c AS CHAR) AS c FROM (
    SELECT a, b, c, ROW_NUMBER() OVER (ORDER BY a, b, c) AS r FROM million) numbered WHERE r MOD ${pageSize} = 0 ORDER BY r`)
  t.is(pages.length, Math.floor(ROWS / pageSize) + 1, 'one page per full page of rows, plus the last (short or empty) one')
  for (const [at, sql] of pages.entries()) {
    if (at === 0) continue
    const last = boundaries[at - 1]
    const where = /WHERE (.*) ORDER BY/.exec(sql)?.[1] ?? ''
    t.true(where.includes(`\`a\` > ${last.a}`) && where.includes(`\`b\` > '${last.b}'`) && where.includes(`\`c\` > ${last.c}`), `page ${at + 1}: ${where}`)
  }
})

test('no statement the source received uses OFFSET', (t) => {
  const {statements} = million()
  t.true(statements.length > 0)
  t.deepEqual(statements.filter((sql) => /\bOFFSET\b/i.test(sql)), [])
})

test('a keyset page SELECT on the composite key is a range scan of PRIMARY, not a full scan', async (t) => {
  const {source, statements} = million()
  const keyset = pageSelects(statements).filter((sql) => sql.includes(' WHERE '))
  t.true(keyset.length > 0)
  for (const sql of [keyset[0], keyset[keyset.length - 1]]) {
    const [plan] = await source.query<{type: string; key: string | null}>(`EXPLAIN ${sql}`)
    t.is(plan.type, 'range', sql)
    t.is(plan.key, 'PRIMARY', sql)
  }
})

test('string and binary key values that need escaping page correctly with small pages', async (t) => {
  const [source, destination] = await withDatabases(t, ['keyset_escape_src', 'keyset_escape_dst'])
  const table = 'CREATE TABLE tricky (name varchar(40) NOT NULL, raw varbinary(8) NOT NULL, n int, PRIMARY KEY (name, raw)) DEFAULT CHARSET=utf8mb4'
  await source.exec(table)
  await destination.exec(table)
  const names = ["it's", 'back\\slash', 'quote"', 'nl\nx', 'nul\0x', 'ümlaut', '😀', 'Zed', 'zed2', '%', '_']
  const raws = [Buffer.from([0]), Buffer.from([0xff]), Buffer.from([0x27, 0x5c]), Buffer.from([0x80, 0x00, 0x01])]
  let n = 0
  for (const name of names) for (const raw of raws) await source.query('INSERT INTO tricky VALUES (?, ?, ?)', [name, raw, n++])
  const config = writeConfig({source, destination, mapFile: writeMapFile(), options: {bulk_size: '2'}})

  const result = await migrateData(config)

  t.is(result.exitCode, 0, result.log.lines.join('\n'))
  t.is(result.rows, names.length * raws.length)
  const rows = async (db: TestDatabase) => db.query('SELECT HEX(name) AS name, HEX(raw) AS raw, n FROM tricky ORDER BY n')
  t.deepEqual(await rows(destination), await rows(source))
})

test('a table without a primary key pages by its unique NOT NULL key', async (t) => {
  const [source, destination] = await withDatabases(t, ['keyset_unique_src', 'keyset_unique_dst'])
  const table = 'CREATE TABLE coded (code char(3) NOT NULL, label varchar(20), UNIQUE KEY code (code)) DEFAULT CHARSET=utf8mb4'
  await source.exec(`${table}; INSERT INTO coded SELECT LPAD(seq, 3, '0'), CONCAT('label ', seq) FROM seq_1_to_250`)
  await destination.exec(table)
  const config = writeConfig({source, destination, mapFile: writeMapFile(), options: {bulk_size: '100'}})

  const result = await migrateData(config)

  t.is(result.exitCode, 0, result.log.lines.join('\n'))
  t.false(result.log.lines.some((line) => line.includes('no primary or unique NOT NULL key')), 'not read as an unkeyed stream')
  const [[sourceSum], [destinationSum]] = [await source.query<{Checksum: number}>('CHECKSUM TABLE coded'), await destination.query<{Checksum: number}>('CHECKSUM TABLE coded')]
  t.is(String(destinationSum.Checksum), String(sourceSum.Checksum))
  t.is(result.rows, 250)
})

/** Copies a table keyed by (k, n) with pages of 5 rows; returns the source and destination rows. */
async function copyKeyedBy(t: ExecutionContext, label: string, keyType: string, values: readonly unknown[], exact = 'HEX(k)') {
  const [source, destination] = await withDatabases(t, [`${label}_src`, `${label}_dst`])
  const table = `CREATE TABLE keyed (k ${keyType} NOT NULL, n int NOT NULL, PRIMARY KEY (k, n)) DEFAULT CHARSET=utf8mb4`
  await source.exec(table)
  await destination.exec(table)
  for (const value of values) await source.query('INSERT INTO keyed SELECT ?, seq FROM seq_1_to_7', [value])
  const config = writeConfig({source, destination, mapFile: writeMapFile(), options: {bulk_size: '5'}})
  const result = await migrateData(config)
  const rows = async (db: TestDatabase) => db.query(`SELECT ${exact} AS k, n FROM keyed ORDER BY keyed.k, n`)
  return {result, sourceRows: await rows(source), destinationRows: await rows(destination)}
}

test('an enum key pages in member order, which is not the order of the members\' text', async (t) => {
  // Member order z, a, m: the index sorts z first, while 'a' > 'z' is false as text.
  const copied = await copyKeyedBy(t, 'keyset_enum', "enum('z','a','m','it''s','back\\\\slash')", ['a', 'm', 'z', "it's", 'back\\slash'])
  t.is(copied.result.exitCode, 0, copied.result.log.lines.join('\n'))
  t.is(copied.sourceRows.length, 35)
  t.deepEqual(copied.destinationRows, copied.sourceRows)
})

test('a set key pages in the order of its bit value, which is not the order of its text', async (t) => {
  const copied = await copyKeyedBy(t, 'keyset_set', "set('z','a','m')", ['', 'z', 'a', 'z,a', 'm', 'z,m', 'a,m', 'z,a,m'])
  t.is(copied.result.exitCode, 0, copied.result.log.lines.join('\n'))
  t.is(copied.sourceRows.length, 56)
  t.deepEqual(copied.destinationRows, copied.sourceRows)
})

/**
 * Key types whose values the source must read and write back exactly for `k = last` to find the
 * rest of a group: seven rows share each k, so pages of five end inside groups.
 */
const KEY_TYPES: {type: string; values: unknown[]; exact?: string}[] = [
  {type: 'float', values: ['0.1', '3.4028234e38', '-1e-30', '16777217', '1.4e-45'], exact: 'CONCAT(k + 0e0)'},
  {type: 'double', values: ['0.1', '1.7976931348623157e308', '-5e-324', '0.30000000000000004'], exact: 'CONCAT(k)'},
  {type: 'decimal(30,10)', values: ['-99999999999999999999.9999999999', '0.0000000001', '12345.6789']},
  {type: 'bigint unsigned', values: ['18446744073709551615', '9223372036854775808', '0']},
  {type: 'bit(64)', values: [Buffer.from([0]), Buffer.from([0x7f, 0xff]), Buffer.from('ffffffffffffffff', 'hex')]},
  {type: 'datetime(6)', values: ['2024-01-01 00:00:00.000001', '0000-00-00 00:00:00', '9999-12-31 23:59:59.999999']},
  {type: 'time(6)', values: ['-838:59:59', '-00:00:00.000001', '100:00:00']},
  {type: 'year', values: ['1901', '2155', '0']},
  {type: 'binary(3)', values: [Buffer.from([0]), Buffer.from([0, 0, 1]), Buffer.from([0x61, 0, 0xff])]},
  {type: "varchar(10) COLLATE utf8mb4_general_ci", values: ['a', 'B', 'c ', 'é', 'Z']},
  {type: 'varchar(10) COLLATE utf8mb4_bin', values: ['a', 'B', 'A', 'b']},
]

for (const {type, values, exact} of KEY_TYPES) {
  test(`a ${type} key pages through groups of rows sharing a key value without losing or repeating rows`, async (t) => {
    const label = `keyset_${type.replace(/\W+/g, '_')}`
    const copied = await copyKeyedBy(t, label, type, values, exact)
    t.is(copied.result.exitCode, 0, copied.result.log.lines.join('\n'))
    t.is(copied.sourceRows.length, values.length * 7)
    t.deepEqual(copied.destinationRows, copied.sourceRows)
  })
}
