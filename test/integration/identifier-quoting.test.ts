/**
 * Identifier quoting through a whole migrate:data run against the real MariaDB: tables and
 * columns whose names hold backticks, spaces and SQL are read (counted, paged by key, streamed),
 * emptied and written under their exact names, and nothing else in either database is touched.
 */
import test, {type ExecutionContext} from 'ava'
import {type TestDatabase, withDatabases} from '../helpers/db.js'
import {migrateData, writeConfig, writeMapFile} from '../helpers/migration.js'



/** Names that break out of unescaped backticks into a statement that drops the sentinel. */
const TABLE = 'evil`; DROP TABLE sentinel; --'
const KEY_COLUMN = 'key` = 1; DROP TABLE sentinel; --'
const SPACED_COLUMN = 'col`umn with space'

function quote(name: string): string {
  return '`' + name.replaceAll('`', '``') + '`'
}

async function createSentinel(db: TestDatabase): Promise<void> {
  await db.exec("CREATE TABLE sentinel (id int PRIMARY KEY, note varchar(20)); INSERT INTO sentinel VALUES (1, 'still here')")
}

async function sentinelRows(db: TestDatabase): Promise<unknown[]> {
  return db.query('SELECT id, note FROM sentinel')
}

/** Builds the same table in both databases (source filled), plus a sentinel in each, and copies. */
async function copyOddlyNamed(t: ExecutionContext, label: string, definition: string) {
  const [source, destination] = await withDatabases(t, [`${label}_src`, `${label}_dst`])
  for (const db of [source, destination]) {
    await createSentinel(db)
    await db.exec(`CREATE TABLE ${quote(TABLE)} (${definition}) DEFAULT CHARSET=utf8mb4`)
  }
  await source.exec(`INSERT INTO ${quote(TABLE)} (${quote(KEY_COLUMN)}, ${quote(SPACED_COLUMN)}) SELECT seq, CONCAT('value ', seq, ' \`x\`') FROM seq_1_to_9`)
  // The destination holds a stale row, which the copy must empty out of this table only.
  await destination.exec(`INSERT INTO ${quote(TABLE)} (${quote(KEY_COLUMN)}, ${quote(SPACED_COLUMN)}) VALUES (100, 'stale')`)
  const config = writeConfig({source, destination, mapFile: writeMapFile(), options: {bulk_size: '2'}})
  const result = await migrateData(config)
  const rows = (db: TestDatabase) => db.query(`SELECT ${quote(KEY_COLUMN)} AS k, ${quote(SPACED_COLUMN)} AS v FROM ${quote(TABLE)} ORDER BY 1`)
  return {source, destination, result, sourceRows: await rows(source), destinationRows: await rows(destination)}
}

test('a table and key column with backticks in their names copy correctly, paged by that key', async (t) => {
  const copied = await copyOddlyNamed(t, 'quoting_keyed', `${quote(KEY_COLUMN)} int NOT NULL PRIMARY KEY, ${quote(SPACED_COLUMN)} varchar(40)`)

  t.is(copied.result.exitCode, 0, copied.result.log.lines.join('\n'))
  t.is(copied.sourceRows.length, 9)
  t.deepEqual(copied.destinationRows, copied.sourceRows)
})

test('a table with oddly named columns and no key copies correctly through the ordered stream', async (t) => {
  const copied = await copyOddlyNamed(t, 'quoting_unkeyed', `${quote(KEY_COLUMN)} int NOT NULL, ${quote(SPACED_COLUMN)} varchar(40)`)

  t.is(copied.result.exitCode, 0, copied.result.log.lines.join('\n'))
  t.is(copied.sourceRows.length, 9)
  t.deepEqual(copied.destinationRows, copied.sourceRows)
})

test('copying oddly named tables leaves every other table of both databases alone', async (t) => {
  const copied = await copyOddlyNamed(t, 'quoting_sentinel', `${quote(KEY_COLUMN)} int NOT NULL PRIMARY KEY, ${quote(SPACED_COLUMN)} varchar(40)`)

  t.is(copied.result.exitCode, 0, copied.result.log.lines.join('\n'))
  // The sentinel is itself a mapped document: it is copied like any other, never dropped.
  t.deepEqual(await sentinelRows(copied.source), [{id: 1, note: 'still here'}])
  t.deepEqual(await sentinelRows(copied.destination), [{id: 1, note: 'still here'}])
  const tables = async (db: TestDatabase) => (await db.query<{name: string}>('SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY 1', [db.name])).map((row) => row.name)
  t.deepEqual(await tables(copied.source), [TABLE, 'sentinel'].sort())
  // m2migrate_progress is the tool's own record of where the run stands (see README).
  t.deepEqual(await tables(copied.destination), [TABLE, 'm2migrate_progress', 'sentinel'].sort())
})
