/**
 * introspectMysql against the real MariaDB: what it reads from information_schema about tables,
 * columns and keys, and how a prefix selects and renames documents.
 */
import test, {type ExecutionContext} from 'ava'
import {MysqlDatabase} from '../../src/adapters/mysql/mysql-database.js'
import {introspectMysql} from '../../src/adapters/mysql/mysql-introspector.js'
import type {DatabaseSchema, TableSchema} from '../../src/schema/table-schema.js'
import {type TestDatabase, withDatabases} from '../helpers/db.js'

async function introspect(t: ExecutionContext, db: TestDatabase, prefix = ''): Promise<DatabaseSchema> {
  const {host, port, user, password, name} = db.params
  const database = new MysqlDatabase({kind: 'database', database: {host, port, user, password, name}, initStatements: [], prefix})
  t.teardown(() => database.close())
  return introspectMysql(database, prefix)
}

function table(schema: DatabaseSchema, name: string): TableSchema {
  const found = schema.tables.get(name)
  if (!found) throw new Error(`${name} is not among ${[...schema.tables.keys()].join(', ')}`)
  return found
}

test('columns are listed in ordinal order, not by name', async (t) => {
  const [db] = await withDatabases(t, ['introspect_order'])
  await db.exec('CREATE TABLE t (zeta int, alpha int, mid int); ALTER TABLE t ADD COLUMN first_one int FIRST, ADD COLUMN after_alpha int AFTER alpha')

  const schema = await introspect(t, db)

  t.deepEqual(table(schema, 't').columns.map((column) => column.name), ['first_one', 'zeta', 'alpha', 'after_alpha', 'mid'])
})

test('a composite primary key is given in key order, not column order', async (t) => {
  const [db] = await withDatabases(t, ['introspect_pk'])
  await db.exec('CREATE TABLE t (a int NOT NULL, b int NOT NULL, c int NOT NULL, PRIMARY KEY (c, a, b))')

  const schema = await introspect(t, db)

  t.deepEqual(table(schema, 't').primaryKey, ['c', 'a', 'b'])
})

test('unique keys are listed each in key order, without the primary key and without non-unique indexes', async (t) => {
  const [db] = await withDatabases(t, ['introspect_unique'])
  await db.exec(`CREATE TABLE t (id int NOT NULL PRIMARY KEY, a int NOT NULL, b varchar(10), c int,
    UNIQUE KEY u_ba (b, a), UNIQUE KEY u_c (c), KEY plain (a, c))`)

  const t1 = table(await introspect(t, db), 't')

  t.deepEqual(t1.primaryKey, ['id'])
  t.deepEqual(t1.uniqueKeys.map((key) => [...key]).sort(), [['b', 'a'], ['c']])
})

test('a table without a primary key has an empty primaryKey', async (t) => {
  const [db] = await withDatabases(t, ['introspect_nopk'])
  await db.exec('CREATE TABLE t (a int, b text)')

  const t1 = table(await introspect(t, db), 't')

  t.deepEqual(t1.primaryKey, [])
  t.deepEqual(t1.uniqueKeys, [])
})

test('with a prefix, only tables that start with it are documents, named without it', async (t) => {
  const [db] = await withDatabases(t, ['introspect_prefix'])
  await db.exec('CREATE TABLE m1_sales (id int); CREATE TABLE m1_catalog (id int); CREATE TABLE sales (id int); CREATE TABLE m1x_log (id int); CREATE TABLE xm1_other (id int)')

  const schema = await introspect(t, db, 'm1_')

  t.deepEqual([...schema.documents], ['catalog', 'sales'])
  t.is(table(schema, 'sales').physicalName, 'm1_sales')
  t.is(table(schema, 'sales').name, 'sales')
  t.is(table(schema, 'catalog').physicalName, 'm1_catalog')
})

test('without a prefix every base table is a document under its own name, sorted by name, and views are left out', async (t) => {
  const [db] = await withDatabases(t, ['introspect_all'])
  await db.exec('CREATE TABLE zoo (id int); CREATE TABLE apple (id int); CREATE VIEW apple_view AS SELECT id FROM apple')

  const schema = await introspect(t, db)

  t.deepEqual([...schema.documents], ['apple', 'zoo'])
  t.is(table(schema, 'zoo').physicalName, 'zoo')
  t.false(schema.tables.has('apple_view'))
})

test('DATA_TYPE is lower case and COLUMN_TYPE keeps length and sign', async (t) => {
  const [db] = await withDatabases(t, ['introspect_types'])
  await db.exec("CREATE TABLE t (a INT(10) UNSIGNED, b VARCHAR(32), c DECIMAL(12,4), d ENUM('x','y'), e DATETIME(6), f MEDIUMTEXT)")

  const columns = table(await introspect(t, db), 't').columns

  t.deepEqual(columns.map((column) => column.dataType), ['int', 'varchar', 'decimal', 'enum', 'datetime', 'mediumtext'])
  t.deepEqual(columns.map((column) => column.columnType), ['int(10) unsigned', 'varchar(32)', 'decimal(12,4)', "enum('x','y')", 'datetime(6)', 'mediumtext'])
})

test('binary is set for byte types and bit, numeric for integer, decimal and floating types', async (t) => {
  const [db] = await withDatabases(t, ['introspect_flags'])
  await db.exec(`CREATE TABLE t (
    ti tinyint, si smallint, mi mediumint, i int, bi bigint unsigned, de decimal(10,2), fl float, db double,
    bn binary(4), vb varbinary(8), tb tinyblob, bl blob, mb mediumblob, lb longblob, b1 bit(1),
    c char(4), vc varchar(8), tx text, js json, en enum('a'), st set('a'), d date, dt datetime, y year)`)

  const columns = table(await introspect(t, db), 't').columns
  const flagged = (flag: 'binary' | 'numeric') => columns.filter((column) => column[flag]).map((column) => column.name)

  t.deepEqual(flagged('numeric'), ['ti', 'si', 'mi', 'i', 'bi', 'de', 'fl', 'db'])
  t.deepEqual(flagged('binary'), ['bn', 'vb', 'tb', 'bl', 'mb', 'lb', 'b1'])
})

test('nullability, defaults and auto_increment are read per column', async (t) => {
  const [db] = await withDatabases(t, ['introspect_attrs'])
  await db.exec("CREATE TABLE t (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, name varchar(10) NOT NULL DEFAULT 'none', note varchar(10) NULL, n int DEFAULT 5)")

  const columns = table(await introspect(t, db), 't').columns
  const byName = new Map(columns.map((column) => [column.name, column]))

  t.true(byName.get('id')?.autoIncrement)
  t.false(byName.get('id')?.nullable)
  t.false(byName.get('name')?.autoIncrement)
  t.false(byName.get('name')?.nullable)
  t.is(byName.get('name')?.defaultValue, "'none'", 'MariaDB quotes string defaults')
  t.true(byName.get('note')?.nullable)
  t.is(byName.get('note')?.defaultValue, 'NULL', 'MariaDB prints a nullable column without a default as NULL')
  t.is(byName.get('n')?.defaultValue, '5')
})

test('tables and columns whose names hold backticks, spaces and non-ASCII letters are read by their exact names', async (t) => {
  const [db] = await withDatabases(t, ['introspect_names'])
  await db.exec('CREATE TABLE `we``ird tâble` (`col``umn one` int NOT NULL, `ünïcode` varchar(4), PRIMARY KEY (`col``umn one`))')

  const schema = await introspect(t, db)
  const weird = table(schema, 'we`ird tâble')

  t.deepEqual(weird.columns.map((column) => column.name), ['col`umn one', 'ünïcode'])
  t.deepEqual(weird.primaryKey, ['col`umn one'])
})

test('other databases on the server are not read', async (t) => {
  const [mine, other] = await withDatabases(t, ['introspect_mine', 'introspect_other'])
  await mine.exec('CREATE TABLE mine_only (id int)')
  await other.exec('CREATE TABLE other_only (id int)')

  const schema = await introspect(t, mine)

  t.deepEqual([...schema.documents], ['mine_only'])
})
