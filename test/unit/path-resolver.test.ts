import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import test from 'ava'
import type {ExecutionContext} from 'ava'
import {resolveNearConfig} from '../../src/config/path-resolver.js'

/** root/etc/edition/1.0/config.xml, with the given files (relative to root) written too. */
async function tree(t: ExecutionContext, files: string[] = []): Promise<{root: string; configFile: string}> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'm2m-paths-'))
  t.teardown(() => rm(root, {recursive: true, force: true}))
  const configFile = path.join(root, 'etc', 'edition', '1.0', 'config.xml')
  await mkdir(path.dirname(configFile), {recursive: true})
  await writeFile(configFile, '<config/>')
  for (const file of files) {
    await mkdir(path.dirname(path.join(root, file)), {recursive: true})
    await writeFile(path.join(root, file), file)
  }
  return {root, configFile}
}

test('an absolute path that exists is used as given', async (t) => {
  const {root, configFile} = await tree(t, ['elsewhere/map.xml'])
  const absolute = path.join(root, 'elsewhere', 'map.xml')
  t.deepEqual(resolveNearConfig(absolute, configFile), {path: absolute, candidates: [absolute]})
})

test('an absolute path that does not exist is not searched for elsewhere', async (t) => {
  const {root, configFile} = await tree(t, ['etc/edition/1.0/map.xml'])
  const absolute = path.join(root, 'map.xml')
  t.deepEqual(resolveNearConfig(absolute, configFile), {path: undefined, candidates: [absolute]})
})

test('a relative path is found in the config file\'s own folder first', async (t) => {
  const {root, configFile} = await tree(t, ['etc/edition/1.0/map.xml', 'map.xml'])
  const {path: found, candidates} = resolveNearConfig('map.xml', configFile)
  t.is(found, path.join(root, 'etc', 'edition', '1.0', 'map.xml'))
  t.deepEqual(candidates, [found])
})

test('a relative path with folders is found in a parent of the config folder', async (t) => {
  const {root, configFile} = await tree(t, ['etc/edition/1.0/map.xml.dist'])
  const {path: found, candidates} = resolveNearConfig('etc/edition/1.0/map.xml.dist', configFile)
  t.is(found, path.join(root, 'etc', 'edition', '1.0', 'map.xml.dist'))
  t.deepEqual(candidates, [
    path.join(root, 'etc', 'edition', '1.0', 'etc', 'edition', '1.0', 'map.xml.dist'),
    path.join(root, 'etc', 'edition', 'etc', 'edition', '1.0', 'map.xml.dist'),
    path.join(root, 'etc', 'etc', 'edition', '1.0', 'map.xml.dist'),
    path.join(root, 'etc', 'edition', '1.0', 'map.xml.dist'),
  ])
})

test('the nearest parent wins when several hold the file', async (t) => {
  const {root, configFile} = await tree(t, ['shared/map.xml', 'etc/shared/map.xml'])
  t.is(resolveNearConfig('shared/map.xml', configFile).path, path.join(root, 'etc', 'shared', 'map.xml'))
})

test('a config file given by a relative path is located from the working directory', async (t) => {
  const {root, configFile} = await tree(t, ['etc/edition/map.xml'])
  const relativeConfig = path.relative(process.cwd(), configFile)
  t.is(resolveNearConfig('map.xml', relativeConfig).path, path.join(root, 'etc', 'edition', 'map.xml'))
})

test('a file found nowhere gives no path and lists every folder up to the filesystem root, then the working directory', async (t) => {
  const {root, configFile} = await tree(t)
  const value = `no-such-${process.pid}.xml`
  const {path: found, candidates} = resolveNearConfig(value, configFile)
  t.is(found, undefined)
  const folders: string[] = []
  for (let folder = path.dirname(configFile); ; folder = path.dirname(folder)) {
    folders.push(path.join(folder, value))
    if (path.dirname(folder) === folder) break
  }
  t.true(folders.includes(path.join(root, value)))
  const fromCwd = path.resolve(value)
  t.deepEqual(candidates, folders.includes(fromCwd) ? folders : [...folders, fromCwd])
})
