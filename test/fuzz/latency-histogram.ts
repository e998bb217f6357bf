/** Per-call times in constant memory: log buckets 1% wide from 10 ns, exact enough for p50..p99.99. */
export class LatencyHistogram {
  private readonly buckets = new Uint32Array(2400)
  private count = 0
  max = 0

  add(ms: number): void {
    const ns = Math.max(10, ms * 1e6)
    const i = Math.min(this.buckets.length - 1, Math.floor(Math.log(ns / 10) / Math.log(1.01)))
    this.buckets[i]!++
    this.count++
    if (ms > this.max) this.max = ms
  }

  /** Upper edge of the bucket holding quantile `q` (0..1), in ms. */
  percentile(q: number): number {
    const target = Math.ceil(q * this.count)
    let seen = 0
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i]!
      if (seen >= target && seen > 0) return Math.min(this.max, (10 * 1.01 ** (i + 1)) / 1e6)
    }
    return this.max
  }
}
