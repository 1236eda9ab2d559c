import test from 'ava'
import {formatDuration, renderBar, TerminalProgress} from '../../src/log/progress-display.js'

test('renderBar shows bar, percent, rows, rate and ETA of a half-done document', (t) => {
  // 5000 of 10000 rows after 2 s: 2500 rows/s, and the other 5000 rows take 2 s more.
  t.is(renderBar('sales_flat_order', {total: 10_000, done: 5000, started: 1000}, 3000),
    'sales_flat_order [##########----------]  50% 5000/10000 rows 2500 rows/s ETA 0:02')
})

test('renderBar works out the rate and the remaining time from the elapsed time', (t) => {
  // 1000 of 4000 rows after 4 s: 250 rows/s; 3000 rows left take 12 s. A quarter of 20 cells is 5.
  t.is(renderBar('t', {total: 4000, done: 1000, started: 0}, 4000),
    't [#####---------------]  25% 1000/4000 rows 250 rows/s ETA 0:12')
})

test('renderBar of a finished document shows a full bar and no time left', (t) => {
  t.is(renderBar('t', {total: 300, done: 300, started: 0}, 3000, 10), 't [##########] 100% 300/300 rows 100 rows/s ETA 0:00')
})

test('renderBar caps the bar at 100% when more rows arrive than were counted', (t) => {
  t.is(renderBar('t', {total: 100, done: 150, started: 0}, 1000, 10), 't [##########] 100% 150/100 rows 150 rows/s ETA 0:00')
})

test('renderBar shows an unknown ETA before the first rows are written', (t) => {
  t.is(renderBar('t', {total: 100, done: 0, started: 0}, 1000, 10), 't [----------]   0% 0/100 rows 0 rows/s ETA --:--')
})

test('formatDuration writes minutes and seconds under an hour', (t) => {
  t.is(formatDuration(0), '0:00')
  t.is(formatDuration(59.4), '0:59')
  t.is(formatDuration(59.6), '1:00')
  t.is(formatDuration(3599), '59:59')
})

test('formatDuration adds hours from one hour on', (t) => {
  t.is(formatDuration(3600), '1:00:00')
  t.is(formatDuration(3661), '1:01:01')
  t.is(formatDuration(50 * 3600 + 5), '50:00:05')
})

test('formatDuration writes an unknown duration as --:--', (t) => {
  t.is(formatDuration(Number.POSITIVE_INFINITY), '--:--')
  t.is(formatDuration(Number.NaN), '--:--')
  t.is(formatDuration(-1), '--:--')
})

test('a terminal display draws one line per active document and clears them before a log line', (t) => {
  const written: string[] = []
  const stream = {columns: 200, write: (chunk: string) => written.push(chunk)} as unknown as NodeJS.WriteStream
  let clock = 0
  const display = new TerminalProgress(stream, () => clock)
  t.teardown(() => display.stop())

  display.start('a', 10)
  display.start('b', 20)
  display.advance('a', 5)
  clock = 1000
  display.redraw()
  display.clear()

  t.deepEqual(written, [
    'a [##########----------]  50% 5/10 rows 5 rows/s ETA 0:01\nb [--------------------]   0% 0/20 rows 0 rows/s ETA --:--\n',
    '\x1b[2A\x1b[0J',
  ])
})

test('a terminal display cuts lines to the terminal width', (t) => {
  const written: string[] = []
  const stream = {columns: 30, write: (chunk: string) => written.push(chunk)} as unknown as NodeJS.WriteStream
  const display = new TerminalProgress(stream, () => 0)
  t.teardown(() => display.stop())

  display.start('catalog_product_entity_varchar', 10)
  display.redraw()

  t.is(written[0], `${'catalog_product_entity_varchar [---'.slice(0, 29)}\n`)
})
