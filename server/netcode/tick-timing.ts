/** How long ticks take, over the last `window` ticks: enough to see a server running out of budget. */
export interface TickTimingStats {
  /** Ticks measured in the window. */
  count: number
  lastMs: number
  meanMs: number
  p95Ms: number
  maxMs: number
}

export class TickTiming {
  private readonly samples: number[] = []
  private next = 0
  private last = 0

  constructor(private readonly window = 300) {}

  add(ms: number): void {
    this.last = ms
    if (this.samples.length < this.window) this.samples.push(ms)
    else this.samples[this.next] = ms
    this.next = (this.next + 1) % this.window
  }

  /** Forgets the window (a benchmark phase starts). */
  reset(): void {
    this.samples.length = 0
    this.next = 0
  }

  stats(): TickTimingStats {
    const n = this.samples.length
    if (n === 0) return { count: 0, lastMs: this.last, meanMs: 0, p95Ms: 0, maxMs: 0 }
    const sorted = [...this.samples].sort((a, b) => a - b)
    const sum = sorted.reduce((s, x) => s + x, 0)
    return { count: n, lastMs: this.last, meanMs: sum / n, p95Ms: sorted[Math.min(n - 1, Math.floor(0.95 * n))]!, maxMs: sorted[n - 1]! }
  }
}
