import test from 'ava'
import {normalizeVerbosityArgs} from '../../src/cli/verbosity-args.js'

test('-v, -vv and -vvv become --verbosity=1, 2 and 3', (t) => {
  t.deepEqual(normalizeVerbosityArgs(['-v']), ['--verbosity=1'])
  t.deepEqual(normalizeVerbosityArgs(['-vv']), ['--verbosity=2'])
  t.deepEqual(normalizeVerbosityArgs(['-vvv']), ['--verbosity=3'])
})

test('--verbose becomes --verbosity=1', (t) => {
  t.deepEqual(normalizeVerbosityArgs(['--verbose']), ['--verbosity=1'])
})

test('other arguments are kept as they are, in place', (t) => {
  t.deepEqual(normalizeVerbosityArgs(['config.xml', '-vv', '-a', '--reset', '-q', '--verbosity=2']),
    ['config.xml', '--verbosity=2', '-a', '--reset', '-q', '--verbosity=2'])
})

test('arguments that only look like -v are kept', (t) => {
  t.deepEqual(normalizeVerbosityArgs(['-va', '-V', '--vv', 'v', '-v1']), ['-va', '-V', '--vv', 'v', '-v1'])
})

test('arguments after -- are kept as they are', (t) => {
  t.deepEqual(normalizeVerbosityArgs(['-v', '--', '-vv', '--verbose']), ['--verbosity=1', '--', '-vv', '--verbose'])
})

test('the input array is not changed', (t) => {
  const args = ['-vv', 'config.xml']
  normalizeVerbosityArgs(args)

  t.deepEqual(args, ['-vv', 'config.xml'])
})
