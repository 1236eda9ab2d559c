/**
 * Crash safety: migrate:data is SIGKILLed at random instants of its data stage, again and again,
 * then run to its end; every destination document must equal a clean, uninterrupted run. And the
 * narrowest instant of all, a kill just after a batch's COMMIT was sent, is staged on purpose.
 */
import test from 'ava'
import mysql from 'mysql2/promise'
import type {TestDatabase} from '../helpers/db.js'
import {assertSameAsReference, createResumeFixture, DOCUMENTS, documentProgress, linesWith, migrateReference, mulberry32, PROGRESS_TABLE, remainingShare, runCli, startCli, waitForProgress} from '../helpers/resume-fixture.js'

/** One seed per kill; M2M_KILL_SEEDS=7,8,9 replays others. */
const SEEDS = (process.env.M2M_KILL_SEEDS ?? '1,2,3,4,5,6').split(',').map(Number)

const DATA_STAGE_STARTED = /\[stage: data migration\]\[step: Map Step\]: started/

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

test('SIGKILL at random instants of the data stage, then a run to the end: every table equals a clean run', async (t) => {
  // bulk_size 500: 240 batches in big_orders, so most kills land between or inside batches of a document.
  const fixture = await createResumeFixture(t, {bulkSize: 500})
  const cleanRunMs = await migrateReference(t, fixture)
  let leftInProgress = 0
  for (const seed of SEEDS) {
    // The kill window scales with this machine's speed and with the work left: up to 60% of the
    // time a clean run would need for the rows not yet saved, so that every kill can land
    // inside the data stage of a resumed run too.
    const window = Math.max(50, Math.round(cleanRunMs * (await remainingShare(fixture)) * 0.6))
    const delay = Math.round(mulberry32(seed)() * window)
    const running = startCli(['migrate:data', fixture.config])
    if (await running.printed(DATA_STAGE_STARTED)) await sleep(delay)
    running.child.kill('SIGKILL')
    const result = await running.done
    const saved = await Promise.all(DOCUMENTS.map(async (document) => [document, await documentProgress(fixture.destination, document)] as const))
    const shown = saved.map(([document, progress]) => `${document}=${progress === undefined ? 'none' : progress.done ? 'done' : `${progress.rows} rows`}`).join(', ')
    if (result.signal === 'SIGKILL') {
      t.log(`seed ${seed}: killed ${delay} ms (window ${window} ms) into the data stage; saved progress: ${shown}`)
      if (saved.some(([, progress]) => progress !== undefined && progress.done === 0 && progress.rows > 0)) leftInProgress++
    } else {
      // Still counts as a kill iteration (the next run must then find nothing left to do), but a
      // run that ended by itself must have ended well.
      t.is(result.code, 0, result.stdout + result.stderr)
      t.log(`seed ${seed}: the run had ended (exit ${result.code}) before the kill ${delay} ms into the data stage; saved progress: ${shown}`)
    }
  }
  // With kills spread inside the work left, a document must have been cut mid-way at least once;
  // otherwise this test would prove nothing.
  t.true(leftInProgress >= 1, `no kill left a document in progress (a clean run took ${cleanRunMs} ms)`)

  const final = await runCli(['migrate:data', fixture.config])
  t.is(final.code, 0, final.stdout + final.stderr)
  t.is(linesWith(final.stdout, 'Resuming from the saved progress').length, 1, final.stdout)
  await assertSameAsReference(t, fixture)
})

/**
 * Resolves once another connection to db has been running one statement for over 300 ms (here:
 * waiting for the locks of the pending transaction); false after timeoutMs.
 */
async function someoneIsBlocked(db: TestDatabase, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    const [{n}] = await db.query<{n: number}>("SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ? AND COMMAND = 'Query' AND TIME_MS > 300 AND ID <> CONNECTION_ID()", [db.name])
    if (Number(n) > 0) return true
    await sleep(50)
  }
  return false
}

test('a batch whose COMMIT reached the server just before the process died is not copied again by the rerun', async (t) => {
  const fixture = await createResumeFixture(t, {bigRows: 40_000})
  await migrateReference(t, fixture)
  const stopped = startCli(['migrate:data', fixture.config])
  t.true(await waitForProgress(fixture.destination, stopped, 'big_orders', 5000), 'big_orders never got under way')
  stopped.child.kill('SIGINT')
  t.is((await stopped.done).code, 130)
  const saved = await documentProgress(fixture.destination, 'big_orders')
  if (!saved?.lastKey) return t.fail('big_orders was left without a checkpoint')
  const [after] = JSON.parse(saved.lastKey) as [number]
  // What a killed run leaves when its next batch's COMMIT was sent but is still executing on the
  // server: the batch's rows and its checkpoint, in a transaction that commits a moment later.
  const {host, port, user, password, name} = fixture.destination.params
  const dying = await mysql.createConnection({host, port, user, password, database: name})
  t.teardown(() => dying.end().catch(() => undefined))
  await dying.query('START TRANSACTION')
  await dying.query(`INSERT INTO big_orders SELECT * FROM \`${fixture.source.name}\`.big_orders WHERE id > ? AND id <= ?`, [after, after + 1000])
  await dying.query(`UPDATE ${PROGRESS_TABLE} SET last_key = ?, rows_done = rows_done + 1000 WHERE stage = 'data|Map Step|data' AND document = 'big_orders'`, [JSON.stringify([after + 1000])])
  const rerun = startCli(['migrate:data', fixture.config])
  // The rerun gets as far as the rows that commit is about to make permanent, and waits for them.
  t.true(await someoneIsBlocked(fixture.destination, 15_000), `the rerun never met the pending commit:\n${rerun.output()}`)
  await dying.query('COMMIT')
  const result = await rerun.done
  t.is(result.code, 0, result.stdout + result.stderr)
  t.is(linesWith(result.stdout, `big_orders (${saved.rows + 1000} rows already done)`).length, 1, result.stdout)
  await assertSameAsReference(t, fixture)
})
