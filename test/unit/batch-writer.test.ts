/**
 * The MySQL batch writer's transaction handling, against a scripted session (no server): the
 * statements it sends, a lost connection in the middle of a batch, and LOAD DATA's skipped rows.
 * The same behaviour against MariaDB is in test/integration/load-data.test.ts.
 */
import test from 'ava'
import {MysqlBatchWriter} from '../../src/adapters/mysql/batch-writer.js'
import type {ExecuteResult, SqlDatabase, SqlSession} from '../../src/adapters/sql-port.js'
import type {Row} from '../../src/pipeline/row.js'
import type {ColumnSchema, TableSchema} from '../../src/schema/table-schema.js'

const column = (name: string, dataType: string): ColumnSchema => ({name, dataType, columnType: dataType, nullable: true, defaultValue: null, autoIncrement: false, binary: false, numeric: dataType === 'int', ...(dataType === 'varchar' ? {charset: 'utf8mb4'} : {})})
const TABLE: TableSchema = {name: 'notes', physicalName: 'notes', columns: [column('id', 'int'), column('body', 'varchar')], primaryKey: ['id'], uniqueKeys: [], averageRowLength: 0}
const ROWS: Row[] = [[1, 'a'], [2, 'b'], [3, 'c']]

/** A database whose sessions log every statement; `onLoad` decides what each LOAD DATA answers. */
function scriptedDatabase(onLoad: (attempt: number) => ExecuteResult, warnings: Row[] = []) {
  const log: string[] = []
  let loads = 0
  const session = (): SqlSession => ({
    async query(sql) {
      log.push(sql)
      return sql.startsWith('SHOW WARNINGS') ? warnings : []
    },
    async execute(sql) {
      log.push(sql.split(' ')[0]!)
      return {affectedRows: 0, warnings: 0}
    },
    async load(sql, chunks) {
      log.push(`LOAD ${Buffer.concat(chunks).toString('utf8').split('\n').length - 1} rows`)
      return onLoad(++loads)
    },
    stream: async function * () {},
    release() {},
  })
  const database: SqlDatabase = {name: 'm2', description: 'root@test/m2', session: async () => session(), query: async () => [], execute: async () => ({affectedRows: 0, warnings: 0}), close: async () => undefined}
  return {database, log}
}

const lost = () => Object.assign(new Error('Connection lost: The server closed the connection.'), {code: 'PROTOCOL_CONNECTION_LOST'})

function writer(database: SqlDatabase, messages: string[] = []) {
  return new MysqlBatchWriter(database, {bulkSize: 0, maxStatementBytes: 1 << 20, loadData: true, retry: {retries: 2, backoffMs: 1}, log: (message) => messages.push(message)})
}

test('a batch is one transaction: START, the LOAD DATA of its rows, COMMIT', async (t) => {
  const {database, log} = scriptedDatabase(() => ({affectedRows: 3, warnings: 0}))
  await writer(database).sink(TABLE, ['id', 'body']).write(ROWS)
  t.deepEqual(log, ['START', 'LOAD 3 rows', 'COMMIT'])
})

test('a connection lost in the middle of a batch rolls it back and writes the whole batch again', async (t) => {
  const {database, log} = scriptedDatabase((attempt) => {
    if (attempt === 1) throw lost()
    return {affectedRows: 3, warnings: 0}
  })
  const messages: string[] = []
  await writer(database, messages).sink(TABLE, ['id', 'body']).write(ROWS)
  t.deepEqual(log, ['START', 'LOAD 3 rows', 'ROLLBACK', 'START', 'LOAD 3 rows', 'COMMIT'])
  t.is(messages.length, 1)
  t.regex(messages[0]!, /^notes: connection lost .*writing the batch again in 1 ms \(retry 1 of 2\)/)
})

test('a connection that stays lost fails the batch after the retries, nothing committed', async (t) => {
  const {database, log} = scriptedDatabase(() => {
    throw lost()
  })
  await t.throwsAsync(writer(database).sink(TABLE, ['id', 'body']).write(ROWS), {message: /Connection lost/})
  t.false(log.includes('COMMIT'))
  t.is(log.filter((line) => line === 'ROLLBACK').length, 3)
})

test('rows LOAD DATA skipped fail the batch with the server\'s reason, rolled back, not retried', async (t) => {
  const {database, log} = scriptedDatabase(() => ({affectedRows: 2, warnings: 2}), [
    ['Warning', 1265, 'Data truncated for column \'body\' at row 1'],
    ['Warning', 1062, 'Duplicate entry \'b\' for key \'notes_body\''],
  ])
  await t.throwsAsync(writer(database).sink(TABLE, ['id', 'body']).write(ROWS), {message: /refused 1 of 3 rows: Duplicate entry 'b' for key 'notes_body' \(Warning 1062\)/})
  t.deepEqual(log, ['START', 'LOAD 3 rows', 'SHOW WARNINGS LIMIT 20', 'ROLLBACK'])
})

test('without LOAD DATA the same batch goes as one INSERT', async (t) => {
  const {database, log} = scriptedDatabase(() => ({affectedRows: 3, warnings: 0}))
  await new MysqlBatchWriter(database, {bulkSize: 0, maxStatementBytes: 1 << 20}).sink(TABLE, ['id', 'body']).write(ROWS)
  t.deepEqual(log, ['START', 'INSERT', 'COMMIT'])
})
