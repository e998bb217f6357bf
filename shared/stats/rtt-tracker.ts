const SAMPLES = 64

/** Round-trip time: smoothed (as TCP's SRTT, 1/8 gain), p50/p95 of the last 64 samples, and jitter. */
export class RttTracker {
  private samples: number[] = []
  private next = 0
  smoothed = 0
  /** Mean deviation between consecutive samples (RFC 3550 style, 1/16 gain), in ms. */
  jitter = 0
  last = 0
  count = 0

  add(rttMs: number): void {
    if (!(rttMs >= 0) || !Number.isFinite(rttMs)) return
    if (this.count === 0) this.smoothed = rttMs
    else {
      this.smoothed += (rttMs - this.smoothed) / 8
      this.jitter += (Math.abs(rttMs - this.last) - this.jitter) / 16
    }
    this.last = rttMs
    this.count++
    if (this.samples.length < SAMPLES) this.samples.push(rttMs)
    else this.samples[this.next] = rttMs
    this.next = (this.next + 1) % SAMPLES
  }

  percentile(p: number): number {
    if (this.samples.length === 0) return 0
    const sorted = [...this.samples].sort((a, b) => a - b)
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
  }
}
