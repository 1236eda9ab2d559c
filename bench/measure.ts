/**
 * Wall time, peak RSS and CPU of what a method runs. A child runs under `/usr/bin/time -v` when
 * that exists (its "Maximum resident set size" is the kernel's own high-water mark); /proc is
 * polled in any case, for CPU (the child's process tree and the database server) and, without
 * time(1), for the peak RSS (VmHWM, the same high-water mark, read every 100 ms).
 */
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

const POLL_MS = 100
const HAS_PROC = existsSync('/proc/self/stat')
const TIME_BINARY = '/usr/bin/time'

/** CPU seconds one process has used (user + system), or undefined when it is gone or unreadable. */
function cpuTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after "(comm)": state is the first, utime the 12th, stime the 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return Number(fields[11]) + Number(fields[12])
  } catch {
    return undefined
  }
}

/** The process's peak resident set (VmHWM) in kB. */
function peakRssKb(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) : undefined
  } catch {
    return undefined
  }
}

function children(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) => readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number))
  } catch {
    return []
  }
}

function processTree(root: number): number[] {
  const all = [root]
  for (let at = 0; at < all.length; at++) all.push(...children(all[at]))
  return all
}

let ticksPerSecond: number | undefined
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    const result = spawnSync('getconf', ['CLK_TCK'], {encoding: 'utf8'})
    ticksPerSecond = Number(result.stdout?.trim()) || 100
  }
  return ticksPerSecond
}

/** One second of a run: CPU used by the client tree and by the server, in % of one core; the machine's I/O wait in % of all its cores. */
export interface CpuSecond {
  readonly client: number
  readonly server: number
  readonly iowait: number
  /** CPU used by every other process of the machine, % of one core: other work skews the figures. */
  readonly others: number
}

/** The machine's CPU time so far (all cores): in all, busy, and idle waiting for I/O. */
function machineTicks(): {total: number; busy: number; iowait: number} {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1, 9).map(Number)
    const total = fields.reduce((sum, value) => sum + value, 0)
    return {total, busy: total - fields[3] - fields[4], iowait: fields[4]}
  } catch {
    return {total: 0, busy: 0, iowait: 0}
  }
}

export interface Measurement {
  readonly wallSeconds: number
  /** Peak RSS of the child (the largest process of its tree), MB. */
  readonly peakRssMb?: number
  readonly rssSource?: 'time -v' | '/proc VmHWM'
  /** CPU seconds of the child's process tree. */
  readonly clientCpuSeconds?: number
  /** CPU seconds of the database server during the run (every client's work, not only ours). */
  readonly serverCpuSeconds?: number
  /** The machine's I/O wait over the run, % of all cores' time (a disk-bound run shows it). */
  readonly iowaitPercent?: number
  /** CPU seconds of every other process of the machine during the run. */
  readonly othersCpuSeconds?: number
  readonly timeline: readonly CpuSecond[]
  readonly exitCode: number
  readonly output: string
}

/** Polls a process tree and the server: CPU ticks per process (last seen) and the peak RSS. */
class Sampler {
  private readonly ticks = new Map<number, number>()
  private peakKb = 0
  private serverStart: number | undefined
  private serverLast: number | undefined
  private readonly timeline: CpuSecond[] = []
  private windowStart = Date.now()
  private windowClient = 0
  private windowServer: number | undefined
  private readonly machineStart = machineTicks()
  private windowMachine = this.machineStart
  private timer: NodeJS.Timeout | undefined

  constructor(private readonly root: number | undefined, private readonly serverPid: number | undefined, private readonly skipRssOf?: number) {
    if (serverPid !== undefined) this.serverStart = this.serverLast = this.windowServer = cpuTicks(serverPid)
    if (HAS_PROC) this.timer = setInterval(() => this.poll(), POLL_MS)
  }

  private clientTicks(): number {
    let sum = 0
    for (const value of this.ticks.values()) sum += value
    return sum
  }

  poll(): void {
    if (this.root !== undefined) {
      for (const pid of processTree(this.root)) {
        const ticks = cpuTicks(pid)
        if (ticks !== undefined) this.ticks.set(pid, ticks)
        if (pid === this.skipRssOf) continue
        this.peakKb = Math.max(this.peakKb, peakRssKb(pid) ?? 0)
      }
    }
    if (this.serverPid !== undefined) this.serverLast = cpuTicks(this.serverPid) ?? this.serverLast
    const now = Date.now()
    if (now - this.windowStart >= 1000) {
      const seconds = (now - this.windowStart) / 1000
      const client = this.clientTicks()
      const percent = (ticks: number) => Math.round((ticks / clockTicks() / seconds) * 100)
      const machine = machineTicks()
      const iowait = Math.round(((machine.iowait - this.windowMachine.iowait) / Math.max(1, machine.total - this.windowMachine.total)) * 100)
      const [clientPart, serverPart] = [client - this.windowClient, (this.serverLast ?? 0) - (this.windowServer ?? 0)]
      const others = Math.max(0, percent(machine.busy - this.windowMachine.busy - clientPart - serverPart))
      this.timeline.push({client: percent(clientPart), server: percent(serverPart), iowait, others})
      this.windowStart = now
      this.windowClient = client
      this.windowServer = this.serverLast
      this.windowMachine = machine
    }
  }

  stop(): {clientCpuSeconds?: number; serverCpuSeconds?: number; iowaitPercent?: number; othersCpuSeconds?: number; peakRssKb?: number; timeline: CpuSecond[]} {
    this.poll()
    clearInterval(this.timer)
    const hz = clockTicks()
    const machine = machineTicks()
    return {
      iowaitPercent: machine.total > this.machineStart.total ? ((machine.iowait - this.machineStart.iowait) / (machine.total - this.machineStart.total)) * 100 : undefined,
      othersCpuSeconds: HAS_PROC ? Math.max(0, (machine.busy - this.machineStart.busy - this.clientTicks() - ((this.serverLast ?? 0) - (this.serverStart ?? 0))) / hz) : undefined,
      clientCpuSeconds: this.root !== undefined && HAS_PROC ? this.clientTicks() / hz : undefined,
      serverCpuSeconds: this.serverStart !== undefined && this.serverLast !== undefined ? (this.serverLast - this.serverStart) / hz : undefined,
      peakRssKb: this.peakKb > 0 ? this.peakKb : undefined,
      timeline: this.timeline,
    }
  }
}

let timeWorks: boolean | undefined
/** GNU time with -v (BusyBox's time has no -v): checked once. */
export function hasTimeWrapper(): boolean {
  timeWorks ??= existsSync(TIME_BINARY) && spawnSync(TIME_BINARY, ['-v', 'true'], {stdio: 'ignore'}).status === 0
  return timeWorks
}

function timeField(report: string, label: string): number | undefined {
  const match = new RegExp(`^\\s*${label}: ([\\d.]+)$`, 'm').exec(report)
  return match ? Number(match[1]) : undefined
}

/** Runs a command as a child and measures it; the child's output is kept (last 64 kB). */
export async function runChild(command: string, args: readonly string[], options: {env?: NodeJS.ProcessEnv; cwd?: string; serverPid?: number}): Promise<Measurement> {
  const wrap = hasTimeWrapper()
  const folder = wrap ? mkdtempSync(join(tmpdir(), 'm2m-bench-time-')) : undefined
  const report = folder ? join(folder, 'time.txt') : undefined
  const [file, argv] = report ? [TIME_BINARY, ['-v', '-o', report, command, ...args]] : [command, [...args]]
  const started = process.hrtime.bigint()
  const child = spawn(file, argv, {env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe']})
  const sampler = new Sampler(child.pid, options.serverPid, wrap ? child.pid : undefined)
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-65536)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)))
  })
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9
  const sampled = sampler.stop()
  let peakRssMb = sampled.peakRssKb !== undefined ? sampled.peakRssKb / 1024 : undefined
  let rssSource: Measurement['rssSource'] = peakRssMb !== undefined ? '/proc VmHWM' : undefined
  let clientCpuSeconds = sampled.clientCpuSeconds
  if (report && existsSync(report)) {
    const text = readFileSync(report, 'utf8')
    const maxKb = timeField(text, 'Maximum resident set size \\(kbytes\\)')
    if (maxKb !== undefined) {
      peakRssMb = maxKb / 1024
      rssSource = 'time -v'
    }
    const user = timeField(text, 'User time \\(seconds\\)')
    const system = timeField(text, 'System time \\(seconds\\)')
    // time(1) counts every process of the tree it waited for, exited ones included.
    if (user !== undefined && system !== undefined) clientCpuSeconds = user + system
  }
  if (folder) rmSync(folder, {recursive: true, force: true})
  return {wallSeconds, peakRssMb, rssSource, clientCpuSeconds, serverCpuSeconds: sampled.serverCpuSeconds, iowaitPercent: sampled.iowaitPercent, othersCpuSeconds: sampled.othersCpuSeconds, timeline: sampled.timeline, exitCode, output}
}

/** Measures work done inside this process on the server's behalf (the server copies by itself). */
export async function measureServerWork(work: () => Promise<void>, serverPid: number | undefined): Promise<Measurement> {
  const sampler = new Sampler(undefined, serverPid)
  const started = process.hrtime.bigint()
  let exitCode = 0
  let output = ''
  try {
    await work()
  } catch (error) {
    exitCode = 1
    output = error instanceof Error ? error.message : String(error)
  }
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9
  const sampled = sampler.stop()
  return {wallSeconds, serverCpuSeconds: sampled.serverCpuSeconds, iowaitPercent: sampled.iowaitPercent, othersCpuSeconds: sampled.othersCpuSeconds, timeline: sampled.timeline, exitCode, output}
}
