/**
 * A value that follows its target at a bounded rate (units per ms), so what is derived from it never
 * jumps: a clock offset, the render delay of interpolation. Queries are pure; only `setTarget` moves state.
 */
export class Slewed {
  private value = 0
  private at = 0
  private goal = 0
  private started = false

  /**
   * @param ratePerMs how fast the value may move: 0.05 lets a clock run 5% fast or slow while it catches up.
   * @param snapBeyond a target further than this from the current value is taken at once (a stale first guess,
   *   a server restart): slewing across seconds would take too long to be useful.
   */
  constructor(
    private readonly ratePerMs: number,
    private readonly snapBeyond = Infinity,
  ) {
    if (!(ratePerMs > 0)) throw new RangeError('Slewed: ratePerMs must be > 0')
  }

  get initialized(): boolean {
    return this.started
  }

  get target(): number {
    return this.goal
  }

  /** The value at `now`. Times before the last `setTarget` read the value as it was then. */
  valueAt(now: number): number {
    if (!this.started) return this.goal
    const maxStep = this.ratePerMs * Math.max(0, now - this.at)
    const d = this.goal - this.value
    return this.value + (d > maxStep ? maxStep : d < -maxStep ? -maxStep : d)
  }

  /** Aims at `target` from `now` on. The first target, or one beyond `snapBeyond`, is taken at once. */
  setTarget(target: number, now: number): void {
    if (!this.started || Math.abs(target - this.valueAt(now)) > this.snapBeyond) {
      this.value = target
      this.at = now
      this.goal = target
      this.started = true
      return
    }
    this.value = this.valueAt(now)
    this.at = Math.max(this.at, now)
    this.goal = target
  }
}
