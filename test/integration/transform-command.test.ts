/**
 * `m2-migrate transform` as a child process: NDJSON rows of one document on stdin, the mapped rows
 * on stdout, with the map's field rules and handlers; a reader that takes the output slowly still
 * gets all of it; a bad row stops the run naming its line.
 */
import {spawn} from 'node:child_process'
import {join} from 'node:path'
import test from 'ava'
import {projectRoot} from '../helpers/db.js'
import {runCli} from '../helpers/dumps.js'
import {fixturePath} from '../helpers/fixtures.js'
import {tempFolder} from '../helpers/temp.js'

const SEMANTICS_MAP = fixturePath('semantics', 'map.xml')

function lines(text: string): Record<string, unknown>[] {
  return text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>)
}

test('rows of a renamed document come out under the destination\'s columns: moves, ignores and handlers applied', async (t) => {
  const input = [
    {entity_id: 1, increment_id: '100000001', grand_total: '10.0000', customer_note: '', gift_message_id: null},
    {entity_id: 2, increment_id: '100000002', grand_total: '20.5000', customer_note: null, gift_message_id: 7},
  ].map((row) => JSON.stringify(row)).join('\n')
  const result = await runCli(['transform', '--map', SEMANTICS_MAP, '--document', 'sales_flat_order'], {input})
  t.is(result.code, 0, result.stderr)
  // grand_total moves to base_grand_total; SetValue NULL empties gift_message_id (a destination rule).
  t.deepEqual(lines(result.stdout), [
    {entity_id: 1, increment_id: '100000001', base_grand_total: '10.0000', customer_note: '', gift_message_id: null},
    {entity_id: 2, increment_id: '100000002', base_grand_total: '20.5000', customer_note: null, gift_message_id: null},
  ])
  t.regex(result.stderr, /sales_flat_order -> sales_order: 2 rows read, 2 written, 0 dropped/)
})

test('ignored fields are left out; source handlers change values; exact values pass unchanged', async (t) => {
  const input = `${JSON.stringify({store_id: 0, code: 'admin', legacy_flag: 1, name: 'Admin'})}\n${JSON.stringify({store_id: 2, code: 'french', legacy_flag: 0, name: 'Vue française 😀'})}\n`
  const stores = await runCli(['transform', '--map', SEMANTICS_MAP, '--document', 'core_store'], {input})
  t.deepEqual(lines(stores.stdout), [{store_id: 0, code: 'admin', name: 'Admin'}, {store_id: 2, code: 'french', name: 'Vue française 😀'}])
  const links = await runCli(['transform', '--map', SEMANTICS_MAP, '--document', 'eav_entity_link'], {input: '{"entity_id":"18446744073709551615","store_id":1,"value":{"$hex":"00ff"}}\n'})
  // SetValue +10 on store_id gives its exact sum as text; the bigint text and the bytes are written back as they came.
  t.deepEqual(lines(links.stdout), [{entity_id: '18446744073709551615', store_id: '11', value: {$hex: '00ff'}}])
})

test('a slow reader of stdout still gets every row, in order', async (t) => {
  const rows = 60_000
  const child = spawn(process.execPath, [join(projectRoot(), 'bin', 'run.js'), 'transform', '--map', SEMANTICS_MAP, '--document', 'sales_flat_order', '-q'], {stdio: ['pipe', 'pipe', 'pipe']})
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  // Write the input as fast as stdin takes it.
  const writing = (async () => {
    for (let id = 1; id <= rows; id++) {
      const line = `${JSON.stringify({entity_id: id, increment_id: `1${String(id).padStart(8, '0')}`, grand_total: `${id}.5000`, customer_note: 'x'.repeat(200), gift_message_id: id})}\n`
      if (!child.stdin.write(line)) await new Promise((resolve) => child.stdin.once('drain', resolve))
    }
    child.stdin.end()
  })()
  // Read a little at a time, pausing between reads, so the pipe is full most of the time.
  let received = 0
  let lastId = 0
  let ordered = true
  let rest = ''
  child.stdout.setEncoding('utf8')
  for await (const chunk of child.stdout as AsyncIterable<string>) {
    const text = rest + chunk
    const parts = text.split('\n')
    rest = parts.pop()!
    for (const part of parts) {
      const id = (JSON.parse(part) as {entity_id: number}).entity_id
      if (id !== lastId + 1) ordered = false
      lastId = id
      received++
    }
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  await writing
  const code = await new Promise<number | null>((resolve) => (child.exitCode === null ? child.once('close', resolve) : resolve(child.exitCode)))
  t.is(code, 0, stderr)
  t.is(received, rows)
  t.true(ordered)
  t.is(rest, '')
})

test('a row cut off in the input stops the run with exit 2, naming stdin and its line', async (t) => {
  const input = '{"entity_id":1,"increment_id":"1","grand_total":"1","customer_note":null,"gift_message_id":null}\n{"entity_id":2,"incre'
  const result = await runCli(['transform', '--map', SEMANTICS_MAP, '--document', 'sales_flat_order'], {input})
  t.is(result.code, 2)
  t.regex(result.stderr, /\[ERROR\]: stdin:2: table sales_flat_order: the file ends inside a JSON value: it was cut off/)
})

test('a row with other columns than the first stops the run, naming the line and the column', async (t) => {
  const input = '{"entity_id":1,"increment_id":"1"}\n{"entity_id":2,"increment":"2"}\n'
  const result = await runCli(['transform', '--map', SEMANTICS_MAP, '--document', 'sales_flat_order'], {input})
  t.is(result.code, 2)
  t.regex(result.stderr, /stdin:2: table sales_flat_order: column increment is not among the columns of the first row/)
})

test('a document the map ignores is refused', async (t) => {
  const result = await runCli(['transform', '--map', SEMANTICS_MAP, '--document', 'log_url'], {input: '{"url_id":1}\n'})
  t.not(result.code, 0)
  t.regex(result.stderr, /the map ignores document log_url/)
})

test('with --config, the dump\'s schema file gives the columns, and a row that does not match it is refused', async (t) => {
  const config = fixturePath('demo', 'config.xml')
  const result = await runCli(['transform', '--map', fixturePath('demo', 'map.xml'), '--document', 'core_store', '--config', config], {input: '{"store_id":1,"code":"default"}\n'})
  t.is(result.code, 2)
  t.regex(result.stderr, /stdin:1: table core_store: the row lacks columns website_id, group_id, name, sort_order, is_active of the schema/)
})

test('handlers that need a database cannot run here, and say so', async (t) => {
  const {writeFileSync} = await import('node:fs')
  const map = join(tempFolder('transform'), 'map.xml')
  writeFileSync(map, '<map><source><field_rules><transform><field>core_store_group.code</field><handler class="\\Migration\\Handler\\StoreGroupCode"/></transform></field_rules></source><destination/></map>')
  const result = await runCli(['transform', '--map', map, '--document', 'core_store_group'], {input: '{"group_id":1,"code":null}\n'})
  t.not(result.code, 0)
  t.regex(result.stderr, /needs the source database/)
})
