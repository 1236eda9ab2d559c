import {readdirSync, readFileSync} from 'node:fs'
import {copyFile, mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import test from 'ava'
import type {ExecutionContext} from 'ava'
import {MigrationError} from '../../src/errors.js'
import {flagOption, intOption, readConfig, resolveOptionFile, splitStatements} from '../../src/config/config-reader.js'
import type {DatabaseResourceConfig, MigrationConfig, ResourceConfig} from '../../src/config/migration-config.js'
import {referencePath} from '../helpers/db.js'

const EDITIONS = referencePath('magento-dmt', 'etc', 'opensource-to-opensource')
const VERSIONS = readdirSync(EDITIONS, {withFileTypes: true}).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()
const realConfig = (version: string) => path.join(EDITIONS, version, 'config.xml.dist')

// ---- an independent reading of the real configs, by regular expressions over the text ----

const withoutComments = (text: string) => text.replace(/<!--[\s\S]*?-->/g, '')

function attributesOf(tagText: string): Record<string, string> {
  return Object.fromEntries([...tagText.matchAll(/([\w:]+)="([^"]*)"/g)].map((match) => [match[1], match[2]]))
}

function expectedSteps(text: string): Record<string, {title: string; stages: [string, string][]}[]> {
  const modes: Record<string, {title: string; stages: [string, string][]}[]> = {}
  for (const [, mode, body] of withoutComments(text).matchAll(/<steps mode="(\w+)">([\s\S]*?)<\/steps>/g)) {
    modes[mode] = [...body.matchAll(/<step title="([^"]*)">([\s\S]*?)<\/step>/g)].map(([, title, stages]) => ({
      title,
      stages: [...stages.matchAll(/<(integrity|data|volume|delta)>([^<]*)<\/\1>/g)].map((match) => [match[1], match[2]] as [string, string]),
    }))
  }
  return modes
}

function expectedDatabase(text: string, side: 'source' | 'destination'): Record<string, string> {
  const match = new RegExp(`<${side}>\\s*<database ([^>]*?)/?>`).exec(withoutComments(text))
  if (!match) throw new Error(`test bug: no <${side}><database> in the text`)
  return attributesOf(match[1])
}

function expectedOptions(text: string): Record<string, string> {
  const body = /<options>([\s\S]*?)<\/options>/.exec(withoutComments(text))![1]
  const options: Record<string, string> = {}
  for (const match of body.matchAll(/<(\w+)>([^<]*)<\/\1>|<(\w+)\s*\/>/g)) {
    if (match[3]) options[match[3]] = ''
    else options[match[1]] = match[2].trim()
  }
  return options
}

/** A side's database settings: every config in this file names <database> on both sides. */
function databaseOf(resource: ResourceConfig): DatabaseResourceConfig {
  if (resource.kind !== 'database') throw new Error(`test bug: expected a <database> side, got <${resource.kind}>`)
  return resource
}

// ---- temp files ----

async function tempDir(t: ExecutionContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'm2m-config-'))
  t.teardown(() => rm(dir, {recursive: true, force: true}))
  return dir
}

async function writeTemp(t: ExecutionContext, lines: string[]): Promise<string> {
  const file = path.join(await tempDir(t), 'config.xml')
  await writeFile(file, lines.join('\n'))
  return file
}

const VALID = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<config>',
  '    <steps mode="data">',
  '        <step title="Map Step">',
  '            <integrity>Migration\\Step\\Map\\Integrity</integrity>',
  '            <data>Migration\\Step\\Map\\Data</data>',
  '        </step>',
  '    </steps>',
  '    <source>',
  '        <database host="localhost" name="magento1" user="root" />',
  '    </source>',
  '    <destination>',
  '        <database host="db2" name="magento2" user="m2" password="s3cret" port="3307" />',
  '    </destination>',
  '    <options>',
  '        <map_file>map.xml</map_file>',
  '        <bulk_size>100</bulk_size>',
  '        <init_statements_source>SET NAMES utf8; SET sql_mode=\'\';;  </init_statements_source>',
  '        <source_prefix>m1_</source_prefix>',
  '        <dest_prefix />',
  '    </options>',
  '</config>',
]

/** VALID with the line holding `find` replaced by `replacement` lines (none = removed). */
function edited(find: string, ...replacement: string[]): string[] {
  const index = VALID.findIndex((line) => line.includes(find))
  if (index === -1) throw new Error(`test bug: ${find} is not in VALID`)
  return [...VALID.slice(0, index), ...replacement, ...VALID.slice(index + 1)]
}

/** Reads a broken config; expects CONFIG_INVALID at the start tag `startTag` (searched in the text). */
async function rejectsAt(t: ExecutionContext, lines: string[], startTag: string, mentions: RegExp): Promise<void> {
  const file = await writeTemp(t, lines)
  const index = lines.findIndex((line) => line.includes(startTag))
  const at = `${file}:${index + 1}:${lines[index].indexOf(startTag) + 1}`
  const error = await t.throwsAsync(readConfig(file), {instanceOf: MigrationError})
  t.is(error.code, 'CONFIG_INVALID')
  t.true(error.message.startsWith(`${at}: `), `${error.message} should start with ${at}`)
  t.regex(error.message, mentions)
  t.is(error.context.line, index + 1)
}

// ---- the real DMT configs ----

test('the reference tree holds the 33 DMT config versions this suite reads', (t) => {
  t.is(VERSIONS.length, 33)
  t.true(VERSIONS.includes('1.6.1.0') && VERSIONS.includes('1.9.4.5'))
})

test('every real DMT config.xml.dist: steps per mode, their titles and stage classes in file order', async (t) => {
  for (const version of VERSIONS) {
    const config = await readConfig(realConfig(version))
    const expected = expectedSteps(readFileSync(realConfig(version), 'utf8'))
    t.deepEqual([...config.modes.keys()], Object.keys(expected), version)
    for (const [mode, steps] of Object.entries(expected)) {
      const actual = config.modes.get(mode)!.map((step) => ({title: step.title, stages: step.stages.map((stage) => [stage.kind, stage.className])}))
      t.deepEqual(actual, steps, `${version} ${mode}`)
    }
  }
})

test('1.9.4.5 data mode lists the steps STEPS.md names, in that order', async (t) => {
  const config = await readConfig(realConfig('1.9.4.5'))
  const titles = config.modes.get('data')!.map((step) => step.title)
  t.deepEqual(titles, [
    'Data Integrity Step', 'EAV Step', 'Customer Attributes Step', 'Map Step', 'Url Rewrite Step', 'Log Step', 'Ratings Step',
    'ConfigurablePrices step', 'OrderGrids Step', 'Tier Price Step', 'SalesIncrement Step', 'Inventory Step', 'PostProcessing Step',
  ])
  const map = config.modes.get('data')!.find((step) => step.title === 'Map Step')!
  t.deepEqual(map.stages.map((stage) => `${stage.kind}=${stage.className}`), [
    'integrity=Migration\\Step\\Map\\Integrity', 'data=Migration\\Step\\Map\\Data', 'volume=Migration\\Step\\Map\\Volume',
  ])
  t.deepEqual(config.modes.get('data')!.at(-1)!.stages.map((stage) => stage.kind), ['data'])
})

test('every real DMT config.xml.dist: source and destination database attributes, port 3306 and password "" by default', async (t) => {
  for (const version of VERSIONS) {
    const text = readFileSync(realConfig(version), 'utf8')
    const config = await readConfig(realConfig(version))
    for (const side of ['source', 'destination'] as const) {
      const attributes = expectedDatabase(text, side)
      t.false('port' in attributes, 'the dist files give no port, so the default applies')
      t.false('password' in attributes, 'the dist files give no password, so the default applies')
      t.deepEqual(
        {...databaseOf(config[side]).database},
        {host: attributes.host, name: attributes.name, user: attributes.user, port: 3306, password: '', sslCa: undefined, sslCert: undefined, sslKey: undefined},
        `${version} ${side}`,
      )
    }
  }
})

test('every real DMT config.xml.dist: every option is read with its text, empty elements as ""', async (t) => {
  for (const version of VERSIONS) {
    const config = await readConfig(realConfig(version))
    const expected = expectedOptions(readFileSync(realConfig(version), 'utf8'))
    t.deepEqual({...config.options}, expected, version)
    t.is(config.options.source_prefix, '', `${version}: <source_prefix /> reads as ""`)
    t.is(config.options.map_file, `etc/opensource-to-opensource/${version}/map.xml.dist`, version)
  }
})

test('every real DMT config.xml.dist: init statements "SET NAMES utf8;" become one statement per side, prefixes empty', async (t) => {
  for (const version of VERSIONS) {
    const config = await readConfig(realConfig(version))
    t.deepEqual(databaseOf(config.source).initStatements, ['SET NAMES utf8'], version)
    t.deepEqual(databaseOf(config.destination).initStatements, ['SET NAMES utf8'], version)
    t.is(config.source.prefix, '')
    t.is(config.destination.prefix, '')
  }
})

test('every file a real DMT config names resolves inside the reference etc/ tree', async (t) => {
  for (const version of VERSIONS) {
    const config = await readConfig(realConfig(version))
    const fileOptions = Object.keys(config.options).filter((option) => config.options[option].endsWith('.dist'))
    t.true(fileOptions.length >= 10, version)
    for (const option of fileOptions) {
      t.is(resolveOptionFile(config, option), referencePath('magento-dmt', config.options[option]), `${version} ${option}`)
    }
  }
})

test('resolveOptionFile finds 1.6.1.0/map.xml.dist of the real tree from its config folder', async (t) => {
  const config = await readConfig(realConfig('1.6.1.0'))
  t.is(config.options.map_file, 'etc/opensource-to-opensource/1.6.1.0/map.xml.dist')
  t.is(resolveOptionFile(config, 'map_file'), path.join(EDITIONS, '1.6.1.0', 'map.xml.dist'))
})

// ---- a copy of a small tree, to prove the walk up the parents ----

async function smallTree(t: ExecutionContext): Promise<{root: string; configFile: string}> {
  const root = path.join(await tempDir(t), 'module')
  const version = path.join(root, 'etc', 'opensource-to-opensource', '1.6.1.0')
  await mkdir(version, {recursive: true})
  const configFile = path.join(version, 'config.xml.dist')
  await copyFile(realConfig('1.6.1.0'), configFile)
  await writeFile(path.join(version, 'map.xml.dist'), '<map><source/><destination/></map>\n')
  return {root, configFile}
}

test('resolveOptionFile walks up from the config folder to the module root of a copied tree', async (t) => {
  const {root, configFile} = await smallTree(t)
  const config = await readConfig(configFile)
  t.is(resolveOptionFile(config, 'map_file'), path.join(root, 'etc', 'opensource-to-opensource', '1.6.1.0', 'map.xml.dist'))
})

test('a file option naming a missing file fails with CONFIG_FILE listing every candidate tried', async (t) => {
  const {root, configFile} = await smallTree(t)
  const config = await readConfig(configFile)
  const value = config.options.customer_map_file
  const error = t.throws(() => resolveOptionFile(config, 'customer_map_file'), {instanceOf: MigrationError})
  t.is(error.code, 'CONFIG_FILE')
  t.true(error.message.startsWith(configFile), error.message)
  t.true(error.message.includes('<customer_map_file>'))
  const folders = [path.dirname(configFile), path.join(root, 'etc', 'opensource-to-opensource'), path.join(root, 'etc'), root, path.dirname(root), '/']
  for (const folder of folders) t.true(error.message.includes(path.join(folder, value)), `should list ${path.join(folder, value)}`)
})

test('a file option that is not set fails with CONFIG_INVALID naming the option', async (t) => {
  const config = await readConfig(await writeTemp(t, VALID))
  const error = t.throws(() => resolveOptionFile(config, 'eav_map_file'), {instanceOf: MigrationError})
  t.is(error.code, 'CONFIG_INVALID')
  t.true(error.message.includes('<eav_map_file>'))
})

// ---- values read from a config of our own ----

test('port, password and ssl attributes given in <database> are kept', async (t) => {
  const lines = edited('name="magento2"', '        <database host="db2" name="magento2" user="m2" password="s3cret" port="3307" ssl_ca="/ca.pem" ssl_cert="/c.pem" ssl_key="/k.pem" />')
  const config = await readConfig(await writeTemp(t, lines))
  t.deepEqual({...databaseOf(config.destination).database}, {host: 'db2', name: 'magento2', user: 'm2', password: 's3cret', port: 3307, sslCa: '/ca.pem', sslCert: '/c.pem', sslKey: '/k.pem'})
})

test('an empty port attribute means the default port 3306', async (t) => {
  const config = await readConfig(await writeTemp(t, edited('name="magento2"', '        <database host="db2" name="magento2" user="m2" port="" />')))
  t.is(databaseOf(config.destination).database.port, 3306)
})

test('init statements are split on ";", blanks dropped; prefixes come from source_prefix/dest_prefix', async (t) => {
  const config = await readConfig(await writeTemp(t, VALID))
  t.deepEqual(databaseOf(config.source).initStatements, ['SET NAMES utf8', 'SET sql_mode=\'\''])
  t.deepEqual(databaseOf(config.destination).initStatements, [])
  t.is(config.source.prefix, 'm1_')
  t.is(config.destination.prefix, '')
})

test('splitStatements drops empty pieces and trims each statement', (t) => {
  t.deepEqual(splitStatements(' SET a=1 ;\n SET b=2;; ; '), ['SET a=1', 'SET b=2'])
  t.deepEqual(splitStatements(''), [])
})

test('two <steps> elements of one mode add up, in file order', async (t) => {
  const lines = [...VALID.slice(0, 8), '    <steps mode="data">', '        <step title="Second">', '            <volume>Migration\\Step\\Map\\Volume</volume>', '        </step>', '    </steps>', ...VALID.slice(8)]
  const config = await readConfig(await writeTemp(t, lines))
  t.deepEqual(config.modes.get('data')!.map((step) => step.title), ['Map Step', 'Second'])
})

test('stage and step locations name the config file, line and column', async (t) => {
  const file = await writeTemp(t, VALID)
  const step = (await readConfig(file)).modes.get('data')![0]
  t.is(step.at, `${file}:4:9`)
  t.is(step.stages[1].at, `${file}:6:13`)
})

// ---- schema errors, each at the offending element ----

test('a root element other than <config> is rejected at the root', async (t) => {
  const lines = VALID.map((line) => line.replace('<config>', '<configuration>').replace('</config>', '</configuration>'))
  await rejectsAt(t, lines, '<configuration>', /<config>.*<configuration>/)
})

test('a <step> without a title is rejected at that step', async (t) => {
  await rejectsAt(t, edited('<step title=', '        <step>'), '<step>', /<step>.*title/)
})

test('an unknown element inside <step> is rejected at that element', async (t) => {
  const lines = edited('<data>Migration', '            <import>Migration\\Step\\Map\\Data</import>')
  await rejectsAt(t, lines, '<import>', /<import>/)
})

test('a stage whose text is not a class name is rejected at that stage', async (t) => {
  await rejectsAt(t, edited('<data>Migration', '            <data>Migration/Step/Map/Data</data>'), '<data>', /<data>.*Migration\/Step\/Map\/Data/)
})

test('an empty stage is rejected at that stage', async (t) => {
  await rejectsAt(t, edited('<data>Migration', '            <data />'), '<data', /<data>/)
})

test('a config without <source> is rejected at <config>', async (t) => {
  const lines = VALID.filter((line) => !/<\/?source>|name="magento1"/.test(line))
  await rejectsAt(t, lines, '<config>', /<source>/)
})

test('a <database> without a name is rejected at that <database>', async (t) => {
  await rejectsAt(t, edited('name="magento1"', '        <database host="localhost" user="root" />'), '<database', /<database>.*name/)
})

test('a non-numeric port is rejected at its <database>', async (t) => {
  const lines = edited('name="magento2"', '        <database host="db2" name="magento2" user="m2" port="mysql" />')
  await rejectsAt(t, lines, '<database host="db2"', /port="mysql"/)
})

test('a port written in hex or exponent notation is rejected, not read as a number', async (t) => {
  for (const port of ['0x10', '1e3', '3306.0']) {
    const lines = edited('name="magento2"', `        <database host="db2" name="magento2" user="m2" port="${port}" />`)
    await rejectsAt(t, lines, '<database host="db2"', new RegExp(`port="${port}"`))
  }
})

test('a port outside 1..65535 is rejected', async (t) => {
  await rejectsAt(t, edited('name="magento2"', '        <database host="db2" name="magento2" user="m2" port="70000" />'), '<database host="db2"', /70000/)
})

test('a bulk_size that is not a whole number is rejected at <bulk_size>', async (t) => {
  await rejectsAt(t, edited('<bulk_size>', '        <bulk_size>1.5</bulk_size>'), '<bulk_size>', /<bulk_size>.*1\.5/)
})

test('a <source> holding something other than <database> is rejected at that element', async (t) => {
  await rejectsAt(t, edited('name="magento1"', '        <file path="dump.sql" />'), '<file', /<file>/)
})

test('an option holding elements instead of text is rejected at that option', async (t) => {
  await rejectsAt(t, edited('<map_file>', '        <map_file><path>map.xml</path></map_file>'), '<map_file>', /<map_file>/)
})

// ---- intOption / flagOption ----

function withOptions(options: Record<string, string>): MigrationConfig {
  return {file: '/x/config.xml', modes: new Map(), options} as unknown as MigrationConfig
}

test('intOption reads whole numbers, negative ones included', (t) => {
  t.is(intOption(withOptions({bulk_size: '250'}), 'bulk_size', 0), 250)
  t.is(intOption(withOptions({bulk_size: ' -1 '}), 'bulk_size', 0), -1)
})

test('intOption gives the fallback when the option is missing or empty', (t) => {
  t.is(intOption(withOptions({}), 'bulk_size', 7), 7)
  t.is(intOption(withOptions({bulk_size: ''}), 'bulk_size', 7), 7)
})

test('intOption rejects anything but a whole number, naming the option', (t) => {
  for (const value of ['1.5', '12abc', '0x10', '1e3', 'many']) {
    const error = t.throws(() => intOption(withOptions({bulk_size: value}), 'bulk_size', 0), {instanceOf: MigrationError})
    t.is(error.code, 'CONFIG_INVALID')
    t.true(error.message.startsWith('/x/config.xml: option <bulk_size>'), error.message)
  }
})

test('flagOption is true for 1 and false for 0, empty or missing', (t) => {
  t.true(flagOption(withOptions({direct_document_copy: '1'}), 'direct_document_copy'))
  t.false(flagOption(withOptions({direct_document_copy: '0'}), 'direct_document_copy'))
  t.false(flagOption(withOptions({direct_document_copy: ''}), 'direct_document_copy'))
  t.false(flagOption(withOptions({}), 'direct_document_copy'))
})

test('flagOption reads the real configs: direct_document_copy off, upgrade_customer_password_hash on', async (t) => {
  const config = await readConfig(realConfig('1.9.4.5'))
  t.false(flagOption(config, 'direct_document_copy'))
  t.true(flagOption(config, 'upgrade_customer_password_hash'))
})
