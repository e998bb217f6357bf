/**
 * Fixed-timestep simulation driver. The simulation always steps by the same `dtMs` (deterministic,
 * replayable); `advance(now)` runs however many ticks are due since the last call.
 *
 * Why an absolute schedule: tick n is due at `anchor + n * dtMs`, so a timer that wakes late (drift,
 * GC pause) does not shift later ticks; the next `advance` simply runs the ticks that came due.
 *
 * Why clamp: if ticks get slower than real time, catching up on every missed tick makes each call
 * slower still (the spiral of death). At most `maxCatchUpTicks` run per call; any debt beyond that is
 * dropped (the simulation falls behind wall time by that much, once) and counted in `droppedTicks`.
 */
export interface TickLoopOptions {
  /** Ticks per second. */
  tickRate: number
  /** Most ticks one `advance` may run; debt beyond it is dropped. Default 4. */
  maxCatchUpTicks?: number
  /** Called once per tick with the tick number (0, 1, 2, ...) and the fixed step. */
  onTick(tick: number, dtMs: number): void
  /** Called after every `snapshotEvery`-th tick (tick % snapshotEvery === 0). */
  onSnapshot?(tick: number): void
  /** Default 1: a snapshot after every tick. */
  snapshotEvery?: number
}

export interface TickLoopStats {
  /** Ticks simulated. */
  ticks: number
  /** Ticks skipped because the loop fell more than `maxCatchUpTicks` behind. */
  droppedTicks: number
  /** `advance` calls that had to drop debt. */
  overruns: number
  /** Most ticks run by one `advance`. */
  maxTicksPerAdvance: number
}

export class TickLoop {
  readonly dtMs: number
  private readonly maxCatchUp: number
  private readonly snapshotEvery: number
  private anchor: number | undefined
  /** Schedule slots consumed: ticks run plus ticks dropped. Tick slot k is due at anchor + k * dtMs. */
  private slot = 0
  private readonly s: TickLoopStats = { ticks: 0, droppedTicks: 0, overruns: 0, maxTicksPerAdvance: 0 }

  constructor(private readonly options: TickLoopOptions) {
    if (!(options.tickRate > 0) || !Number.isFinite(options.tickRate)) throw new RangeError('TickLoop: tickRate must be > 0')
    this.dtMs = 1000 / options.tickRate
    this.maxCatchUp = Math.max(1, Math.floor(options.maxCatchUpTicks ?? 4))
    this.snapshotEvery = Math.max(1, Math.floor(options.snapshotEvery ?? 1))
  }

  /** The next tick number to run. */
  get tick(): number {
    return this.s.ticks
  }

  get stats(): Readonly<TickLoopStats> {
    return { ...this.s }
  }

  /** When the next tick is due (for a runner's timer), or undefined before the first `advance`. */
  get nextTickAt(): number | undefined {
    return this.anchor === undefined ? undefined : this.anchor + this.slot * this.dtMs
  }

  /**
   * Runs the ticks due by `now` (the first call runs tick 0 and anchors the schedule there).
   * Returns how many ran: never more than `maxCatchUpTicks`.
   */
  advance(now: number): number {
    if (!Number.isFinite(now)) return 0
    if (this.anchor === undefined) this.anchor = now
    let ran = 0
    while (ran < this.maxCatchUp && now >= this.anchor + this.slot * this.dtMs) {
      this.runTick()
      ran++
    }
    const late = now - (this.anchor + this.slot * this.dtMs)
    if (late >= 0) {
      // Still behind after the allowed catch-up: forgive the debt instead of carrying it.
      const skip = Math.floor(late / this.dtMs) + 1
      this.slot += skip
      this.s.droppedTicks += skip
      this.s.overruns++
    }
    if (ran > this.s.maxTicksPerAdvance) this.s.maxTicksPerAdvance = ran
    return ran
  }

  private runTick(): void {
    const tick = this.s.ticks
    this.slot++
    this.s.ticks++
    this.options.onTick(tick, this.dtMs)
    if (this.options.onSnapshot && tick % this.snapshotEvery === 0) this.options.onSnapshot(tick)
  }
}
