import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import test, {type ExecutionContext} from 'ava'
import {fixturePath, loadFixturePair} from '../helpers/fixtures.js'
import {migrateData, writeConfig} from '../helpers/migration.js'
import {tempFolder} from '../helpers/temp.js'

// The semantics fixture, made inconsistent in every way the Map integrity check reports.

const UNKNOWN_HANDLER = `            <transform>
                <field>catalog_product_entity.sku</field>
                <handler class="\\Migration\\Handler\\NoSuchHandler"><param name="x" value="1"/></handler>
            </transform>
        </field_rules>
    </source>`

function mapWithUnknownHandler(): string {
  const map = readFileSync(fixturePath('semantics', 'map.xml'), 'utf8').replace(/        <\/field_rules>\n    <\/source>/, UNKNOWN_HANDLER)
  const file = join(tempFolder('map'), 'map.xml')
  writeFileSync(file, map)
  return file
}

async function inconsistent(t: ExecutionContext, auto: boolean) {
  const [source, destination] = await loadFixturePair(t, 'semantics')
  await source.exec('CREATE TABLE zz_legacy (id int PRIMARY KEY); CREATE TABLE aa_legacy (id int PRIMARY KEY);')
  await source.exec('ALTER TABLE sales_flat_order ADD COLUMN legacy_b int, ADD COLUMN legacy_a int')
  await destination.exec('CREATE TABLE new_m2_table (id int PRIMARY KEY)')
  await destination.exec("ALTER TABLE sales_order ADD COLUMN new_col varchar(10) NOT NULL DEFAULT 'n'")
  const config = writeConfig({source, destination, mapFile: mapWithUnknownHandler()})
  const result = await migrateData(config, {auto})
  return {source, destination, result}
}

const EXPECTED = [
  'Source documents are not mapped: aa_legacy,zz_legacy',
  'Destination documents are not mapped: new_m2_table',
  'Source fields are not mapped. Document: sales_flat_order. Fields: legacy_b,legacy_a',
  'Destination fields are not mapped. Document: sales_order. Fields: new_col',
  'Handler is not available. Class: \\Migration\\Handler\\NoSuchHandler. Fields: catalog_product_entity.sku',
]

test('without --auto: the DMT messages as errors, in order, lists joined by "," in table and column order', async (t) => {
  const {result} = await inconsistent(t, false)
  t.deepEqual(result.log.at('ERROR'), [...EXPECTED, 'Integrity Check failed'])
})

test('without --auto: exit code 4 and the hint about --auto', async (t) => {
  const {result} = await inconsistent(t, false)
  t.is(result.exitCode, 4)
  t.true(result.log.at('NOTICE').includes('You can use --auto or -a option to ignore not mapped differences between source and destination to continue migration'))
})

test('without --auto: nothing is written to the destination', async (t) => {
  const {destination} = await inconsistent(t, false)
  const stores = await destination.query<{code: string}>('SELECT code FROM store ORDER BY store_id')
  t.deepEqual(stores.map((row) => row.code), ['admin', 'default'])
  const [{n}] = await destination.query<{n: number}>('SELECT COUNT(*) AS n FROM sales_order')
  t.is(Number(n), 0)
})

test('a type mismatch is only a warning, on both sides', async (t) => {
  const {result} = await inconsistent(t, false)
  const warnings = result.log.at('WARNING')
  t.true(warnings.includes('Mismatch of data types. Source document: catalog_product_entity. Fields: has_options'))
  t.true(warnings.includes('Mismatch of data types. Destination document: catalog_product_entity. Fields: has_options'))
  t.false(result.log.at('ERROR').some((line) => line.startsWith('Mismatch')))
})

test('with --auto: the same lines become warnings and the run goes on to exit 0', async (t) => {
  const {result} = await inconsistent(t, true)
  t.is(result.exitCode, 0, result.log.lines.join('\n'))
  t.deepEqual(result.log.at('ERROR'), [])
  for (const line of EXPECTED) t.true(result.log.at('WARNING').includes(line), line)
})

test('with --auto: a document that needs a missing handler is skipped with a warning naming it, and left out of the volume check', async (t) => {
  const {destination, result} = await inconsistent(t, true)
  t.true(result.log.at('WARNING').includes('Document catalog_product_entity is skipped: handler \\Migration\\Handler\\NoSuchHandler is not available'))
  const [{n}] = await destination.query<{n: number}>('SELECT COUNT(*) AS n FROM catalog_product_entity')
  t.is(Number(n), 0)
  t.false(result.log.lines.some((line) => line.includes('Mismatch of entities')))
})

test('with --auto: the other documents are copied; unmapped source fields are dropped and new destination fields take their default', async (t) => {
  const {destination} = await inconsistent(t, true)
  const rows = await destination.query<{increment_id: string; new_col: string}>('SELECT increment_id, new_col FROM sales_order ORDER BY entity_id')
  t.deepEqual(rows.map((row) => [row.increment_id, row.new_col]), [['100000001', 'n'], ['100000002', 'n'], ['100000003', 'n']])
})
