import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import test from 'ava'
import {PROJECT_ROOT, shebangFlags} from '../../bench/methods.js'
import {tempFolder} from '../helpers/temp.js'

function entry(firstLine: string): string {
  const file = join(tempFolder('shebang'), 'run.js')
  writeFileSync(file, `${firstLine}\nconsole.log(1)\n`)
  return file
}

test('the bench runs our entry with the node flags of its shebang, as npx does: the heap sizes', (t) => {
  t.deepEqual(shebangFlags(join(PROJECT_ROOT, 'bin', 'run.js')), ['--max-old-space-size=1024', '--max-semi-space-size=32'])
})

test('an entry with a plain node shebang, or none, adds no flags', (t) => {
  t.deepEqual(shebangFlags(entry('#!/usr/bin/env node')), [])
  t.deepEqual(shebangFlags(entry('// no shebang')), [])
  t.deepEqual(shebangFlags(entry('#!/usr/bin/env -S node --a=1 --b')), ['--a=1', '--b'])
})
