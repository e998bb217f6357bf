import { Slewed } from './slew'

/**
 * The time remote entities are drawn at: `renderTime(now)` trails the newest server time we can
 * expect to hold by an adaptive delay, so there is usually a snapshot on either side to interpolate.
 * One per connection, shared by every entity's InterpolationBuffer, so all are drawn at the same past
 * moment (which is also the moment lag compensation must rewind to).
 *
 * `now` may be any local clock: the offset between it and server time (clock offset plus one-way
 * latency) is measured from arrivals, as the lowest `now - serverTime` seen recently. So no clock
 * sync is needed here, and a drifting local clock is tracked.
 *
 * Delay: a snapshot stamped T arrives at the latest around T + minTransit + spread, where spread is
 * the 95th percentile of transit above its minimum (jitter). To have the next snapshot before the
 * render point reaches it, delay >= interval + spread. Never below `minDelayMs` (two intervals, so
 * one lost snapshot is bridged by interpolation too).
 *
 * Changes to the offset or delay are slewed (the render clock runs at most `slewRate` fast or slow),
 * so entities never jump when the estimate moves.
 */
export interface RenderClockOptions {
  /** Server snapshot interval, ms. */
  intervalMs: number
  /** Floor of the delay. Default 2 intervals. */
  minDelayMs?: number
  /** Arrivals remembered for the transit minimum and jitter. Default 90 (3 s at 30 Hz). */
  window?: number
  /** Most the render clock may run fast or slow while it adapts. Default 0.1. */
  slewRate?: number
  /** A change larger than this is applied at once (first snapshot, long stall). Default 500 ms. */
  snapBeyondMs?: number
}

export class RenderClock {
  private readonly interval: number
  private readonly minDelay: number
  private readonly size: number
  private readonly transits: number[] = []
  private next = 0
  private readonly offset: Slewed
  private delay: number
  private spread = 0

  constructor(options: RenderClockOptions) {
    if (!(options.intervalMs > 0)) throw new RangeError('RenderClock: intervalMs must be > 0')
    this.interval = options.intervalMs
    this.minDelay = options.minDelayMs ?? 2 * options.intervalMs
    this.delay = this.minDelay
    this.size = Math.max(2, Math.floor(options.window ?? 90))
    this.offset = new Slewed(options.slewRate ?? 0.1, options.snapBeyondMs ?? 500)
  }

  /** Target delay behind the newest expected snapshot, ms. */
  get delayMs(): number {
    return this.delay
  }

  /** Measured arrival jitter (95th percentile of transit above the minimum), ms. */
  get jitterMs(): number {
    return this.spread
  }

  get started(): boolean {
    return this.offset.initialized
  }

  /** Records the arrival at `now` of a snapshot stamped `serverTime` (every arrival, even late ones). */
  onSnapshot(serverTime: number, now: number): void {
    const transit = now - serverTime
    if (!Number.isFinite(transit)) return
    if (this.transits.length < this.size) this.transits.push(transit)
    else this.transits[this.next] = transit
    this.next = (this.next + 1) % this.size
    const sorted = [...this.transits].sort((a, b) => a - b)
    const min = sorted[0]!
    this.spread = sorted[Math.min(sorted.length - 1, Math.floor(0.95 * sorted.length))]! - min
    this.delay = Math.max(this.minDelay, this.interval + this.spread)
    this.offset.setTarget(min + this.delay, now)
  }

  /** Server time to draw remote entities at; NaN before the first snapshot. */
  renderTime(now: number): number {
    return this.offset.initialized ? now - this.offset.valueAt(now) : Number.NaN
  }
}
