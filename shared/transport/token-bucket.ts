/** A token bucket: `rate` tokens per second, holding at most `burst`. */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst
    this.last = now
  }

  take(amount: number, now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate)
    this.last = now
    if (this.tokens < amount) return false
    this.tokens -= amount
    return true
  }

  /** Refilled to the burst by `now`: indistinguishable from a new bucket. */
  isFull(now: number): boolean {
    return this.tokens + ((now - this.last) / 1000) * this.rate >= this.burst
  }
}
