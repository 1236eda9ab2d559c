/**
 * --reset forgets the saved progress: the run starts from the beginning (every document emptied
 * first) and the destination equals a single clean run, whether the earlier run finished or not.
 */
import test from 'ava'
import {assertSameAsReference, createResumeFixture, documentProgress, linesWith, migrateReference, runCli, startCli, totalRows, waitForProgress} from '../helpers/resume-fixture.js'

/** big_orders smaller than in the kill test: these tests stop a run at a chosen point, not at random. */
const SMALL = {bigRows: 40_000}

const RESET_SENTENCE = 'Reset the current position of migration to start from the beginning'

test('a finished run, a run with --reset, a run again: the destination equals a single run', async (t) => {
  const fixture = await createResumeFixture(t, SMALL)
  await migrateReference(t, fixture)
  const first = await runCli(['migrate:data', fixture.config])
  t.is(first.code, 0, first.stdout + first.stderr)
  const reset = await runCli(['migrate:data', '--reset', fixture.config])
  t.is(reset.code, 0, reset.stdout + reset.stderr)
  t.is(linesWith(reset.stdout, RESET_SENTENCE).length, 1, reset.stdout)
  // Everything was copied again, not skipped as done: the summary counts every row.
  t.is(linesWith(reset.stdout, 'Resuming from the saved progress').length, 0, reset.stdout)
  t.is(linesWith(reset.stdout, `Summary: 4 documents, ${totalRows(fixture)} rows`).length, 1, reset.stdout)
  await assertSameAsReference(t, fixture)
  // And a plain run after it finds everything done and changes nothing.
  const again = await runCli(['migrate:data', fixture.config])
  t.is(again.code, 0, again.stdout + again.stderr)
  t.is(linesWith(again.stdout, 'Resuming from the saved progress: every stage is done already').length, 1, again.stdout)
  await assertSameAsReference(t, fixture)
})

test('half a run (killed), then a run with --reset: the destination equals a single run', async (t) => {
  const fixture = await createResumeFixture(t, SMALL)
  await migrateReference(t, fixture)
  const running = startCli(['migrate:data', fixture.config])
  t.true(await waitForProgress(fixture.destination, running, 'big_orders', fixture.bigRows / 4), 'big_orders never got under way')
  running.child.kill('SIGKILL')
  await running.done
  const half = await documentProgress(fixture.destination, 'big_orders')
  t.true(half !== undefined && half.done === 0 && half.rows > 0, 'the kill left big_orders in progress')
  const reset = await runCli(['migrate:data', '--reset', fixture.config])
  t.is(reset.code, 0, reset.stdout + reset.stderr)
  t.is(linesWith(reset.stdout, RESET_SENTENCE).length, 1, reset.stdout)
  t.is(linesWith(reset.stdout, 'Resuming from the saved progress').length, 0, reset.stdout)
  // big_orders was copied from its first row again, not resumed after the saved key.
  t.is(linesWith(reset.stdout, new RegExp(`big_orders: ${fixture.bigRows} rows in .*rows/s\\)$`)).length, 1, reset.stdout)
  await assertSameAsReference(t, fixture)
})
