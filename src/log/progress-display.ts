/**
 * Per-document progress. On a terminal: a bar per active document with rows/s and ETA, redrawn
 * in place. Elsewhere: nothing per batch (the steps log a line per finished document).
 */
export interface ProgressDisplay {
  /** Whether bars are drawn: only then is a document's row count worth a COUNT(*). */
  readonly showsBars: boolean
  start(document: string, total: number): void
  advance(document: string, rows: number): void
  finish(document: string): void
  /** Removes the bars before a log line is printed, and draws them again after it. */
  clear(): void
  redraw(): void
  stop(): void
}

interface Bar {
  total: number
  done: number
  started: number
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--'
  const whole = Math.round(seconds)
  const h = Math.floor(whole / 3600)
  const m = Math.floor((whole % 3600) / 60)
  const s = whole % 60
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}` : `${m}:${String(s).padStart(2, '0')}`
}

/** One bar's line, e.g. `sales_flat_order [#####-----]  50% 5000/10000 rows 2500 rows/s ETA 0:02`. */
export function renderBar(document: string, bar: Bar, now: number, width = 20): string {
  const fraction = bar.total > 0 ? Math.min(1, bar.done / bar.total) : 0
  const filled = Math.round(fraction * width)
  const seconds = Math.max(0.001, (now - bar.started) / 1000)
  const rate = bar.done / seconds
  // Before the first rows land there is no rate yet, so the time left is unknown, not zero.
  const left = Math.max(0, bar.total - bar.done)
  const eta = left === 0 ? 0 : rate > 0 ? left / rate : Number.POSITIVE_INFINITY
  return `${document} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}% ${bar.done}/${bar.total} rows ${Math.round(rate)} rows/s ETA ${formatDuration(eta)}`
}

export class TerminalProgress implements ProgressDisplay {
  readonly showsBars = true
  private readonly bars = new Map<string, Bar>()
  private drawn = 0
  private timer?: NodeJS.Timeout

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr, private readonly now: () => number = Date.now) {}

  start(document: string, total: number): void {
    this.bars.set(document, {total, done: 0, started: this.now()})
    this.timer ??= setInterval(() => this.redraw(), 250).unref()
  }

  advance(document: string, rows: number): void {
    const bar = this.bars.get(document)
    if (bar) bar.done += rows
  }

  finish(document: string): void {
    this.clear()
    this.bars.delete(document)
    this.redraw()
  }

  clear(): void {
    if (this.drawn === 0) return
    this.stream.write(`\x1b[${this.drawn}A\x1b[0J`)
    this.drawn = 0
  }

  redraw(): void {
    this.clear()
    const now = this.now()
    const lines = [...this.bars.entries()].map(([document, bar]) => renderBar(document, bar, now).slice(0, (this.stream.columns ?? 120) - 1))
    if (lines.length > 0) this.stream.write(`${lines.join('\n')}\n`)
    this.drawn = lines.length
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    this.clear()
    this.bars.clear()
  }
}

/** For pipes, files and CI: no bars. */
export class SilentProgress implements ProgressDisplay {
  readonly showsBars = false
  start(): void {}
  advance(): void {}
  finish(): void {}
  clear(): void {}
  redraw(): void {}
  stop(): void {}
}
