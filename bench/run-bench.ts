/**
 * `npm run bench -- [--rows N] [--seed S] [--only a,b,c,d] [--keep] [--reuse] [--profile]`
 *
 * Generates a Magento-1-shaped source on the bench server, copies it with each method into an
 * empty database of the method's own, checks each destination, and prints (and saves to
 * bench/results/<date>.json) rows/s, MB/s, wall time, peak RSS and CPU per method. Never part of
 * `npm test`: timings depend on the machine.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {cpus, loadavg, tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {parseArgs} from 'node:util'
import {HandlerRegistry} from '../transforms/registry.js'
import {redactUrl} from '../test/helpers/db.js'
import {type BenchServer, claimServer, openServer, quoteId, serverFacts} from './bench-server.js'
import {BENCH_TABLES, generateSource, SALES_ITEM, sourceTag} from './generate-data.js'
import {type BenchContext, type Method, PROJECT_ROOT, selectMethods} from './methods.js'
import {formatProfile, summarizeProfile} from './profile-summary.js'
import {type BenchReport, formatReport, methodResult, type MethodResult, writeReport} from './report.js'
import type {Measurement} from './measure.js'
import {verifyDestination} from './verify.js'

const USAGE = `usage: npm run bench -- [--rows N] [--seed S] [--only a,b,c,d] [--keep] [--reuse] [--profile] [--bin FILE]
  --rows N     rows of the sales item table (default 200000); the EAV table gets N, the CMS table N/10
  --seed S     seed of the generated data (default 42)
  --only LIST  methods to run: a (INSERT … SELECT), b (dump | client), c (m2-migrate, transforming map; c-direct:
               the same with direct_document_copy on),
               d (both straight copies: d-direct, d-stream)
  --keep       keep the bench databases (m2m_bench_*) afterwards
  --reuse      use a kept source of the same --rows and --seed instead of generating it again
  --profile    run (c) and (d-stream) under node --cpu-prof and summarise where their CPU time went
  --bin FILE   the m2-migrate entry to run (default bin/run.js here), to compare another build`

const SOURCE_DB = 'm2m_bench_src'
const destinationDb = (method: Method) => `m2m_bench_${method.id.replaceAll('-', '_')}`
const log = (message: string) => process.stderr.write(`${message}\n`)

function options() {
  const {values} = parseArgs({
    options: {
      rows: {type: 'string', default: '200000'},
      seed: {type: 'string', default: '42'},
      only: {type: 'string'},
      keep: {type: 'boolean', default: false},
      reuse: {type: 'boolean', default: false},
      profile: {type: 'boolean', default: false},
      bin: {type: 'string', default: join(PROJECT_ROOT, 'bin', 'run.js')},
      help: {type: 'boolean', default: false},
    },
  })
  const rows = Number(values.rows)
  const seed = Number(values.seed)
  if (!Number.isInteger(rows) || rows < 10) throw new Error(`--rows ${values.rows}: give a whole number of at least 10`)
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed ${values.seed}: give a whole number, 0 or more`)
  return {rows, seed, methods: selectMethods(values.only), keep: values.keep, reuse: values.reuse, profile: values.profile, bin: resolve(values.bin), help: values.help}
}

async function recreate(server: BenchServer, database: string): Promise<void> {
  await server.conn.query(`DROP DATABASE IF EXISTS ${quoteId(database)}; CREATE DATABASE ${quoteId(database)} CHARACTER SET utf8mb4`)
}

/** Generates the source, or keeps the one there when --reuse and it was made with the same rows and seed. */
async function prepareSource(server: BenchServer, rows: number, seed: number, reuse: boolean): Promise<number | undefined> {
  if (reuse) {
    const [found] = await server.conn.query('SELECT TABLE_COMMENT AS tag FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [SOURCE_DB, SALES_ITEM.name]) as [Array<{tag: string}>, unknown]
    if (found[0]?.tag === sourceTag(rows, seed)) {
      log(`source: reusing ${SOURCE_DB} (${sourceTag(rows, seed)})`)
      return undefined
    }
    log(`source: ${SOURCE_DB} does not hold rows=${rows} seed=${seed}; generating it`)
  }
  const started = Date.now()
  await recreate(server, SOURCE_DB)
  await generateSource(server.conn, SOURCE_DB, rows, seed, (name, count, seconds) => log(`source: ${name}: ${count} rows in ${seconds.toFixed(1)} s`))
  return (Date.now() - started) / 1000
}

async function sourceTables(server: BenchServer, rows: number): Promise<BenchReport['source']['tables']> {
  const [stats] = await server.conn.query('SELECT TABLE_NAME AS name, DATA_LENGTH AS bytes FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?', [SOURCE_DB]) as [Array<{name: string; bytes: string | number}>, unknown]
  return BENCH_TABLES.map((table) => ({name: table.name, rows: table.rowsFor(rows), dataBytes: Number(stats.find((stat) => stat.name === table.name)?.bytes ?? 0)}))
}

/**
 * Waits (at most 60 s) while InnoDB is still writing out the dirty pages the previous method (or
 * the drop of an earlier run's database) left, so that work is not timed as this method's. It
 * stops when they are few or no longer falling (with this server's settings InnoDB leaves some
 * dirty pages in an idle pool for good). Returns the seconds waited.
 */
async function settle(server: BenchServer): Promise<number> {
  const started = Date.now()
  const dirty = async () => {
    const [rows] = await server.conn.query("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'") as unknown as [Array<{Value: string}>]
    return Number(rows[0]?.Value ?? 0)
  }
  let last = await dirty()
  let still = 0
  while (last > 64 && still < 3 && Date.now() - started < 60_000) {
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const now = await dirty()
    still = now < last ? 0 : still + 1
    last = now
  }
  return (Date.now() - started) / 1000
}

async function runMethod(context: BenchContext, method: Method, source: BenchReport['source'], keep: boolean): Promise<MethodResult> {
  const base = {id: method.id, label: method.label, rows: source.rows, timeline: []}
  const unavailable = method.unavailable?.()
  if (unavailable) {
    log(`${method.label}: skipped: ${unavailable}`)
    return methodResult({...base, wallSeconds: 1, exitCode: 0, skipped: unavailable}, source.dataBytes)
  }
  const database = destinationDb(method)
  let measured: Measurement
  try {
    await recreate(context.server, database)
    await method.prepare(context, database)
    const settled = await settle(context.server)
    log(`${method.label}: running${settled > 1 ? ` (after ${settled.toFixed(0)} s for the server to write out the previous work)` : ''}`)
    measured = await method.run(context, database)
  } catch (error) {
    measured = {wallSeconds: 1, timeline: [], exitCode: 1, output: `the bench could not run it: ${(error as Error).message}`}
  }
  const ok = measured.exitCode === 0
  const check = ok ? await verifyDestination(context.server.conn, context.sourceDb, database, await method.expectations(context)) : undefined
  log(`${method.label}: ${measured.wallSeconds.toFixed(1)} s${ok ? `, check ${check!.ok ? 'ok' : `MISMATCH: ${check!.details.join('; ')}`}` : `, FAILED with exit ${measured.exitCode}:\n${measured.output.trim()}`}`)
  if (!keep) await context.server.conn.query(`DROP DATABASE IF EXISTS ${quoteId(database)}`)
  const percent = (seconds: number | undefined) => (seconds === undefined ? undefined : (seconds / measured.wallSeconds) * 100)
  const profileFile = context.profileDir && method.profiled ? join(context.profileDir, `${method.id}.cpuprofile`) : undefined
  let profile
  if (profileFile && ok) {
    profile = summarizeProfile(profileFile)
    log(formatProfile(profile))
  }
  return methodResult({
    ...base,
    wallSeconds: measured.wallSeconds,
    peakRssMb: measured.peakRssMb,
    rssSource: measured.rssSource,
    clientCpuPercent: percent(measured.clientCpuSeconds),
    serverCpuPercent: percent(measured.serverCpuSeconds),
    iowaitPercent: measured.iowaitPercent,
    othersCpuPercent: percent(measured.othersCpuSeconds),
    exitCode: measured.exitCode,
    check,
    timeline: measured.timeline,
    profile,
    output: ok ? undefined : measured.output.slice(-4000),
  }, source.dataBytes)
}

async function main(): Promise<number> {
  const opts = options()
  if (opts.help) {
    console.log(USAGE)
    return 0
  }
  const server = await openServer()
  try {
    await claimServer(server.conn, server.url)
  } catch (error) {
    await server.conn.end()
    throw error
  }
  const date = new Date().toISOString().slice(0, 19)
  const workDir = mkdtempSync(join(tmpdir(), 'm2m-bench-'))
  const notes: string[] = []
  try {
    log(`bench server ${redactUrl(server.url)}${server.pid ? ` (mariadbd pid ${server.pid})` : ' (its pid is unknown: no server CPU figures)'}`)
    const serializeToJson = new HandlerRegistry().find('\\Migration\\Handler\\SerializeToJson') !== undefined
    if (!serializeToJson) notes.push('(c) ran WITHOUT SerializeToJson on product_options: this build has no such handler, so product_options was copied as is.')
    if (opts.methods.some((method) => method.id === 'a')) notes.push('(a) copies the three tables one after the other, on one connection; m2-migrate copies two documents at once.')
    const generatedSeconds = await prepareSource(server, opts.rows, opts.seed, opts.reuse)
    const tables = await sourceTables(server, opts.rows)
    const source = {tables, rows: tables.reduce((sum, table) => sum + table.rows, 0), dataBytes: tables.reduce((sum, table) => sum + table.dataBytes, 0), generatedSeconds}
    const profileDir = opts.profile ? join(PROJECT_ROOT, 'bench', 'results', `profiles-${date.replaceAll(':', '-')}`) : undefined
    const context: BenchContext = {server, sourceDb: SOURCE_DB, workDir, serializeToJson, bin: opts.bin, profileDir}
    if (opts.bin !== join(PROJECT_ROOT, 'bin', 'run.js')) notes.push(`m2-migrate ran from ${opts.bin}`)
    const loadBefore = loadavg()
    const methods: MethodResult[] = []
    for (const method of opts.methods) methods.push(await runMethod(context, method, source, opts.keep))
    const report: BenchReport = {
      date,
      rows: opts.rows,
      seed: opts.seed,
      machine: {cpus: cpus().length, node: process.version, platform: `${process.platform} ${process.arch}`, loadAverage: loadBefore.map((load) => Math.round(load * 100) / 100)},
      server: await serverFacts(server.conn),
      source,
      methods,
      notes,
    }
    console.log(formatReport(report))
    console.log(`\nsaved ${writeReport(report, join(PROJECT_ROOT, 'bench', 'results'))}`)
    if (!opts.keep) await server.conn.query(`DROP DATABASE IF EXISTS ${quoteId(SOURCE_DB)}`)
    return methods.every((method) => method.skipped || (method.exitCode === 0 && method.check?.ok)) ? 0 : 1
  } finally {
    rmSync(workDir, {recursive: true, force: true})
    await server.conn.end()
  }
}

main().then((code) => {
  process.exitCode = code
}, (error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 2
})
