/**
 * What the saved progress tells the operator: migrate:status after a kill, the one line a rerun
 * prints about where it resumes, the refusal to resume with changed files, and the progress table
 * kept out of the integrity and volume checks.
 */
import {readFileSync, writeFileSync} from 'node:fs'
import test, {type ExecutionContext} from 'ava'
import {assertSameAsReference, createResumeFixture, linesWith, migrateReference, PROGRESS_TABLE, type ResumeFixture, runCli, startCli, waitForProgress} from '../helpers/resume-fixture.js'

/** big_orders smaller than in the kill test: these tests stop a run at a chosen point, not at random. */
const SMALL = {bigRows: 40_000}

interface SavedRow {
  stage: string
  document: string
  done: number
  last_key: string | null
  rows_done: string
  value: string | null
}

/** The whole progress table; a locking read, which waits for a COMMIT a killed run had already sent. */
async function savedRows(fixture: ResumeFixture): Promise<SavedRow[]> {
  return fixture.destination.query<SavedRow>(`SELECT stage, document, done, last_key, rows_done, value FROM ${PROGRESS_TABLE} ORDER BY stage, document LOCK IN SHARE MODE`)
}

/** A run SIGKILLed once big_orders has 10,000 rows committed; returns the progress it left. */
async function killedMidway(t: ExecutionContext): Promise<{fixture: ResumeFixture; saved: SavedRow[]}> {
  const fixture = await createResumeFixture(t, SMALL)
  const running = startCli(['migrate:data', fixture.config])
  t.true(await waitForProgress(fixture.destination, running, 'big_orders', 10_000), 'big_orders never got under way')
  running.child.kill('SIGKILL')
  await running.done
  return {fixture, saved: await savedRows(fixture)}
}

const DATA_STAGE = 'data|Map Step|data'

function dataDocuments(saved: readonly SavedRow[]): {done: SavedRow[]; inProgress: SavedRow[]} {
  const documents = saved.filter((row) => row.stage === DATA_STAGE && row.document !== '')
  return {done: documents.filter((row) => Number(row.done) === 1), inProgress: documents.filter((row) => Number(row.done) === 0)}
}

test('migrate:status after a kill: the stages done, the documents done, each document in progress with its last key and rows', async (t) => {
  const {fixture, saved} = await killedMidway(t)
  const status = await runCli(['migrate:status', fixture.config])
  t.is(status.code, 0, status.stdout + status.stderr)
  const lines = status.stdout.split('\n')
  t.true(lines.includes('config.xml and maps: unchanged since the progress was saved'), status.stdout)
  t.true(lines.includes('Stages done: data / Map Step / integrity'), status.stdout)
  const {done, inProgress} = dataDocuments(saved)
  t.true(lines.includes(`data / Map Step / data: ${done.length} documents done`), status.stdout)
  for (const row of inProgress) {
    const key = row.last_key === null ? '(none)' : `(${(JSON.parse(row.last_key) as unknown[]).join(', ')})`
    t.true(lines.includes(`  in progress: ${row.document}: last key ${key}, ${row.rows_done} rows done`), `${row.document} in:\n${status.stdout}`)
  }
  // What the status shows for big_orders is exactly what the killed run had committed: ids 1..key.
  const bigOrders = inProgress.find((row) => row.document === 'big_orders')
  if (!bigOrders?.last_key) return t.fail(`big_orders is not in progress with a key:\n${status.stdout}`)
  const [lastKey] = JSON.parse(bigOrders.last_key) as number[]
  const [{n, top}] = await fixture.destination.query<{n: number; top: number}>('SELECT COUNT(*) AS n, MAX(id) AS top FROM big_orders')
  t.deepEqual([Number(n), Number(top)], [Number(bigOrders.rows_done), lastKey])
})

test('migrate:status before any run: nothing is saved, and the destination is left as it was', async (t) => {
  const fixture = await createResumeFixture(t, {bigRows: 1000})
  const status = await runCli(['migrate:status', fixture.config])
  t.is(status.code, 0, status.stdout + status.stderr)
  t.true(status.stdout.split('\n').includes('Nothing saved yet: migrate:data starts from the beginning.'), status.stdout)
  const tables = await fixture.destination.query('SHOW TABLES LIKE ?', [PROGRESS_TABLE])
  t.deepEqual(tables, [])
})

test('a rerun after a kill prints one line saying where it resumes, then completes exactly', async (t) => {
  const {fixture, saved} = await killedMidway(t)
  await migrateReference(t, fixture)
  const {done} = dataDocuments(saved)
  const bigOrders = saved.find((row) => row.stage === DATA_STAGE && row.document === 'big_orders')
  const rerun = await runCli(['migrate:data', fixture.config])
  t.is(rerun.code, 0, rerun.stdout + rerun.stderr)
  const resuming = linesWith(rerun.stdout, 'Resuming from the saved progress')
  t.is(resuming.length, 1, rerun.stdout)
  t.regex(resuming[0] ?? '', new RegExp(`: Resuming from the saved progress: stage data migration of Map Step: ${done.length} documents already done, continuing .*big_orders \\(${bigOrders?.rows_done} rows already done\\)`))
  await assertSameAsReference(t, fixture)
})

test('a map changed since the progress was saved: exit 2, the message suggests --reset, nothing is written', async (t) => {
  const {fixture, saved} = await killedMidway(t)
  writeFileSync(fixture.mapFile, readFileSync(fixture.mapFile, 'utf8').replace('value="+5"', 'value="+6"'))
  const [{n: before}] = await fixture.destination.query<{n: number}>('SELECT COUNT(*) AS n FROM big_orders')
  const rerun = await runCli(['migrate:data', fixture.config])
  t.is(rerun.code, 2, rerun.stdout + rerun.stderr)
  t.is(linesWith(rerun.stderr, 'config.xml or a map file changed since the saved progress was written').length, 1, rerun.stderr)
  t.is(linesWith(rerun.stdout + rerun.stderr, '--reset').length, 1, rerun.stdout + rerun.stderr)
  t.deepEqual(await savedRows(fixture), saved)
  const [{n: after}] = await fixture.destination.query<{n: number}>('SELECT COUNT(*) AS n FROM big_orders')
  t.is(Number(after), Number(before))
  const status = await runCli(['migrate:status', fixture.config])
  t.true(status.stdout.split('\n').includes('config.xml or a map changed since the progress was saved: a rerun refuses to resume; use --reset to start over'), status.stdout)
})

test('a config.xml changed since the progress was saved (bulk_size): exit 2, the message suggests --reset', async (t) => {
  const {fixture, saved} = await killedMidway(t)
  writeFileSync(fixture.config, readFileSync(fixture.config, 'utf8').replace('<bulk_size>1000</bulk_size>', '<bulk_size>700</bulk_size>'))
  const rerun = await runCli(['migrate:data', fixture.config])
  t.is(rerun.code, 2, rerun.stdout + rerun.stderr)
  t.is(linesWith(rerun.stdout + rerun.stderr, '--reset').length, 1, rerun.stdout + rerun.stderr)
  t.deepEqual(await savedRows(fixture), saved)
})

test('the progress table is left out of the integrity and volume checks', async (t) => {
  const fixture = await createResumeFixture(t, {bigRows: 20_000})
  const first = await runCli(['migrate:data', fixture.config])
  // The table exists from before the integrity check: were it checked, it would be an unmapped document (exit 4).
  t.is(first.code, 0, first.stdout + first.stderr)
  t.is(linesWith(first.stdout + first.stderr, PROGRESS_TABLE).length, 0, first.stdout + first.stderr)
  // Once more with --reset: the table is made again before the checks, which all run again.
  const reset = await runCli(['migrate:data', '--reset', fixture.config])
  t.is(reset.code, 0, reset.stdout + reset.stderr)
  t.is(linesWith(reset.stdout + reset.stderr, PROGRESS_TABLE).length, 0, reset.stdout + reset.stderr)
  t.true((await savedRows(fixture)).length > 0)
})
