/**
 * This process's event-loop stalls during a test window, seen as the gaps of a 5 ms interval timer.
 * On a shared 2-core machine (other workers' tests, Chromiums, benches: load 15-25) the loop is starved
 * at moments the test did not choose. Timing asserts use this to tell what the code controls (its
 * catch-up policy, its rate) from what the machine took away, instead of failing on the machine.
 */
export interface Stall {
  /** performance.now() of the last timer fire before the stall. */
  at: number
  /** Time between that fire and the next one, ms. */
  ms: number
}

export class StallMonitor {
  readonly stalls: Stall[] = []
  private last = performance.now()
  private stopped = false
  private readonly timer: ReturnType<typeof setInterval>

  /** Gaps longer than `minGapMs` count as stalls (shorter ones cannot cost a 60 Hz loop a slot). */
  constructor(
    periodMs = 5,
    private readonly minGapMs = 2 * periodMs,
  ) {
    this.timer = setInterval(() => this.fire(), periodMs)
  }

  /** Stops watching; the stalls seen stay readable. Safe to call twice. */
  stop(): this {
    if (this.stopped) return this
    this.fire()
    this.stopped = true
    clearInterval(this.timer)
    return this
  }

  /** The longest stall, ms (0 if none). */
  get worstMs(): number {
    return this.stalls.reduce((w, s) => Math.max(w, s.ms), 0)
  }

  /**
   * Schedule slots a fixed-rate loop (slot length `slotMs`, catching up at most `catchUp` slots per
   * wake, then dropping the rest) must drop over these stalls: a stall of g ms leaves up to
   * ceil(g / slotMs) slots due at once, of which `catchUp` run. Back-to-back stalls (the timer fired
   * once between them: the loop's own wake, due a moment later, may not have run) count as one.
   * Only stalls that ended after `from` (performance.now()) count: the window the loop is judged on.
   */
  slotsLost(slotMs: number, catchUp: number, from = -Infinity): number {
    let lost = 0
    for (const s of this.merged()) if (s.at + s.ms > from) lost += Math.max(0, Math.ceil(s.ms / slotMs) - catchUp)
    return lost
  }

  private merged(): Stall[] {
    const out: Stall[] = []
    for (const s of this.stalls) {
      const last = out[out.length - 1]
      if (last && s.at <= last.at + last.ms) last.ms += s.ms
      else out.push({ ...s })
    }
    return out
  }

  /** One line for the test's log. */
  describe(): string {
    const total = this.stalls.reduce((t, s) => t + s.ms, 0)
    return `${this.stalls.length} event-loop stalls > ${this.minGapMs} ms (worst ${this.worstMs.toFixed(0)} ms, ${total.toFixed(0)} ms in all)`
  }

  private fire(): void {
    const now = performance.now()
    const gap = now - this.last
    if (gap > this.minGapMs) this.stalls.push({ at: this.last, ms: gap })
    this.last = now
  }
}
