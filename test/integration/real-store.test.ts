import test from 'ava'
import {HandlerRegistry} from '../../transforms/registry.js'
import {readMap} from '../../src/config/map-reader.js'
import {createTestDatabase, referencePath, type TestDatabase} from '../helpers/db.js'
import {loadRealStores} from '../helpers/fixtures.js'
import {migrateData, type MigrateResult, writeConfig} from '../helpers/migration.js'

// A real Magento CE 1.6.1.0 store with sample data into a real Magento 2.3 schema, with the DMT's
// own, unchanged 1.6.1.0 map.xml.dist and a config whose only step is the Map step.

const MAP = referencePath('magento-dmt', 'etc', 'opensource-to-opensource', '1.6.1.0', 'map.xml.dist')
const CLASS_MAP = referencePath('magento-dmt', 'etc', 'opensource-to-opensource', 'class-map.xml.dist')
let source: TestDatabase
let destination: TestDatabase
let config: string
let checked: MigrateResult
let auto: MigrateResult

test.before(async () => {
  source = await createTestDatabase('m1_store')
  destination = await createTestDatabase('m2_store')
  await loadRealStores(source, destination)
  config = writeConfig({source, destination, mapFile: MAP, options: {class_map: CLASS_MAP, crypt_key: '3f8a5c1e9b7d2046a1c3e5f708192a3b', m2_crypt_key: '6wRADHwwCBGgdxbcHhovGB0upmg0mbsN'}})
  checked = await migrateData(config)
  // The first run may have completed (every handler present) or stopped at integrity; start over.
  auto = await migrateData(config, {auto: true, reset: true})
})

test.after.always(async () => {
  await Promise.allSettled([source?.drop(), destination?.drop()])
})

test('integrity finds no document or field inconsistency', (t) => {
  const inconsistencies = checked.log.messages.filter((line) => /documents are (missing|not mapped)|fields are (missing|not mapped)/.test(line))
  t.deepEqual(inconsistencies, [])
})

test('integrity reports exactly the handler classes we do not have, and stops only for them', async (t) => {
  const rules = await readMap(MAP)
  const registry = new HandlerRegistry()
  const named = new Set([...rules.allHandlerConfigs('source'), ...rules.allHandlerConfigs('destination')].map((config) => config.className.replace(/^\\/, '')))
  const reported = new Set(checked.log.at('ERROR').flatMap((line) => /^Handler is not available\. Class: \\?(.+?)\. Fields: /.exec(line)?.[1] ?? []))
  // Every handler the map names is either one we ship or reported as missing, never both.
  for (const name of named) t.is(reported.has(name), !registry.has(name), name)
  t.is(checked.exitCode, reported.size > 0 ? 4 : 0)
})

test('integrity without --auto writes nothing when it fails, and lets the data stage run when it passes', (t) => {
  const dataStarted = checked.log.lines.some((line) => line.includes('[stage: data migration]'))
  t.is(dataStarted, checked.exitCode !== 4)
})

test('with --auto: exit 0, and every mapped document that needs no missing handler has the same row count on both sides', async (t) => {
  t.is(auto.exitCode, 0, auto.log.at('ERROR').join('\n'))
  const rules = await readMap(MAP)
  const skipped = new Set(auto.log.at('WARNING').flatMap((line) => /^Document (\S+) is skipped: /.exec(line)?.[1] ?? []))
  const sourceTables = (await source.query<{t: string}>("SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'")).map((row) => row.t)
  const destinationTables = new Set((await destination.query<{t: string}>("SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()")).map((row) => row.t))
  let compared = 0
  let rows = 0
  for (const table of sourceTables) {
    const target = rules.getDocumentMap(table, 'source')
    if (target === false || !destinationTables.has(target) || skipped.has(table)) continue
    const [[{n: sourceCount}], [{n: destinationCount}]] = await Promise.all([
      source.query<{n: number}>(`SELECT COUNT(*) AS n FROM \`${table}\``),
      destination.query<{n: number}>(`SELECT COUNT(*) AS n FROM \`${target}\``),
    ])
    t.is(Number(destinationCount), Number(sourceCount), `${table} -> ${target}`)
    compared++
    rows += Number(sourceCount)
  }
  t.true(compared > 100, `compared ${compared} documents`)
  t.true(rows > 1000, `compared ${rows} rows`)
  // A document is skipped only for a handler we lack.
  const missing = auto.log.at('WARNING').filter((line) => line.startsWith('Handler is not available'))
  t.is(skipped.size > 0, missing.length > 0)
})

test('with --auto: the volume check passes and the summary counts what was copied', (t) => {
  t.false(auto.log.lines.some((line) => line.includes('Mismatch of entities')))
  t.regex(auto.log.lines.at(-1)!, /Summary: \d{3} documents, \d+ rows/)
})
