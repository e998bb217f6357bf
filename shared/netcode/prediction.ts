import { seqDiff } from '../stats/sequence'
import { angleDelta, wrapAngle, type NumericState } from './lerp'
import type { SequencedInput } from './input-redundancy'

/**
 * Client-side prediction and reconciliation.
 *
 * Inputs are applied at once with the same pure `simulate` the server runs, so the local player
 * moves without waiting a round trip. Unacknowledged inputs are kept; when the server's state arrives
 * naming the last input it processed, the client restarts from that state and replays the rest.
 * If prediction was right (the usual case) nothing changes; if not, the difference is not shown as a
 * snap but as an error offset that decays (to 5% after `smoothMs`), so the visible correction is smooth.
 */
export interface PredictorOptions<S extends NumericState, I extends SequencedInput> {
  simulate: (state: S, input: I, dtMs: number) => S
  /** Simulated time per input (the client's fixed input rate). */
  dtMs: number
  initial: S
  /** Time for a visible correction to shrink to 5%. Default 100 ms. */
  smoothMs?: number
  /** A correction larger than this in any field is shown at once (teleport, respawn). Default Infinity. */
  snapBeyond?: number
  /** Fields that get visual smoothing. Default: every field. */
  smoothFields?: readonly string[]
  /** Fields in radians: compared and smoothed the short way round (3.1 and -3.1 are 0.08 apart). */
  angles?: readonly string[]
  /** Unacknowledged inputs kept at most (the oldest are dropped). Default 256. */
  maxPending?: number
  /**
   * A server state within this of the replayed prediction in every field is agreement, and the
   * (full-precision) prediction is kept: a quantized snapshot cannot say more. Default 0 (exact).
   */
  tolerance?: number
}

export interface PredictorStats {
  /** Server states that disagreed with the prediction. */
  corrections: number
  /** Largest disagreement seen, in any field. */
  maxCorrection: number
  /** Server states older than one already applied. */
  staleStates: number
}

export class Predictor<S extends NumericState, I extends SequencedInput> {
  private state: S
  private readonly pending: I[] = []
  private lastServerTick = -Infinity
  private error: Record<string, number> = {}
  private errorAt = 0
  private readonly smoothMs: number
  private readonly snapBeyond: number
  private readonly maxPending: number
  private readonly tolerance: number
  private readonly s: PredictorStats = { corrections: 0, maxCorrection: 0, staleStates: 0 }

  constructor(private readonly options: PredictorOptions<S, I>) {
    this.state = options.initial
    this.smoothMs = Math.max(1, options.smoothMs ?? 100)
    this.snapBeyond = options.snapBeyond ?? Infinity
    this.maxPending = Math.max(1, options.maxPending ?? 256)
    this.tolerance = Math.max(0, options.tolerance ?? 0)
    this.angles = new Set(options.angles ?? [])
  }

  private readonly angles: ReadonlySet<string>

  /** The predicted (simulation) state, without visual smoothing. */
  get predicted(): S {
    return this.state
  }

  get unacknowledged(): readonly I[] {
    return this.pending
  }

  get stats(): Readonly<PredictorStats> {
    return { ...this.s }
  }

  /** Applies a new local input at once; returns the predicted state. */
  apply(input: I): S {
    this.pending.push(input)
    if (this.pending.length > this.maxPending) this.pending.shift()
    this.state = this.options.simulate(this.state, input, this.options.dtMs)
    return this.state
  }

  /**
   * The server's state for us at `serverTick`, after it processed input `lastProcessed` (undefined: none
   * yet). Out-of-order states (tick not newer than the last applied) are ignored.
   */
  reconcile(serverTick: number, serverState: S, lastProcessed: number | undefined, now: number): void {
    if (serverTick <= this.lastServerTick) {
      this.s.staleStates++
      return
    }
    this.lastServerTick = serverTick
    const shown = this.render(now)
    if (lastProcessed !== undefined) while (this.pending.length > 0 && seqDiff(this.pending[0]!.seq, lastProcessed) <= 0) this.pending.shift()
    let replayed = serverState
    for (const input of this.pending) replayed = this.options.simulate(replayed, input, this.options.dtMs)

    let diff = 0
    for (const key of Object.keys(replayed)) diff = Math.max(diff, Math.abs(this.delta(key, this.state[key] ?? 0, replayed[key]!)))
    if (diff <= this.tolerance) return
    this.state = replayed
    this.s.corrections++
    this.s.maxCorrection = Math.max(this.s.maxCorrection, diff)
    // Keep what is on screen where it is; let the offset decay from here.
    const error: Record<string, number> = {}
    let largest = 0
    for (const key of this.options.smoothFields ?? Object.keys(replayed)) {
      const e = -this.delta(key, shown[key] ?? 0, replayed[key] ?? 0)
      error[key] = e
      largest = Math.max(largest, Math.abs(e))
    }
    this.error = largest > this.snapBeyond ? {} : error
    this.errorAt = now
  }

  /** `to - from`, the short way round for angle fields (3.1 to -3.1 rad is 0.08, not -6.2). */
  private delta(key: string, from: number, to: number): number {
    return this.angles.has(key) ? angleDelta(from, to) : to - from
  }

  /** What to draw at `now`: the prediction plus the decaying correction offset. */
  render(now: number): S {
    const keys = Object.keys(this.error)
    if (keys.length === 0) return this.state
    const k = 0.05 ** (Math.max(0, now - this.errorAt) / this.smoothMs)
    if (k < 1e-6) {
      this.error = {}
      return this.state
    }
    const out: Record<string, number> = { ...this.state }
    for (const key of keys) {
      const v = (out[key] ?? 0) + this.error[key]! * k
      out[key] = this.angles.has(key) ? wrapAngle(v) : v
    }
    return out as S
  }
}
