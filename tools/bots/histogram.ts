/**
 * A mergeable histogram of non-negative values with ~1% relative error: bots in several processes
 * each keep one, send its sparse buckets over IPC, and the parent merges them for exact-enough
 * percentiles without shipping every sample.
 */
const GROWTH = Math.log(1.02)
/** Values below this (ms) share bucket 0. */
const FLOOR = 0.01

export type Buckets = Record<number, number>

export class Histogram {
  buckets: Buckets = {}
  count = 0
  sum = 0

  add(value: number): void {
    if (!(value >= 0) || !Number.isFinite(value)) return
    const b = value < FLOOR ? 0 : 1 + Math.floor(Math.log(value / FLOOR) / GROWTH)
    this.buckets[b] = (this.buckets[b] ?? 0) + 1
    this.count++
    this.sum += value
  }

  merge(other: { buckets: Buckets; count: number; sum: number }): void {
    for (const [b, n] of Object.entries(other.buckets)) this.buckets[Number(b)] = (this.buckets[Number(b)] ?? 0) + n
    this.count += other.count
    this.sum += other.sum
  }

  /** The value at quantile q (0..1): the bucket's midpoint. NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN
    const rank = Math.max(1, Math.ceil(q * this.count))
    let seen = 0
    for (const b of Object.keys(this.buckets).map(Number).sort((x, y) => x - y)) {
      seen += this.buckets[b]!
      if (seen >= rank) return b === 0 ? 0 : FLOOR * Math.exp((b - 0.5) * GROWTH)
    }
    return Number.NaN
  }

  mean(): number {
    return this.count === 0 ? Number.NaN : this.sum / this.count
  }

  toJSON(): { buckets: Buckets; count: number; sum: number } {
    return { buckets: this.buckets, count: this.count, sum: this.sum }
  }

  /** Hands the contents over and starts empty (one interval's worth per IPC report). */
  take(): { buckets: Buckets; count: number; sum: number } {
    const out = this.toJSON()
    this.buckets = {}
    this.count = 0
    this.sum = 0
    return out
  }
}
