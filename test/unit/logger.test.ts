import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import test from 'ava'
import {type Level, levelFromFlags, Logger, type LogSink} from '../../src/log/logger.js'

/** 2026-01-01 10:00:00 on the machine's clock: the log prints local time. */
const now = () => new Date(2026, 0, 1, 10, 0, 0)

function capture(): LogSink & {lines: string[]; levels: Level[]} {
  const lines: string[] = []
  const levels: Level[] = []
  return {
    lines,
    levels,
    write(line, level) {
      lines.push(line)
      levels.push(level)
    },
  }
}

test('an info line carries time, level, mode, stage and step in the DMT format', (t) => {
  const console = capture()
  const log = new Logger({console, now})
  log.setContext({mode: 'data', stage: 'integrity check', step: 'Map Step'})

  log.info('started')

  t.deepEqual(console.lines, ['[2026-01-01 10:00:00][INFO][mode: data][stage: integrity check][step: Map Step]: started'])
})

test('error and warning lines carry no context', (t) => {
  const console = capture()
  const log = new Logger({console, now})
  log.setContext({mode: 'data', stage: 'data migration', step: 'Map Step'})

  log.error('Data Migration failed')
  log.warning('Mismatch of data types. Source document: a. Fields: b')

  t.deepEqual(console.lines, [
    '[2026-01-01 10:00:00][ERROR]: Data Migration failed',
    '[2026-01-01 10:00:00][WARNING]: Mismatch of data types. Source document: a. Fields: b',
  ])
})

test('an info line without context has just time and level', (t) => {
  const console = capture()
  new Logger({console, now}).info('hello')

  t.deepEqual(console.lines, ['[2026-01-01 10:00:00][INFO]: hello'])
})

test('only the parts of the context that are set are printed', (t) => {
  const console = capture()
  const log = new Logger({console, now})
  log.setContext({mode: 'settings', step: 'Stores Step'})

  log.info('x')

  t.deepEqual(console.lines, ['[2026-01-01 10:00:00][INFO][mode: settings][step: Stores Step]: x'])
})

test('the timestamp pads month, day, hours, minutes and seconds to two digits', (t) => {
  const console = capture()
  new Logger({console, now: () => new Date(2026, 2, 4, 5, 6, 7)}).error('e')

  t.deepEqual(console.lines, ['[2026-03-04 05:06:07][ERROR]: e'])
})

test('at error level (-q) only errors are printed', (t) => {
  const console = capture()
  const log = new Logger({console, now, level: 'error'})

  log.debug('d')
  log.info('i')
  log.notice('n')
  log.warning('w')
  log.error('e')

  t.deepEqual(console.levels, ['error'])
})

test('at info level debug lines are hidden and the rest printed', (t) => {
  const console = capture()
  const log = new Logger({console, now})

  log.debug('d')
  log.info('i')
  log.warning('w')
  log.error('e')

  t.deepEqual(console.levels, ['info', 'warning', 'error'])
})

test('at debug level debug lines are printed', (t) => {
  const console = capture()
  const log = new Logger({console, now, level: 'debug'})
  log.setContext({mode: 'data'})

  log.debug('migrating sales_order')

  t.deepEqual(console.lines, ['[2026-01-01 10:00:00][DEBUG][mode: data]: migrating sales_order'])
})

test('every message is counted by level, printed or not', (t) => {
  const log = new Logger({console: capture(), now, level: 'error'})

  log.warning('w1')
  log.warning('w2')
  log.error('e')

  t.is(log.count('warning'), 2)
  t.is(log.count('error'), 1)
  t.is(log.count('info'), 0)
})

test('printed lines are appended to the log file, after what it held', async (t) => {
  const folder = await mkdtemp(join(tmpdir(), 'm2m-logger-'))
  t.teardown(() => rm(folder, {recursive: true, force: true}))
  const file = join(folder, 'migration.log')
  await writeFile(file, 'an earlier run\n')
  const log = new Logger({console: capture(), now, file})

  log.info('first')
  log.debug('hidden at info level')
  log.error('second')

  t.is(await readFile(file, 'utf8'), 'an earlier run\n[2026-01-01 10:00:00][INFO]: first\n[2026-01-01 10:00:00][ERROR]: second\n')
})

test('the log file\'s folder is created when missing', async (t) => {
  const folder = await mkdtemp(join(tmpdir(), 'm2m-logger-'))
  t.teardown(() => rm(folder, {recursive: true, force: true}))
  const file = join(folder, 'var', 'log', 'migration.log')

  new Logger({console: capture(), now, file}).info('x')

  t.is(await readFile(file, 'utf8'), '[2026-01-01 10:00:00][INFO]: x\n')
})

test('the progress display is asked to step aside around each printed line', (t) => {
  const events: string[] = []
  const log = new Logger({console: {write: (line) => events.push(`line ${line.slice(-1)}`)}, now})
  log.beforeWrite = () => events.push('clear')
  log.afterWrite = () => events.push('redraw')

  log.debug('hidden')
  log.info('a')

  t.deepEqual(events, ['clear', 'line a', 'redraw'])
})

test('levelFromFlags: -q gives errors only, default and -v info, -vv and -vvv debug', (t) => {
  t.is(levelFromFlags(true, 0), 'error')
  t.is(levelFromFlags(true, 3), 'error', '-q wins over -v')
  t.is(levelFromFlags(false, 0), 'info')
  t.is(levelFromFlags(false, 1), 'info')
  t.is(levelFromFlags(false, 2), 'debug')
  t.is(levelFromFlags(false, 3), 'debug')
})
