import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import test from 'ava'
import type {Handler, HandlerDefinition, HandlerSetup, RecordView, Value} from '../../transforms/handler.js'
import {canonicalHandlerName, checkHandlerParams, HandlerRegistry} from '../../transforms/registry.js'
import {setValue} from '../../transforms/set-value.js'
import {MigrationError} from '../../src/errors.js'

const addPrefix: HandlerDefinition = {
  name: 'AddPrefix',
  params: {prefix: {required: true, description: 'the text put in front'}},
  create: () => ({handle: () => undefined}),
}

function setup(className: string, params: Record<string, string> = {}, mapFile = '/maps/map.xml'): HandlerSetup {
  return {className, document: 'cms_page', field: 'identifier', side: 'source', params, mapFile, at: `${mapFile}:12:9`, warn: () => undefined}
}

function record(values: Record<string, Value>): RecordView & {values: Record<string, Value>} {
  return {
    document: 'cms_page',
    values,
    has: (field) => Object.hasOwn(values, field),
    get: (field) => values[field],
    set(field, value) {
      values[field] = value
    },
  }
}

async function tempFolder(t: {teardown(fn: () => Promise<void>): void}): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'm2m-handlers-'))
  t.teardown(() => rm(folder, {recursive: true, force: true}))
  return folder
}

test('a handler is found by its class name with or without backslash and Migration\\Handler\\ prefix', (t) => {
  const registry = new HandlerRegistry()

  for (const name of ['\\Migration\\Handler\\SetValue', 'Migration\\Handler\\SetValue', '\\SetValue', 'SetValue']) {
    t.is(registry.find(name), setValue, name)
  }
})

test('a nested handler name keeps its own namespace', (t) => {
  t.is(canonicalHandlerName('\\Migration\\Handler\\SerializeToJson\\ItemOption'), 'SerializeToJson\\ItemOption')
  t.is(canonicalHandlerName('Migration\\Handler\\Rule\\ConditionSql'), 'Rule\\ConditionSql')
})

test('a class of another namespace is not taken for a built-in handler', (t) => {
  t.is(new HandlerRegistry().find('\\Vendor\\Handler\\SetValue'), undefined)
})

test('the registry has built-in handlers and module paths, not unknown classes', (t) => {
  const registry = new HandlerRegistry()

  t.true(registry.has('\\Migration\\Handler\\SetValue'))
  t.true(registry.has('./handlers/my-handler.js'))
  t.false(registry.has('\\Migration\\Handler\\NoSuchHandler'))
})

test('an unknown handler fails with HANDLER_UNKNOWN, naming map place, field and the available handlers', async (t) => {
  const registry = new HandlerRegistry([setValue, addPrefix])

  const error = await t.throwsAsync(registry.definitionFor(setup('\\Migration\\Handler\\Placeholder')), {instanceOf: MigrationError})

  t.is(error.code, 'HANDLER_UNKNOWN')
  t.regex(error.message, /^\/maps\/map\.xml:12:9: /)
  t.true(error.message.includes('\\Migration\\Handler\\Placeholder'), error.message)
  t.true(error.message.includes('cms_page.identifier'), error.message)
  t.is(error.hint, 'Available handlers: AddPrefix, SetValue.')
  t.like(error.context, {document: 'cms_page', field: 'identifier', file: '/maps/map.xml'})
})

test('an unknown param fails with HANDLER_PARAMS naming map file, field, handler and param', (t) => {
  const error = t.throws(() => checkHandlerParams(addPrefix, setup('\\Migration\\Handler\\AddPrefix', {prefix: 'x', sufix: 'y'})), {instanceOf: MigrationError})

  t.is(error.code, 'HANDLER_PARAMS')
  t.regex(error.message, /^\/maps\/map\.xml:12:9: /)
  t.true(error.message.includes('\\Migration\\Handler\\AddPrefix'), error.message)
  t.true(error.message.includes('cms_page.identifier'), error.message)
  t.true(error.message.includes('"sufix"'), error.message)
  t.true(error.message.includes('prefix'), 'names the params it takes')
  t.like(error.context, {file: '/maps/map.xml', document: 'cms_page', field: 'identifier'})
})

test('a missing required param fails with HANDLER_PARAMS naming map file, field, handler and param', (t) => {
  const error = t.throws(() => checkHandlerParams(addPrefix, setup('\\Migration\\Handler\\AddPrefix')), {instanceOf: MigrationError})

  t.is(error.code, 'HANDLER_PARAMS')
  t.regex(error.message, /^\/maps\/map\.xml:12:9: /)
  t.true(error.message.includes('\\Migration\\Handler\\AddPrefix'), error.message)
  t.true(error.message.includes('cms_page.identifier'), error.message)
  t.true(error.message.includes('"prefix"'), error.message)
  t.true(error.message.includes('the text put in front'), 'says what the param is for')
})

test('params that match the definition pass', (t) => {
  t.notThrows(() => checkHandlerParams(setValue, setup('SetValue', {value: '1'})))
})

test('an operator\'s own module is loaded from a path relative to the map file\'s folder', async (t) => {
  const folder = await tempFolder(t)
  await writeFile(join(folder, 'my-handler.js'), `export default {
  name: 'MyHandler',
  params: {prefix: {required: true, description: 'text to put in front'}},
  create({field, params}) {
    return {handle(record) { record.set(field, params.prefix + record.get(field)) }}
  },
}
`)
  const registry = new HandlerRegistry()
  const mapSetup = setup('./my-handler.js', {prefix: 'm1-'}, join(folder, 'map.xml'))

  const definition = await registry.definitionFor(mapSetup)
  checkHandlerParams(definition, mapSetup)
  const handler = await definition.create(mapSetup) as Handler
  const target = record({identifier: 'home'})
  handler.handle(target, record({}))

  t.is(definition.name, 'MyHandler')
  t.is(target.values.identifier, 'm1-home')
})

test('a module path that cannot be loaded fails with HANDLER_UNKNOWN naming the resolved file', async (t) => {
  const folder = await tempFolder(t)

  const error = await t.throwsAsync(new HandlerRegistry().definitionFor(setup('./missing.js', {}, join(folder, 'map.xml'))), {instanceOf: MigrationError})

  t.is(error.code, 'HANDLER_UNKNOWN')
  t.true(error.message.includes(join(folder, 'missing.js')), error.message)
  t.true(error.message.includes('cms_page.identifier'), error.message)
})

test('a module without a handler definition fails with HANDLER_UNKNOWN saying what to export', async (t) => {
  const folder = await tempFolder(t)
  await writeFile(join(folder, 'not-a-handler.js'), 'export const something = 1\n')

  const error = await t.throwsAsync(new HandlerRegistry().definitionFor(setup('./not-a-handler.js', {}, join(folder, 'map.xml'))), {instanceOf: MigrationError})

  t.is(error.code, 'HANDLER_UNKNOWN')
  t.true(error.message.includes('{name, params, create}'), error.message)
})
