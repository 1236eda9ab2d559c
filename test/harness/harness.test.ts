import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import type { ExecutionContext } from 'ava';
import mysql from 'mysql2/promise';
import { createTestDatabase, loadSqlFile, referencePath, serverParams, withDatabases } from '../helpers/db.js';
import type { TestDatabase } from '../helpers/db.js';

/** Asks a separate connection whether a schema exists, so the answer does not depend on db.conn. */
async function schemaExists(name: string): Promise<boolean> {
  const conn = await mysql.createConnection(serverParams());
  try {
    const [rows] = await conn.query('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [name]);
    return (rows as unknown[]).length > 0;
  } finally {
    await conn.end();
  }
}

async function tableCount(db: TestDatabase, type: 'BASE TABLE' | 'VIEW'): Promise<number> {
  const rows = await db.query<{ n: number }>(
    'SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = ?',
    [db.name, type],
  );
  return Number(rows[0]?.n);
}

async function brokenSqlFile(t: ExecutionContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'm2m-broken-sql-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'broken.sql');
  await writeFile(file, 'CREATE TABLE ok_table (id INT);\nCREATE TABLE broken (id INT,,);\nCREATE TABLE never (id INT);\n');
  return file;
}

test('createTestDatabase gives a fresh, empty utf8mb4 database with a unique name', async (t) => {
  const first = await createTestDatabase('Fresh DB/one');
  t.teardown(() => first.drop());
  const second = await createTestDatabase('Fresh DB/one');
  t.teardown(() => second.drop());

  t.not(first.name, second.name);
  for (const db of [first, second]) {
    t.regex(db.name, new RegExp(`^m2m_t_fresh_db_one_${process.pid}_[0-9a-f]{8}$`));
    t.true(db.name.length <= 64);
    t.is(db.params.name, db.name);
    t.is(await tableCount(db, 'BASE TABLE'), 0);
    const [current] = await db.query<{ db: string; cs: string }>(
      'SELECT DATABASE() AS db, @@character_set_database AS cs',
    );
    t.deepEqual(current, { db: db.name, cs: 'utf8mb4' });
  }
});

test('a long label is cut so the name fits in 64 characters', async (t) => {
  const [db] = await withDatabases(t, ['x'.repeat(200)]);
  t.true(db!.name.length <= 64);
  t.true(await schemaExists(db!.name));
});

test('drop() removes the database and may be called again', async (t) => {
  const db = await createTestDatabase('drop');
  t.teardown(() => db.drop());
  t.true(await schemaExists(db.name));

  await db.drop();
  t.false(await schemaExists(db.name));
  await t.notThrowsAsync(db.drop());
  await t.throwsAsync(db.conn.query('SELECT 1'), undefined, 'drop() closes the connection');
});

test('two databases of one test do not see each other’s tables', async (t) => {
  const [a, b] = (await withDatabases(t, ['iso_a', 'iso_b'])) as [TestDatabase, TestDatabase];
  await a.exec('CREATE TABLE shared_name (id INT PRIMARY KEY); INSERT INTO shared_name VALUES (1), (2)');

  t.deepEqual(await b.query('SHOW TABLES'), []);
  await b.exec('CREATE TABLE shared_name (id INT PRIMARY KEY); INSERT INTO shared_name VALUES (9)');

  t.deepEqual(await a.query<{ id: number }>('SELECT id FROM shared_name ORDER BY id'), [{ id: 1 }, { id: 2 }]);
  t.deepEqual(await b.query<{ id: number }>('SELECT id FROM shared_name'), [{ id: 9 }]);
});

test('query() passes values as placeholders', async (t) => {
  const [db] = (await withDatabases(t, ['values'])) as [TestDatabase];
  const rows = await db.query<{ s: string }>('SELECT CONCAT(?, ?) AS s', ["it's ", 'fine']);
  t.deepEqual(rows, [{ s: "it's fine" }]);
});

test('loadSqlFile loads the Magento 2.3 schema: 390 tables and 1 view', async (t) => {
  const [db] = (await withDatabases(t, ['m2_schema'])) as [TestDatabase];
  await loadSqlFile(db, referencePath('dumps', 'magento2-2.3-schema.sql'));
  t.is(await tableCount(db, 'BASE TABLE'), 390);
  t.is(await tableCount(db, 'VIEW'), 1);
});

test('loadSqlFile loads the Magento 2.3 schema over the connection too', async (t) => {
  const [db] = (await withDatabases(t, ['m2_schema_conn'])) as [TestDatabase];
  await loadSqlFile(db, referencePath('dumps', 'magento2-2.3-schema.sql'), { via: 'connection' });
  t.is(await tableCount(db, 'BASE TABLE'), 390);
});

test('loadSqlFile loads the Magento 1.6.1.0 sample with strictModeOff: 324 tables, 120 products', async (t) => {
  const [db] = (await withDatabases(t, ['m1_sample'])) as [TestDatabase];
  await loadSqlFile(db, referencePath('dumps', 'magento1-ce-1.6.1.0-sample.sql'), { strictModeOff: true });
  t.is(await tableCount(db, 'BASE TABLE'), 324);
  const [products] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM catalog_product_entity');
  t.is(Number(products?.n), 120);
});

for (const via of ['client', 'connection'] as const) {
  test(`loadSqlFile (${via}) rejects a broken file with an error naming it`, async (t) => {
    const [db] = (await withDatabases(t, [`broken_${via}`])) as [TestDatabase];
    const file = await brokenSqlFile(t);
    const error = await t.throwsAsync(loadSqlFile(db, file, { via }));
    t.true(error?.message.includes(file), error?.message);
    t.regex(error?.message ?? '', /syntax/i);
    t.true(error?.message.includes(db.name), error?.message);
  });
}

test('loadSqlFile names a missing file', async (t) => {
  const [db] = (await withDatabases(t, ['missing'])) as [TestDatabase];
  const file = path.join(os.tmpdir(), 'm2m-no-such-dump.sql');
  const error = await t.throwsAsync(loadSqlFile(db, file));
  t.true(error?.message.includes(file), error?.message);
});

test.after('every database this file created was dropped', async (t) => {
  const conn = await mysql.createConnection(serverParams());
  try {
    const [rows] = await conn.query('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?', [
      `m2m\\_t\\_%\\_${process.pid}\\_%`,
    ]);
    t.deepEqual(rows, []);
  } finally {
    await conn.end();
  }
});
