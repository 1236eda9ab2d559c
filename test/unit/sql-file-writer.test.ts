import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import test, {type ExecutionContext} from 'ava'
import {SqlFileWriter} from '../../src/adapters/sql-file/sql-file-writer.js'
import {MigrationError} from '../../src/errors.js'
import {type ColumnSchema, isBinaryType, isNumericType, type TableSchema} from '../../src/schema/table-schema.js'

function column(name: string, dataType: string): ColumnSchema {
  return {name, dataType, columnType: dataType, nullable: true, defaultValue: null, autoIncrement: false, binary: isBinaryType(dataType), numeric: isNumericType(dataType)}
}

function table(name: string, columns: ColumnSchema[]): TableSchema {
  return {name, physicalName: name, columns, primaryKey: [columns[0].name], uniqueKeys: [], averageRowLength: 0}
}

const STORE = table('store', [column('store_id', 'smallint'), column('code', 'varchar')])
const ORDER = table('sales_order', [column('entity_id', 'int'), column('grand_total', 'decimal'), column('remote_ip', 'varbinary')])
const SYNONYMS = table('search_synonyms', [column('group_id', 'int'), column('synonyms', 'text')])

async function outputFile(t: ExecutionContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'm2m-sql-file-'))
  t.teardown(() => rm(dir, {recursive: true, force: true}))
  return path.join(dir, 'out', 'm2.sql')
}

test('the file is written under a temporary name and appears at its path only when complete', async (t) => {
  const file = await outputFile(t)
  const writer = await SqlFileWriter.open(file, {bulkSize: 0})
  await writer.clear(STORE)
  await writer.sink(STORE, ['store_id', 'code']).write([[0, 'admin']])
  t.false(existsSync(file))
  t.deepEqual(readdirSync(path.dirname(file)), [`m2.sql.partial-${process.pid}`])
  await writer.complete()
  t.true(existsSync(file))
  t.deepEqual(readdirSync(path.dirname(file)), ['m2.sql'])
})

test('a discarded file leaves nothing behind, neither at its path nor under the temporary name', async (t) => {
  const file = await outputFile(t)
  const writer = await SqlFileWriter.open(file, {bulkSize: 0})
  await writer.clear(STORE)
  await writer.sink(STORE, ['store_id', 'code']).write([[0, 'admin']])
  await writer.discard()
  t.deepEqual(readdirSync(path.dirname(file)), [])
})

test('settings first, then table by table its empty statement and multi-row INSERTs, settings restored at the end', async (t) => {
  const file = await outputFile(t)
  const writer = await SqlFileWriter.open(file, {bulkSize: 2})
  await writer.clear(STORE)
  await writer.clear(ORDER)
  await writer.sink(STORE, ['store_id', 'code']).write([[0, 'admin'], [1, 'it\'s'], [2, null]])
  await writer.sink(ORDER, ['entity_id', 'grand_total', 'remote_ip']).write([[1, '10.5000', Buffer.from([192, 0, 2, 1])]])
  await writer.complete()
  const statements = readFileSync(file, 'utf8').split('\n').filter((line) => line !== '' && !line.startsWith('--'))
  t.deepEqual(statements.slice(0, 6).map((line) => line.split(/[ =,]/)[1]), ['@OLD_CHARACTER_SET_CLIENT', 'NAMES', '@OLD_TIME_ZONE', '@OLD_FOREIGN_KEY_CHECKS', '@OLD_SQL_MODE', '@OLD_SQL_NOTES'])
  t.true(statements[4].includes("SQL_MODE='NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION'"))
  t.deepEqual(statements.slice(6, 11), [
    'TRUNCATE TABLE `store`;',
    "INSERT INTO `store` (`store_id`, `code`) VALUES (0,'admin'),(1,'it\\'s');",
    'INSERT INTO `store` (`store_id`, `code`) VALUES (2,NULL);',
    'TRUNCATE TABLE `sales_order`;',
    "INSERT INTO `sales_order` (`entity_id`, `grand_total`, `remote_ip`) VALUES (1,10.5000,X'c0000201');",
  ])
  t.true(statements[11].startsWith('SET SQL_MODE=@OLD_SQL_MODE'))
})

test('a table emptied but never written to is still emptied, at the end', async (t) => {
  const file = await outputFile(t)
  const writer = await SqlFileWriter.open(file, {bulkSize: 0})
  await writer.clear(STORE)
  await writer.clear(ORDER)
  await writer.sink(ORDER, ['entity_id']).write([[1]])
  await writer.complete()
  const text = readFileSync(file, 'utf8')
  t.true(text.indexOf('TRUNCATE TABLE `sales_order`') < text.indexOf('INSERT INTO `sales_order`'))
  t.true(text.indexOf('INSERT INTO `sales_order`') < text.indexOf('TRUNCATE TABLE `store`'))
})

test('rows handlers add to another document follow their batch, after that document is emptied', async (t) => {
  const file = await outputFile(t)
  const writer = await SqlFileWriter.open(file, {bulkSize: 0})
  await writer.clear(SYNONYMS)
  await writer.clear(STORE)
  const sink = writer.sink(STORE, ['store_id', 'code'], {sideTables: new Map([['search_synonyms', SYNONYMS]])})
  await sink.write([[1, 'default']], undefined, new Map([['search_synonyms', [{group_id: 1, synonyms: 'laptop,notebook'}]]]))
  await writer.complete()
  const text = readFileSync(file, 'utf8')
  t.true(text.indexOf('TRUNCATE TABLE `search_synonyms`') < text.indexOf("INSERT INTO `search_synonyms` (`group_id`, `synonyms`) VALUES (1,'laptop,notebook')"))
  t.is(await writer.count(SYNONYMS), 1)
  t.is(await writer.count(STORE), 1)
})

test('batches written at once land in the file in the order they were given', async (t) => {
  const file = await outputFile(t)
  const writer = await SqlFileWriter.open(file, {bulkSize: 0})
  await writer.clear(STORE)
  const sink = writer.sink(STORE, ['store_id', 'code'])
  await Promise.all(Array.from({length: 50}, (_, at) => sink.write([[at, `code ${at}`]])))
  await writer.complete()
  const ids = [...readFileSync(file, 'utf8').matchAll(/VALUES \((\d+),/g)].map((match) => Number(match[1]))
  t.deepEqual(ids, Array.from({length: 50}, (_, at) => at))
  t.is(await writer.count(STORE), 50)
})

test('with create_tables each table is dropped and created from the schema file\'s statement', async (t) => {
  const file = await outputFile(t)
  const writer = await SqlFileWriter.open(file, {bulkSize: 0, createTables: true, createStatements: new Map([['store', 'CREATE TABLE `store` (\n  `store_id` smallint NOT NULL,\n  `code` varchar(32)\n) ENGINE=InnoDB']])})
  await writer.clear(STORE)
  await writer.complete()
  t.regex(readFileSync(file, 'utf8'), /DROP TABLE IF EXISTS `store`;\nCREATE TABLE `store` \([\s\S]*\) ENGINE=InnoDB;\n/)
})

test('with create_tables a table without a statement fails before anything of it is written', async (t) => {
  const file = await outputFile(t)
  const writer = await SqlFileWriter.open(file, {bulkSize: 0, createTables: true, createStatements: new Map()})
  const error = await t.throwsAsync(writer.clear(STORE), {instanceOf: MigrationError})
  t.regex(error.message, /^store: the schema file has no "create" statement for it, which create_tables="1" needs/)
  await writer.discard()
})

test('strict_mode puts strict mode in the file\'s sql_mode', async (t) => {
  const file = await outputFile(t)
  const writer = await SqlFileWriter.open(file, {bulkSize: 0, strict: true})
  await writer.complete()
  t.true(readFileSync(file, 'utf8').includes("SQL_MODE='NO_AUTO_VALUE_ON_ZERO,STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'"))
})
