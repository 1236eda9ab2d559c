/**
 * Where a child's CPU time went, from the .cpuprofile that `node --cpu-prof` writes: functions by
 * self time, and the same time grouped into the parts of the pipeline they belong to.
 * Also runnable alone: `node dist/bench/profile-summary.js <file.cpuprofile> [top]`.
 */
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

interface ProfileNode {
  readonly id: number
  readonly callFrame: {readonly functionName: string; readonly url: string; readonly lineNumber: number}
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[]
  readonly samples: readonly number[]
  readonly timeDeltas: readonly number[]
  readonly startTime: number
  readonly endTime: number
}

export interface TimeShare {
  readonly name: string
  readonly ms: number
  readonly percent: number
}

export interface ProfileSummary {
  readonly file: string
  /** Sampled time, idle included. */
  readonly totalMs: number
  /** Sampled time minus (idle): what the process spent on the CPU. */
  readonly busyMs: number
  readonly functions: readonly TimeShare[]
  readonly categories: readonly TimeShare[]
}

/** The part of the pipeline a frame belongs to, by where its code lives. */
const CATEGORIES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^\(garbage collector\)/, 'GC'],
  [/^\(idle\)/, 'idle (waiting on I/O)'],
  [/^\(program\)/, 'V8/native (program)'],
  [/iconv-lite|mysql2\/lib\/parsers\/string/, 'mysql2: string decoding'],
  [/mysql2\/lib\/parsers\//, 'mysql2: row parsing'],
  [/mysql2\/lib\/packets\//, 'mysql2: packets (decode)'],
  [/mysql2\/lib\//, 'mysql2: protocol, other'],
  [/src\/adapters\/mysql\/sql-text\.js/, 'ours: valueLiteral/escaping'],
  [/src\/adapters\/mysql\/batch-writer\.js/, 'ours: buildInsertStatements/writer'],
  [/transforms\/php-serialize(-json)?\.js|transforms\/serialize-to-json/, 'ours: SerializeToJson (unserialize, json)'],
  [/transforms\//, 'ours: other handlers'],
  [/src\/pipeline\//, 'ours: transformer (row mapping)'],
  [/src\/transfer\//, 'ours: copy loop'],
  [/src\//, 'ours: other'],
  [/node_modules\//, 'other packages'],
  [/^node:|^internal\//, 'node core (streams, net, timers)'],
]

function categoryOf(frame: ProfileNode['callFrame']): string {
  const text = frame.url ? frame.url : `(${frame.functionName.replace(/^\(|\)$/g, '')})`
  for (const [pattern, name] of CATEGORIES) if (pattern.test(text)) return name
  // Builtins without a url (e.g. byteLength, replace, join) are named after the function.
  return frame.url ? 'other' : `native: ${frame.functionName || '(anonymous)'}`
}

function frameName(frame: ProfileNode['callFrame']): string {
  const file = frame.url.replace(/^file:\/\/.*?\/(node_modules|dist)\//, '$1/')
  return file ? `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}` : frame.functionName
}

function shares(times: Map<string, number>, total: number, top: number): TimeShare[] {
  return [...times].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => ({name, ms: Math.round(us / 1000), percent: Math.round((us / total) * 1000) / 10}))
}

export function summarizeProfile(file: string, top = 20): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const functions = new Map<string, number>()
  const categories = new Map<string, number>()
  let total = 0
  let idle = 0
  profile.samples.forEach((id, at) => {
    // timeDeltas[at] is the time since the previous sample: the sampled frame ran for about that long.
    const us = Math.max(0, profile.timeDeltas[at] ?? 0)
    const frame = byId.get(id)!.callFrame
    total += us
    if (frame.functionName === '(idle)') idle += us
    const name = frameName(frame)
    functions.set(name, (functions.get(name) ?? 0) + us)
    const category = categoryOf(frame)
    categories.set(category, (categories.get(category) ?? 0) + us)
  })
  const busy = Math.max(1, total - idle)
  functions.delete('(idle)')
  categories.delete('idle (waiting on I/O)')
  return {file, totalMs: Math.round(total / 1000), busyMs: Math.round(busy / 1000), functions: shares(functions, busy, top), categories: shares(categories, busy, top)}
}

export function formatProfile(summary: ProfileSummary): string {
  const lines = [`${summary.file}: ${(summary.totalMs / 1000).toFixed(1)} s sampled, ${(summary.busyMs / 1000).toFixed(1)} s on CPU (shares below are of CPU time)`]
  lines.push('  by part:')
  for (const share of summary.categories) lines.push(`    ${share.percent.toFixed(1).padStart(5)} %  ${String(share.ms).padStart(7)} ms  ${share.name}`)
  lines.push('  top functions by self time:')
  for (const share of summary.functions) lines.push(`    ${share.percent.toFixed(1).padStart(5)} %  ${String(share.ms).padStart(7)} ms  ${share.name}`)
  return lines.join('\n')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, top] = process.argv.slice(2)
  if (!file) {
    console.error('usage: node dist/bench/profile-summary.js <file.cpuprofile> [top]')
    process.exit(2)
  }
  console.log(formatProfile(summarizeProfile(file, top ? Number(top) : 20)))
}
