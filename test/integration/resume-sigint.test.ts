/**
 * Ctrl-C: the first SIGINT lets the batches in flight commit or roll back, saves the progress and
 * exits 130 saying how to resume; a second one exits 130 at once. Either way a rerun completes
 * the migration exactly.
 */
import test from 'ava'
import {assertSameAsReference, createResumeFixture, documentProgress, linesWith, migrateReference, runCli, startCli, waitForProgress} from '../helpers/resume-fixture.js'

/** big_orders smaller than in the kill test: these tests stop a run at a chosen point, not at random. */
const SMALL = {bigRows: 40_000}

test('SIGINT mid-document: exit 130, the output says how to resume, the saved key matches the rows committed', async (t) => {
  const fixture = await createResumeFixture(t, SMALL)
  const running = startCli(['migrate:data', fixture.config])
  t.true(await waitForProgress(fixture.destination, running, 'big_orders', 5000), 'big_orders never got under way')
  running.child.kill('SIGINT')
  const result = await running.done
  t.is(result.code, 130, result.stdout + result.stderr)
  t.regex(result.stderr, /SIGINT: finishing the batches in flight/)
  t.is(linesWith(result.stdout + result.stderr, 'Run the same command again to resume').length, 1, result.stdout + result.stderr)
  // A graceful stop leaves the checkpoint exactly at the rows committed: ids 1..last key, no more.
  const saved = await documentProgress(fixture.destination, 'big_orders')
  t.is(saved?.done, 0)
  const [lastKey] = JSON.parse(saved?.lastKey ?? 'null') as [number]
  const [{n, top}] = await fixture.destination.query<{n: number; top: number}>('SELECT COUNT(*) AS n, MAX(id) AS top FROM big_orders')
  t.is(Number(n), saved?.rows ?? -1)
  t.is(Number(top), lastKey)
  t.true(Number(n) < fixture.bigRows, 'the interrupted run went on to the end of big_orders')
})

test('SIGTERM is handled like the first Ctrl-C: a graceful stop with exit 130 and a checkpoint matching the rows committed', async (t) => {
  const fixture = await createResumeFixture(t, SMALL)
  const running = startCli(['migrate:data', fixture.config])
  t.true(await waitForProgress(fixture.destination, running, 'big_orders', 5000), 'big_orders never got under way')
  running.child.kill('SIGTERM')
  const result = await running.done
  t.is(result.code, 130, result.stdout + result.stderr)
  t.regex(result.stderr, /SIGTERM: finishing the batches in flight/)
  const saved = await documentProgress(fixture.destination, 'big_orders')
  const [{n}] = await fixture.destination.query<{n: number}>('SELECT COUNT(*) AS n FROM big_orders')
  t.is(Number(n), saved?.rows ?? -1)
})

test('after a SIGINT the rerun resumes and every table equals a clean run', async (t) => {
  const fixture = await createResumeFixture(t, SMALL)
  await migrateReference(t, fixture)
  const running = startCli(['migrate:data', fixture.config])
  t.true(await waitForProgress(fixture.destination, running, 'big_orders', 5000), 'big_orders never got under way')
  running.child.kill('SIGINT')
  t.is((await running.done).code, 130)
  const rerun = await runCli(['migrate:data', fixture.config])
  t.is(rerun.code, 0, rerun.stdout + rerun.stderr)
  t.is(linesWith(rerun.stdout, 'Resuming from the saved progress').length, 1, rerun.stdout)
  await assertSameAsReference(t, fixture)
})

test('a second SIGINT during the graceful stop exits 130; the rerun still completes exactly', async (t) => {
  const fixture = await createResumeFixture(t, SMALL)
  await migrateReference(t, fixture)
  const running = startCli(['migrate:data', fixture.config])
  t.true(await waitForProgress(fixture.destination, running, 'big_orders', 5000), 'big_orders never got under way')
  running.child.kill('SIGINT')
  // The second signal while the first one's batches are finishing: the process stops where it is.
  await running.printed(/SIGINT: finishing the batches in flight/)
  running.child.kill('SIGINT')
  const result = await running.done
  t.is(result.code, 130, result.stdout + result.stderr)
  const rerun = await runCli(['migrate:data', fixture.config])
  t.is(rerun.code, 0, rerun.stdout + rerun.stderr)
  await assertSameAsReference(t, fixture)
})

test('SIGINT during the integrity check: exit 130, and the data stage does not run on to its end', async (t) => {
  const fixture = await createResumeFixture(t, SMALL)
  const running = startCli(['migrate:data', fixture.config])
  t.true(await running.printed(/\[stage: integrity check\]\[step: Map Step\]: started/))
  running.child.kill('SIGINT')
  const result = await running.done
  t.is(result.code, 130, result.stdout + result.stderr)
  t.is(linesWith(result.stdout + result.stderr, 'Run the same command again to resume').length, 1, result.stdout + result.stderr)
  // Stopping as soon as possible: no document may have been copied to its end after the signal.
  const saved = await documentProgress(fixture.destination, 'big_orders')
  t.not(saved?.done, 1, 'big_orders was copied to its end after SIGINT')
})
