import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import test, {type ExecutionContext} from 'ava'
import {readConfig} from '../../src/config/config-reader.js'
import {MigrationError} from '../../src/errors.js'

// <source> and <destination> may name a dump folder or an SQL file instead of a <database>.

async function configWith(t: ExecutionContext, source: string, destination: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'm2m-config-files-'))
  t.teardown(() => rm(dir, {recursive: true, force: true}))
  const file = path.join(dir, 'etc', 'config.xml')
  await mkdir(path.dirname(file))
  await writeFile(file, `<config>
  <steps mode="data"><step title="Map Step"><data>Migration\\Step\\Map\\Data</data></step></steps>
  <source>${source}</source>
  <destination>${destination}</destination>
  <options><map_file>map.xml</map_file><source_prefix>m1_</source_prefix><dest_prefix>m2_</dest_prefix></options>
</config>`)
  return file
}

const DATABASE = '<database host="127.0.0.1" name="magento2" user="root"/>'

test('a dump source resolves its folder against config.xml\'s folder, with schema.json inside by default', async (t) => {
  const file = await configWith(t, '<dump path="../dumps/m1"/>', DATABASE)
  const config = await readConfig(file)
  const root = path.dirname(path.dirname(file))
  t.like(config.source, {kind: 'dump', folder: path.join(root, 'dumps', 'm1'), schemaFile: path.join(root, 'dumps', 'm1', 'schema.json'), prefix: 'm1_'})
  t.is(config.destination.kind, 'database')
})

test('a dump source may name its schema file elsewhere; absolute paths are kept', async (t) => {
  const file = await configWith(t, '<dump path="/data/m1" schema="schemas/m1.json"/>', DATABASE)
  t.like((await readConfig(file)).source, {folder: '/data/m1', schemaFile: path.join(path.dirname(file), 'schemas', 'm1.json')})
})

test('an SQL-file destination takes a path, a schema file and create_tables', async (t) => {
  const file = await configWith(t, DATABASE, '<sql_file path="out/m2.sql" schema="m2-schema.json" create_tables="1"/>')
  const config = await readConfig(file)
  t.like(config.destination, {kind: 'sql_file', file: path.join(path.dirname(file), 'out', 'm2.sql'), schemaFile: path.join(path.dirname(file), 'm2-schema.json'), createTables: true, prefix: 'm2_'})
})

test('create_tables is off unless set to 1', async (t) => {
  const config = await readConfig(await configWith(t, DATABASE, '<sql_file path="m2.sql" schema="s.json"/>'))
  t.like(config.destination, {createTables: false})
})

test('a dump destination needs its schema file', async (t) => {
  const error = await t.throwsAsync(readConfig(await configWith(t, DATABASE, '<dump path="out/m2"/>')), {instanceOf: MigrationError})
  t.is(error.code, 'CONFIG_INVALID')
  t.regex(error.message, /config\.xml:4:\d+: <dump> needs the schema attribute/)
})

test('an SQL file cannot be a source', async (t) => {
  const error = await t.throwsAsync(readConfig(await configWith(t, '<sql_file path="m1.sql" schema="s.json"/>', DATABASE)), {instanceOf: MigrationError})
  t.regex(error.message, /element <sql_file> is not allowed in <source>; expected <database> or <dump>/)
})

test('a side holds exactly one element', async (t) => {
  const error = await t.throwsAsync(readConfig(await configWith(t, `<dump path="m1"/>${DATABASE}`, DATABASE)), {instanceOf: MigrationError})
  t.regex(error.message, /<source> must hold exactly one element: <database> or <dump>/)
})

test('an attribute a file element does not take is an error, not silently ignored', async (t) => {
  const error = await t.throwsAsync(readConfig(await configWith(t, DATABASE, '<sql_file path="m2.sql" schema="s.json" create_table="1"/>')), {instanceOf: MigrationError})
  t.regex(error.message, /<sql_file> has no attribute create_table; it takes path, schema, create_tables/)
})

test('create_tables other than 0 or 1 is an error', async (t) => {
  const error = await t.throwsAsync(readConfig(await configWith(t, DATABASE, '<sql_file path="m2.sql" schema="s.json" create_tables="yes"/>')), {instanceOf: MigrationError})
  t.regex(error.message, /<sql_file create_tables="yes"> must be 0 or 1/)
})
