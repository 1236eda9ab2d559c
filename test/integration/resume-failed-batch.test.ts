/**
 * A batch is all or nothing: a row that a destination constraint refuses rolls back every row of
 * its batch, the run stops with exit 5 and an error naming the document and the batch's keys, and
 * the saved progress ends exactly at the last committed batch. Once the row is fixed, a rerun
 * resumes there and completes exactly.
 */
import test from 'ava'
import type {TestDatabase} from '../helpers/db.js'
import {assertSameAsReference, createResumeFixture, documentProgress, incrementId, linesWith, migrateReference, type ResumeFixture, runCli} from '../helpers/resume-fixture.js'

const PAGE = 500
/** This row gets the increment_id of ORIGINAL_ID in the source; the destination holds it unique. */
const DUPLICATE_ID = 30_250
const ORIGINAL_ID = 20_000
/** Pages of 500 rows over ids 1..N end at multiples of 500: the failing batch is (30000 .. 30500]. */
const BATCH_AFTER = Math.floor((DUPLICATE_ID - 1) / PAGE) * PAGE
const BATCH_LAST = BATCH_AFTER + PAGE

async function fixtureWithDuplicate(t: Parameters<typeof createResumeFixture>[0]): Promise<ResumeFixture> {
  return createResumeFixture(t, {
    bigRows: 40_000,
    bulkSize: PAGE,
    async prepare(source: TestDatabase, destination: TestDatabase, reference: TestDatabase) {
      await source.query('UPDATE big_orders SET increment_id = ? WHERE id = ?', [incrementId(ORIGINAL_ID), DUPLICATE_ID])
      for (const db of [destination, reference]) await db.exec('ALTER TABLE big_orders ADD UNIQUE KEY big_orders_increment_id (increment_id)')
    },
  })
}

test('a row refused by a unique key: exit 5, the error names the document and the keys, none of its batch is committed', async (t) => {
  const fixture = await fixtureWithDuplicate(t)
  const run = await runCli(['migrate:data', fixture.config])
  t.is(run.code, 5, run.stdout + run.stderr)
  const errors = linesWith(run.stderr, `big_orders: batch with keys (${BATCH_AFTER} .. ${BATCH_LAST}] failed and was rolled back`)
  t.is(errors.length, 1, run.stderr)
  t.regex(errors[0] ?? '', new RegExp(`Duplicate entry '${incrementId(ORIGINAL_ID)}'`))
  const [{inBatch}] = await fixture.destination.query<{inBatch: number}>('SELECT COUNT(*) AS inBatch FROM big_orders WHERE id > ? AND id <= ?', [BATCH_AFTER, BATCH_LAST])
  t.is(Number(inBatch), 0)
  // Every earlier batch is there, and nothing beyond the checkpoint: ids 1..last key, all of them.
  const saved = await documentProgress(fixture.destination, 'big_orders')
  t.deepEqual(saved, {done: 0, lastKey: JSON.stringify([BATCH_AFTER]), rows: BATCH_AFTER})
  const [{n, top}] = await fixture.destination.query<{n: number; top: number}>('SELECT COUNT(*) AS n, MAX(id) AS top FROM big_orders')
  t.deepEqual([Number(n), Number(top)], [BATCH_AFTER, BATCH_AFTER])
})

test('a rerun before the row is fixed resumes at the checkpoint and fails on the same batch, named by the same keys', async (t) => {
  const fixture = await fixtureWithDuplicate(t)
  t.is((await runCli(['migrate:data', fixture.config])).code, 5)
  const rerun = await runCli(['migrate:data', fixture.config])
  t.is(rerun.code, 5, rerun.stdout + rerun.stderr)
  t.is(linesWith(rerun.stdout, `big_orders (${BATCH_AFTER} rows already done)`).length, 1, rerun.stdout)
  t.is(linesWith(rerun.stderr, `big_orders: batch with keys (${BATCH_AFTER} .. ${BATCH_LAST}] failed and was rolled back`).length, 1, rerun.stderr)
  t.deepEqual(await documentProgress(fixture.destination, 'big_orders'), {done: 0, lastKey: JSON.stringify([BATCH_AFTER]), rows: BATCH_AFTER})
})

test('after the refused row is fixed in the source, the rerun resumes and equals a clean run', async (t) => {
  const fixture = await fixtureWithDuplicate(t)
  const failed = await runCli(['migrate:data', fixture.config])
  t.is(failed.code, 5, failed.stdout + failed.stderr)
  await fixture.source.query('UPDATE big_orders SET increment_id = ? WHERE id = ?', [incrementId(DUPLICATE_ID), DUPLICATE_ID])
  await migrateReference(t, fixture)
  const rerun = await runCli(['migrate:data', fixture.config])
  t.is(rerun.code, 0, rerun.stdout + rerun.stderr)
  t.is(linesWith(rerun.stdout, `big_orders (${BATCH_AFTER} rows already done)`).length, 1, rerun.stdout)
  await assertSameAsReference(t, fixture)
})
