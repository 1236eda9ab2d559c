import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {gzipSync} from 'node:zlib'
import test, {type ExecutionContext} from 'ava'
import {loadDumpSchema} from '../../src/adapters/dump/dump-schema.js'
import {DumpSource} from '../../src/adapters/dump/ndjson-source.js'
import {MigrationError} from '../../src/errors.js'
import type {RowBatch} from '../../src/adapters/document-port.js'
import type {TableSchema} from '../../src/schema/table-schema.js'

const SCHEMA = {
  format: 'm2-migrate-dump',
  version: 1,
  tables: [
    {name: 'eav_entity_link', columns: [{name: 'entity_id', type: 'int(10) unsigned'}, {name: 'store_id', type: 'smallint(5) unsigned'}, {name: 'value', type: 'varchar(255)'}], primary_key: ['entity_id', 'store_id']},
    {name: 'sendfriend_log', columns: [{name: 'ip', type: 'bigint(20)'}, {name: 'time', type: 'int(10) unsigned'}]},
  ],
}

interface Opened {
  readonly source: DumpSource
  readonly links: TableSchema
  readonly log: TableSchema
}

async function dump(t: ExecutionContext, links: string, log = '{"ip":"1","time":2}\n{"ip":"1","time":2}\n', gzip = false): Promise<Opened> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'm2m-dump-source-'))
  t.teardown(() => rm(dir, {recursive: true, force: true}))
  await writeFile(path.join(dir, 'schema.json'), JSON.stringify(SCHEMA))
  if (gzip) await writeFile(path.join(dir, 'eav_entity_link.ndjson.gz'), gzipSync(links))
  else await writeFile(path.join(dir, 'eav_entity_link.ndjson'), links)
  await writeFile(path.join(dir, 'sendfriend_log.ndjson'), log)
  const schema = await loadDumpSchema(path.join(dir, 'schema.json'), {dataFolder: dir})
  return {source: new DumpSource(schema), links: schema.database.tables.get('eav_entity_link')!, log: schema.database.tables.get('sendfriend_log')!}
}

const LINKS = [[1, 0, 'a'], [1, 1, 'b'], [2, 0, null], [3, 2, ''], [4, 0, 'z']]
const LINK_TEXT = LINKS.map(([entity_id, store_id, value]) => JSON.stringify({entity_id, store_id, value})).join('\n') + '\n'

async function pages(generator: AsyncGenerator<RowBatch>): Promise<RowBatch[]> {
  const all: RowBatch[] = []
  for await (const batch of generator) all.push(batch)
  return all
}

test('pages hold pageSize rows in file order, each with the key of its last row', async (t) => {
  const {source, links} = await dump(t, LINK_TEXT)
  const batches = await pages(source.read(links, {pageSize: 2}))
  t.deepEqual(batches.map((batch) => batch.rows), [LINKS.slice(0, 2), LINKS.slice(2, 4), LINKS.slice(4)])
  t.deepEqual(batches.map((batch) => batch.lastKey), [[1, 1], [3, 2], [4, 0]])
})

test('a table without a key gives pages without a key', async (t) => {
  const {source, log} = await dump(t, LINK_TEXT)
  const batches = await pages(source.read(log, {pageSize: 10}))
  t.deepEqual(batches, [{rows: [['1', 2], ['1', 2]], lastKey: null}])
})

test('afterKey continues after the row that has the key (a resumed document)', async (t) => {
  const {source, links} = await dump(t, LINK_TEXT)
  const batches = await pages(source.read(links, {pageSize: 10, afterKey: [2, 0]}))
  t.deepEqual(batches.flatMap((batch) => batch.rows), LINKS.slice(3))
})

test('afterKey no row has fails, saying the file changed', async (t) => {
  const {source, links} = await dump(t, LINK_TEXT)
  const error = await t.throwsAsync(pages(source.read(links, {pageSize: 10, afterKey: [2, 1]})), {instanceOf: MigrationError})
  t.regex(error.message, /eav_entity_link\.ndjson: table eav_entity_link: cannot resume after key \(2, 1\): no row has it/)
  t.is(error.hint, 'Run the same command with --reset to start over.')
})

test('count is the number of non-blank lines, also for a gzipped file', async (t) => {
  const {source, links} = await dump(t, `\n${LINK_TEXT}\n  \n`, undefined, true)
  t.is(await source.count(links), LINKS.length)
})

test('a gzipped file reads like the plain one', async (t) => {
  const plain = await dump(t, LINK_TEXT)
  const zipped = await dump(t, LINK_TEXT, undefined, true)
  t.deepEqual(await pages(zipped.source.read(zipped.links, {pageSize: 3})), await pages(plain.source.read(plain.links, {pageSize: 3})))
})

test('a bad row stops the read with the error naming its line', async (t) => {
  const {source, links} = await dump(t, `${LINK_TEXT}{"entity_id":5,"store_id":0}\n`)
  const error = await t.throwsAsync(pages(source.read(links, {pageSize: 2})), {instanceOf: MigrationError})
  t.regex(error.message, /eav_entity_link\.ndjson:6: table eav_entity_link: the row lacks column value/)
})

test('leaving a read early stops reading the file', async (t) => {
  const {source, links} = await dump(t, LINK_TEXT)
  const reader = source.read(links, {pageSize: 1})
  const first = await reader.next()
  t.deepEqual(first.value?.rows, [LINKS[0]])
  await reader.return(undefined)
  t.deepEqual(await reader.next(), {done: true, value: undefined})
})
