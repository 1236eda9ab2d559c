import {spawnSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import test from 'ava'
import {projectRoot, withDatabases} from '../helpers/db.js'
import {fixturePath} from '../helpers/fixtures.js'
import {migrateData, writeConfig} from '../helpers/migration.js'
import {tempFolder} from '../helpers/temp.js'

function tempFile(name: string, text: string): string {
  const file = join(tempFolder('bad'), name)
  writeFileSync(file, text)
  return file
}

function noStack(lines: readonly string[]): boolean {
  return !lines.some((line) => /^\s+at /.test(line) || line.includes('.js:'))
}

test('a missing config.xml: one error naming the file, exit 2', async (t) => {
  const result = await migrateData('/nonexistent/dir/config.xml')
  t.is(result.exitCode, 2)
  t.deepEqual(result.log.at('ERROR'), ['/nonexistent/dir/config.xml: the file does not exist'])
})

test('a config.xml that is not well formed: file:line:column of the fault', async (t) => {
  const file = tempFile('config.xml', '<config>\n  <steps mode="data">\n    <step title="Map Step">\n  </steps>\n</config>\n')
  const result = await migrateData(file)
  t.is(result.exitCode, 2)
  const [error] = result.log.at('ERROR')
  t.true(error.startsWith(`${file}:4:`), error)
  t.regex(error, /XML is not well formed/)
})

test('an unsupported step class: named, with the supported ones listed, before any connection', async (t) => {
  const [source, destination] = await withDatabases(t, ['bad_step_src', 'bad_step_dst'])
  const config = writeConfig({source, destination, mapFile: fixturePath('semantics', 'map.xml'), stages: {integrity: 'Migration\\Step\\Eav\\Integrity'}})
  const result = await migrateData(config)
  t.is(result.exitCode, 2)
  t.regex(result.log.at('ERROR')[0], /step class Migration\\Step\\Eav\\Integrity is not supported yet$/)
  t.regex(result.log.at('NOTICE')[0], /Supported step classes: Migration\\Step\\Map\\Integrity, Migration\\Step\\Map\\Data, Migration\\Step\\Map\\Volume/)
})

test('a map file that does not exist: the option and the paths tried are named', async (t) => {
  const [source, destination] = await withDatabases(t, ['bad_map_src', 'bad_map_dst'])
  const config = writeConfig({source, destination, mapFile: 'etc/no-such-map.xml'})
  const result = await migrateData(config)
  t.is(result.exitCode, 2)
  t.regex(result.log.at('ERROR')[0], /<map_file> names etc\/no-such-map\.xml, which does not exist \(tried /)
})

test('a map that breaks map.xsd: file:line:column and the element', async (t) => {
  const [source, destination] = await withDatabases(t, ['bad_xsd_src', 'bad_xsd_dst'])
  const map = tempFile('map.xml', '<map>\n<source/>\n<destination>\n<document_rules>\n<rename><document>a</document><to>b</to></rename>\n</document_rules>\n</destination>\n</map>\n')
  const result = await migrateData(writeConfig({source, destination, mapFile: map}))
  t.is(result.exitCode, 2)
  t.regex(result.log.at('ERROR')[0], new RegExp(`^${map.replaceAll('.', '\\.')}:5:\\d+: <rename>: not allowed inside <document_rules>`))
})

test('a database that cannot be reached: one line naming the side and server, exit 3', async (t) => {
  const [source, destination] = await withDatabases(t, ['bad_net_src', 'bad_net_dst'])
  const config = writeConfig({source: {...source, params: {...source.params, port: 1}}, destination, mapFile: fixturePath('semantics', 'map.xml')})
  const result = await migrateData(config)
  t.is(result.exitCode, 3)
  t.deepEqual(result.log.at('ERROR').length, 1)
  t.regex(result.log.at('ERROR')[0], /^source database root@127\.0\.0\.1:1\/\S+: cannot connect: /)
})

test('wrong credentials: the error never shows the password', async (t) => {
  const [source, destination] = await withDatabases(t, ['bad_pw_src', 'bad_pw_dst'])
  const config = writeConfig({source, destination, mapFile: fixturePath('semantics', 'map.xml'), password: 'S3cret-Pa55word'})
  const result = await migrateData(config)
  t.is(result.exitCode, 3)
  t.regex(result.log.at('ERROR')[0], /cannot connect: ER_ACCESS_DENIED_ERROR/)
  t.false(result.log.lines.some((line) => line.includes('S3cret-Pa55word')))
})

test('a database that does not exist: named in one line', async (t) => {
  const [source, destination] = await withDatabases(t, ['bad_db_src', 'bad_db_dst'])
  const config = writeConfig({source, destination: {...destination, name: 'm2m_no_such_database_x'}, mapFile: fixturePath('semantics', 'map.xml')})
  const result = await migrateData(config)
  t.is(result.exitCode, 3)
  t.regex(result.log.at('ERROR')[0], /^destination database .*\/m2m_no_such_database_x: cannot connect: ER_BAD_DB_ERROR/)
})

test('the command line: a bad config gives one error line and exit 2, never a stack trace', (t) => {
  const run = spawnSync(process.execPath, [join(projectRoot(), 'bin', 'run.js'), 'migrate:data', '/nonexistent/config.xml'], {encoding: 'utf8'})
  t.is(run.status, 2)
  const lines = `${run.stdout}${run.stderr}`.trim().split('\n')
  t.true(noStack(lines), lines.join('\n'))
  t.true(lines.some((line) => line.endsWith('[ERROR]: /nonexistent/config.xml: the file does not exist')))
})
