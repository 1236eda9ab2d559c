/**
 * MysqlSource.read against the real MariaDB: order and completeness, and what happens to the
 * reading connection when the consumer is slow, stops early, or the server fails mid-read. The
 * pools here hold one connection, so a connection that is neither returned nor destroyed makes
 * the next query hang (caught by a timeout).
 */
import {setTimeout as sleep} from 'node:timers/promises'
import test, {type ExecutionContext} from 'ava'
import type {RowBatch} from '../../src/adapters/document-port.js'
import {MysqlDatabase} from '../../src/adapters/mysql/mysql-database.js'
import {introspectMysql} from '../../src/adapters/mysql/mysql-introspector.js'
import {MysqlSource} from '../../src/adapters/mysql/mysql-source.js'
import type {DatabaseResourceConfig} from '../../src/config/migration-config.js'
import {isMigrationError} from '../../src/errors.js'
import type {TableSchema} from '../../src/schema/table-schema.js'
import {type TestDatabase, withDatabases} from '../helpers/db.js'

function resourceFor(db: TestDatabase): DatabaseResourceConfig {
  const {host, port, user, password, name} = db.params
  return {kind: 'database', database: {host, port, user, password, name}, initStatements: [], prefix: ''}
}

/** A pool of one connection on db, closed when the test ends. */
function singleConnectionPool(t: ExecutionContext, db: TestDatabase): MysqlDatabase {
  const database = new MysqlDatabase(resourceFor(db), {connectionLimit: 1})
  t.teardown(() => database.close())
  return database
}

/** Fails (instead of hanging the test) when the pool has no connection to give. */
async function within<T>(work: Promise<T>, what: string, ms = 5000): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms: the pool's only connection is still held`)), ms)
  })
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
  }
}

async function connectionId(database: MysqlDatabase): Promise<number> {
  const [[id]] = await within(database.query('SELECT CONNECTION_ID()'), 'SELECT CONNECTION_ID()')
  return Number(id)
}

async function tableSchema(database: MysqlDatabase, name: string): Promise<TableSchema> {
  const schema = await introspectMysql(database)
  const table = schema.tables.get(name)
  if (!table) throw new Error(`table ${name} was not introspected`)
  return table
}

/** Keyed table `keyed` (id, label) with ids 1..rows inserted in reverse order. */
async function createKeyed(db: TestDatabase, rows: number): Promise<void> {
  await db.exec(`CREATE TABLE keyed (id int NOT NULL PRIMARY KEY, label varchar(40) NOT NULL) ENGINE=InnoDB;
    INSERT INTO keyed SELECT seq, CONCAT('row ', seq) FROM seq_${rows}_to_1_step_1`)
}

/** Table `loose` without any key, rows in no particular order, with padding so a stream outgrows socket buffers. */
async function createUnkeyed(db: TestDatabase, rows: number, padding = 10): Promise<void> {
  await db.exec(`CREATE TABLE loose (n int NOT NULL, label varchar(40), pad varchar(255)) ENGINE=InnoDB;
    INSERT INTO loose SELECT (seq * 7919) MOD ${rows}, CONCAT('row ', seq), REPEAT('x', ${padding}) FROM seq_1_to_${rows}`)
}

async function readAll(batches: AsyncIterable<RowBatch>, pause = 0): Promise<RowBatch[]> {
  const all: RowBatch[] = []
  for await (const batch of batches) {
    all.push(batch)
    if (pause > 0) await sleep(pause)
  }
  return all
}

async function processIds(db: TestDatabase): Promise<number[]> {
  const rows = await db.query<{ID: number}>('SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ?', [db.name])
  return rows.map((row) => Number(row.ID))
}

async function waitUntil(condition: () => Promise<boolean>, ms = 3000): Promise<boolean> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (await condition()) return true
    await sleep(50)
  }
  return condition()
}

test('a fast reader gets every row of a keyed table once, in key order, page by page', async (t) => {
  const [db] = await withDatabases(t, ['stream_fast'])
  await createKeyed(db, 2500)
  const database = singleConnectionPool(t, db)
  const source = new MysqlSource(database)

  const batches = await readAll(source.read(await tableSchema(database, 'keyed'), {pageSize: 1000}))

  t.deepEqual(batches.map((batch) => batch.rows.length), [1000, 1000, 500])
  const ids = batches.flatMap((batch) => batch.rows.map((row) => row[0]))
  t.deepEqual(ids, Array.from({length: 2500}, (_, at) => at + 1))
  t.deepEqual(batches.map((batch) => batch.lastKey), [[1000], [2000], [2500]])
  t.deepEqual(batches[2].rows.at(-1), [2500, 'row 2500'])
})

test('a keyed read continues strictly after afterKey', async (t) => {
  const [db] = await withDatabases(t, ['stream_after'])
  await createKeyed(db, 50)
  const database = singleConnectionPool(t, db)

  const batches = await readAll(new MysqlSource(database).read(await tableSchema(database, 'keyed'), {pageSize: 20, afterKey: [40]}))

  t.deepEqual(batches.flatMap((batch) => batch.rows.map((row) => row[0])), [41, 42, 43, 44, 45, 46, 47, 48, 49, 50])
})

test('breaking out of a keyed read early returns its connection to a pool of one, ready for reuse', async (t) => {
  const [db] = await withDatabases(t, ['stream_break_keyed'])
  await createKeyed(db, 3000)
  const database = singleConnectionPool(t, db)
  const table = await tableSchema(database, 'keyed')
  const before = await connectionId(database)

  let pages = 0
  for await (const batch of new MysqlSource(database).read(table, {pageSize: 1000})) {
    pages++
    t.is(batch.rows.length, 1000)
    break
  }

  t.is(pages, 1)
  t.is(await connectionId(database), before, 'the same connection serves the next query: it was released, not lost')
})

test('a slow consumer of a keyed read, waiting between pages, receives every row exactly once', async (t) => {
  const [db] = await withDatabases(t, ['stream_slow_keyed'])
  await createKeyed(db, 1000)
  const database = singleConnectionPool(t, db)

  const batches = await readAll(new MysqlSource(database).read(await tableSchema(database, 'keyed'), {pageSize: 100}), 30)

  const ids = batches.flatMap((batch) => batch.rows.map((row) => row[0]))
  t.is(batches.length, 10, 'ten full pages; the empty page that ends the read yields nothing')
  t.deepEqual(ids, Array.from({length: 1000}, (_, at) => at + 1))
})

test('a slow consumer of an unkeyed stream receives every row exactly once, in order', async (t) => {
  const [db] = await withDatabases(t, ['stream_slow_unkeyed'])
  await createUnkeyed(db, 20_000, 200)
  const database = singleConnectionPool(t, db)

  const batches = await readAll(new MysqlSource(database).read(await tableSchema(database, 'loose'), {pageSize: 1000}), 20)

  t.is(batches.length, 20)
  t.deepEqual(batches.flatMap((batch) => batch.rows.map((row) => row[0])), Array.from({length: 20_000}, (_, at) => at))
  t.is(await connectionId(database) > 0, true, 'the pool still answers after the stream ended')
})

test('a keyed table dropped between pages rejects the read with DB_QUERY and releases the connection', async (t) => {
  const [db] = await withDatabases(t, ['stream_drop_keyed'])
  await createKeyed(db, 300)
  const database = singleConnectionPool(t, db)
  const reader = new MysqlSource(database).read(await tableSchema(database, 'keyed'), {pageSize: 100})

  const first = await reader.next()
  t.false(first.done)
  await db.exec('DROP TABLE keyed')
  const error = await t.throwsAsync(reader.next())

  t.true(isMigrationError(error), String(error))
  t.is(isMigrationError(error) ? error.code : undefined, 'DB_QUERY')
  t.regex(error?.message ?? '', /keyed/, 'the message names the missing table')
  t.true(await connectionId(database) > 0, 'the pool of one still answers')
})

test('a keyed read whose connection is killed between pages rejects with DB_QUERY and the pool recovers', async (t) => {
  const [db] = await withDatabases(t, ['stream_kill_keyed'])
  await createKeyed(db, 300)
  const database = singleConnectionPool(t, db)
  const table = await tableSchema(database, 'keyed')
  const reading = await connectionId(database)
  const reader = new MysqlSource(database).read(table, {pageSize: 100})

  t.false((await reader.next()).done)
  await db.exec(`KILL CONNECTION ${reading}`)
  const error = await t.throwsAsync(reader.next())

  t.is(isMigrationError(error) ? error.code : undefined, 'DB_QUERY', String(error))
  const after = await connectionId(database)
  t.not(after, reading, 'a new connection replaced the killed one')
})

test('an unkeyed stream whose connection is killed mid-stream rejects with DB_QUERY and the pool recovers', async (t) => {
  const [db] = await withDatabases(t, ['stream_kill_unkeyed'])
  // 100,000 rows of about 220 bytes: far more than socket buffers, so the server is still sending.
  await createUnkeyed(db, 100_000, 200)
  const database = singleConnectionPool(t, db)
  const table = await tableSchema(database, 'loose')
  const reading = await connectionId(database)
  const reader = new MysqlSource(database).read(table, {pageSize: 1000})

  t.false((await reader.next()).done)
  await db.exec(`KILL CONNECTION ${reading}`)
  const error = await t.throwsAsync(within(readAll(reader), 'the rest of the killed stream'))

  t.is(isMigrationError(error) ? error.code : undefined, 'DB_QUERY', String(error))
  t.not(await connectionId(database), reading, 'a new connection replaced the killed one')
})

test('an unkeyed table is read in one stream ordered by its columns, with no paging key', async (t) => {
  const [db] = await withDatabases(t, ['stream_unkeyed'])
  await createUnkeyed(db, 5000)
  const database = singleConnectionPool(t, db)
  const unkeyed: string[] = []
  const source = new MysqlSource(database, (table) => unkeyed.push(table.name))

  const batches = await readAll(source.read(await tableSchema(database, 'loose'), {pageSize: 1000}))

  t.deepEqual(unkeyed, ['loose'])
  t.deepEqual(batches.map((batch) => batch.rows.length), [1000, 1000, 1000, 1000, 1000])
  t.true(batches.every((batch) => batch.lastKey === null))
  t.deepEqual(batches.flatMap((batch) => batch.rows.map((row) => row[0])), Array.from({length: 5000}, (_, at) => at))
})

test('breaking out of an unkeyed stream early destroys its busy connection, and a pool of one still works', async (t) => {
  const [db] = await withDatabases(t, ['stream_break_unkeyed'])
  await createUnkeyed(db, 100_000, 200)
  const database = singleConnectionPool(t, db)
  const table = await tableSchema(database, 'loose')
  const reading = await connectionId(database)

  for await (const batch of new MysqlSource(database).read(table, {pageSize: 1000})) {
    t.is(batch.rows.length, 1000)
    break
  }

  const next = await connectionId(database)
  t.not(next, reading, 'the half-read connection was not handed out again')
  t.true(await waitUntil(async () => !(await processIds(db)).includes(reading)), 'the server closed the abandoned connection')
  const [[count]] = await within(database.query('SELECT COUNT(*) FROM loose'), 'a query after the break')
  t.is(Number(count), 100_000)
})
