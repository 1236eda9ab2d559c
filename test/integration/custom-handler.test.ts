import {copyFileSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import test from 'ava'
import {fixturePath, loadFixturePair} from '../helpers/fixtures.js'
import {migrateData, writeConfig} from '../helpers/migration.js'
import {tempFolder} from '../helpers/temp.js'

// An operator's own handler: <handler class="./my-handlers/round-price.mjs"> in a map, resolved
// against the map file's folder (fixtures/custom-handler/).

test('a handler module named by a relative path runs on its field, with its params', async (t) => {
  const [source, destination] = await loadFixturePair(t, 'semantics')
  await source.exec("UPDATE sales_flat_order SET grand_total = '20.4500' WHERE entity_id = 2")
  const config = writeConfig({source, destination, mapFile: fixturePath('custom-handler', 'map.xml')})
  const result = await migrateData(config)
  t.is(result.exitCode, 0, result.log.lines.join('\n'))
  const rows = await destination.query<{base_grand_total: string}>('SELECT base_grand_total FROM sales_order ORDER BY entity_id')
  // Rounded to one decimal by the module (20.45 -> 20.5), then moved to base_grand_total.
  t.deepEqual(rows.map((row) => row.base_grand_total), ['10.0000', '20.5000', '0.0000'])
})

test('the path is resolved against the map file, not the working folder', async (t) => {
  const [source, destination] = await loadFixturePair(t, 'semantics')
  const folder = tempFolder('own-handler')
  mkdirSync(join(folder, 'my-handlers'))
  copyFileSync(fixturePath('custom-handler', 'my-handlers', 'round-price.mjs'), join(folder, 'my-handlers', 'round-price.mjs'))
  writeFileSync(join(folder, 'map.xml'), readFileSync(fixturePath('custom-handler', 'map.xml')))
  const result = await migrateData(writeConfig({source, destination, mapFile: join(folder, 'map.xml')}))
  t.is(result.exitCode, 0, result.log.lines.join('\n'))
})

test('a handler module that is missing: one error naming the module, the map place and the field', async (t) => {
  const [source, destination] = await loadFixturePair(t, 'semantics')
  const folder = tempFolder('own-handler')
  writeFileSync(join(folder, 'map.xml'), readFileSync(fixturePath('custom-handler', 'map.xml')))
  const result = await migrateData(writeConfig({source, destination, mapFile: join(folder, 'map.xml')}))
  t.not(result.exitCode, 0)
  const [error] = result.log.at('ERROR')
  t.regex(error, /map\.xml:\d+:\d+: handler module .*my-handlers\/round-price\.mjs for sales_flat_order\.grand_total cannot be loaded/)
})

test('a handler module given a param it does not declare: one error naming map file, field and handler', async (t) => {
  const [source, destination] = await loadFixturePair(t, 'semantics')
  const folder = tempFolder('own-handler')
  mkdirSync(join(folder, 'my-handlers'))
  copyFileSync(fixturePath('custom-handler', 'my-handlers', 'round-price.mjs'), join(folder, 'my-handlers', 'round-price.mjs'))
  writeFileSync(join(folder, 'map.xml'), readFileSync(fixturePath('custom-handler', 'map.xml'), 'utf8').replace('name="precision" value="1"/>', 'name="precision" value="1"/><param name="digits" value="3"/>'))
  const result = await migrateData(writeConfig({source, destination, mapFile: join(folder, 'map.xml')}))
  t.is(result.exitCode, 2)
  t.regex(result.log.at('ERROR')[0], /map\.xml:\d+:\d+: handler \.\/my-handlers\/round-price\.mjs on sales_flat_order\.grand_total has no param "digits"; it takes precision/)
})
