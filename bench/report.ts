/** The bench's results: one table on the terminal, and the same (with more detail) as JSON. */
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import type {CheckResult} from './verify.js'
import type {CpuSecond} from './measure.js'
import type {ProfileSummary} from './profile-summary.js'

export interface MethodResult {
  readonly id: string
  readonly label: string
  readonly rows: number
  readonly wallSeconds: number
  readonly rowsPerSecond: number
  readonly mbPerSecond: number
  readonly peakRssMb?: number
  readonly rssSource?: string
  /** CPU of the client (our node child, or the dump pipeline), % of one core over the wall time. */
  readonly clientCpuPercent?: number
  readonly serverCpuPercent?: number
  readonly iowaitPercent?: number
  /** CPU of every other process of the machine, % of one core: high values mean the figures are skewed. */
  readonly othersCpuPercent?: number
  readonly exitCode: number
  readonly check?: CheckResult
  readonly timeline: readonly CpuSecond[]
  readonly profile?: ProfileSummary
  /** Last lines of the child's output when it failed. */
  readonly output?: string
  readonly skipped?: string
}

export interface BenchReport {
  readonly date: string
  readonly rows: number
  readonly seed: number
  readonly machine: {readonly cpus: number; readonly node: string; readonly platform: string; readonly loadAverage: readonly number[]}
  readonly server: Record<string, string>
  readonly source: {readonly tables: ReadonlyArray<{name: string; rows: number; dataBytes: number}>; readonly rows: number; readonly dataBytes: number; readonly generatedSeconds?: number}
  readonly methods: readonly MethodResult[]
  readonly notes: readonly string[]
}

const MB = 1_000_000

export function methodResult(base: Omit<MethodResult, 'rowsPerSecond' | 'mbPerSecond'>, dataBytes: number): MethodResult {
  return {...base, rowsPerSecond: base.rows / base.wallSeconds, mbPerSecond: dataBytes / MB / base.wallSeconds}
}

function ratio(result: MethodResult, baseline: MethodResult | undefined): string {
  if (!baseline || baseline.skipped || result.skipped || baseline.exitCode !== 0) return 'n/a'
  return `${(result.rowsPerSecond / baseline.rowsPerSecond).toFixed(2)}×`
}

function fixed(value: number | undefined, digits: number): string {
  return value === undefined ? 'n/a' : value.toFixed(digits)
}

/** The table, its footnotes and the targets of issue 5, as lines. */
export function formatReport(report: BenchReport): string {
  const a = report.methods.find((method) => method.id === 'a')
  const b = report.methods.find((method) => method.id === 'b')
  const header = ['method', 'rows/s', 'MB/s', 'wall s', 'peak RSS MB', 'client CPU %', 'server CPU %', 'iowait %', 'others CPU %', 'vs (a)', 'vs (b)', 'check']
  const rows = report.methods.map((method) => method.skipped
    ? [method.label, 'skipped', '', '', '', '', '', '', '', '', '', method.skipped]
    : [
      method.label,
      Math.round(method.rowsPerSecond).toLocaleString('en-US'),
      method.mbPerSecond.toFixed(1),
      method.wallSeconds.toFixed(1),
      fixed(method.peakRssMb, 0),
      fixed(method.clientCpuPercent, 0),
      fixed(method.serverCpuPercent, 0),
      fixed(method.iowaitPercent, 0),
      fixed(method.othersCpuPercent, 0),
      ratio(method, a),
      ratio(method, b),
      method.exitCode !== 0 ? `FAILED (exit ${method.exitCode})` : method.check?.ok ? 'ok' : 'MISMATCH',
    ])
  const widths = header.map((title, at) => Math.max(title.length, ...rows.map((row) => row[at].length)))
  const line = (cells: readonly string[]) => cells.map((cell, at) => (at === 0 || at === cells.length - 1 ? cell.padEnd(widths[at]) : cell.padStart(widths[at]))).join('  ').trimEnd()
  const out = [
    `m2-migrate bench, ${report.date}: --rows ${report.rows} --seed ${report.seed}; ${report.source.rows.toLocaleString('en-US')} rows in ${report.source.tables.length} tables, ${(report.source.dataBytes / MB).toFixed(0)} MB of data`,
    `machine: ${report.machine.cpus} cores, node ${report.machine.node}; server ${report.server.version}, buffer pool ${Math.round(Number(report.server.innodb_buffer_pool_size) / 2 ** 20)} MiB, flush_log_at_trx_commit ${report.server.innodb_flush_log_at_trx_commit}, binlog ${report.server.log_bin === '1' ? 'on' : 'off'}`,
    '',
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    '',
    'rows/s: rows of all tables the method copied / wall seconds. MB/s: DATA_LENGTH of the source tables (information_schema,',
    '  after ANALYZE TABLE: clustered-index pages, secondary indexes excluded; MB = 10^6 bytes) / wall seconds.',
    'wall s: the whole method: for m2-migrate the child process from spawn to exit (start-up, integrity, data, volume check).',
    'peak RSS: the child\'s maximum resident set (time -v, else /proc VmHWM); for (b) the largest process of the pipeline;',
    '  n/a for (a), which runs inside the server. CPU %: CPU seconds / wall seconds (100 = one core); client = our node child',
    '  or the dump pipeline; server = every session of mariadbd during the run, other clients included.',
    'iowait %: the machine\'s CPU time spent idle waiting for the disk, % of all cores (/proc/stat). others CPU %: every other',
    '  process of the machine (% of one core); when it is high, other work competed for the cores and the figures are skewed.',
    'vs (a), vs (b): rows/s over that method\'s rows/s. check: row counts of every table, and a checksum of the columns',
    '  copied unchanged (all of them for (a), (b), (d)); for (c) also free_shipping = 0 and product_options valid JSON.',
    ...report.notes.map((note) => `note: ${note}`),
  ]
  out.push('', ...targets(report))
  return out.join('\n')
}

/** The targets of issue 5, met or not. */
function targets(report: BenchReport): string[] {
  const find = (id: string) => report.methods.find((method) => method.id === id && !method.skipped && method.exitCode === 0)
  const [a, b, c, cDirect, d] = [find('a'), find('b'), find('c'), find('c-direct'), find('d-direct')]
  const lines = ['targets (issue 5):']
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met')
  if (b && c) lines.push(`  (c) >= 1.5× rows/s of (b): ${(c.rowsPerSecond / b.rowsPerSecond).toFixed(2)}× — ${verdict(c.rowsPerSecond >= 1.5 * b.rowsPerSecond)}`)
  if (b && cDirect) lines.push(`  (c) with direct_document_copy on, for comparison: ${(cDirect.rowsPerSecond / b.rowsPerSecond).toFixed(2)}× of (b)`)
  if (a && d) lines.push(`  (d) direct copy >= 0.9× of (a): ${(d.rowsPerSecond / a.rowsPerSecond).toFixed(2)}× — ${verdict(d.rowsPerSecond >= 0.9 * a.rowsPerSecond)}`)
  const peaks = report.methods.filter((method) => ['c', 'c-direct', 'd-direct', 'd-stream'].includes(method.id) && method.peakRssMb !== undefined)
  if (peaks.length > 0) {
    const worst = Math.max(...peaks.map((method) => method.peakRssMb!))
    lines.push(`  peak RSS of m2-migrate <= 256 MB (at 1M rows): ${worst.toFixed(0)} MB — ${verdict(worst <= 256)}${report.rows === 1_000_000 ? '' : ` (this run has --rows ${report.rows})`}`)
  }
  return lines.length > 1 ? lines : []
}

/** Writes the report as bench/results/<date>.json; returns the file. */
export function writeReport(report: BenchReport, folder: string): string {
  mkdirSync(folder, {recursive: true})
  const file = join(folder, `${report.date.replaceAll(':', '-')}.json`)
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)
  return file
}
