/*
 * Why not @geckos.io/snapshot-interpolation (v1.1.1, read before writing this):
 *  - Date.now() is hard-wired (snapshot creation, addSnapshot, calcInterpolation takes no time), so it
 *    cannot run on simulated time and could not be tested deterministically (nengi's interpolator has
 *    the same problem, and its test ended up disabled).
 *  - No extrapolation at all: once the render time passes the newest snapshot it returns undefined,
 *    so one late packet freezes or hides every entity. Nothing bounds or holds.
 *  - Fixed buffer of 3 intervals, no jitter adaptation; its time offset comes from the first snapshot
 *    and jumps whenever it moves by more than 50 ms.
 *  - Duplicates are stored twice; the vault is re-sorted on every query; a JSON deep copy per frame;
 *    loose types (`number | string | Quat`) and CommonJS.
 * The one piece worth having, the short-way angle lerp, is ten lines (lerp.ts). Hence this file.
 */
import { isFiniteState, lerpState, type NumericState } from './lerp'

export interface InterpolationBufferOptions {
  /** Fields in radians, interpolated the short way round. */
  angles?: readonly string[]
  /** How far past the newest snapshot to extrapolate before holding still. Default 250 ms. */
  maxExtrapolationMs?: number
  /** Snapshots kept at most. Default 32. */
  capacity?: number
}

export type PushResult = 'inserted' | 'duplicate' | 'late' | 'invalid'
/** interpolate: between two snapshots. extrapolate: past the newest, within bounds. hold: frozen (bound reached, or before the oldest). */
export type SampleMode = 'interpolate' | 'extrapolate' | 'hold'

export interface Sampled<S> {
  state: S
  mode: SampleMode
}

export interface InterpolationStats {
  inserted: number
  duplicate: number
  late: number
  invalid: number
}

interface Entry<S> {
  time: number
  state: S
}

/**
 * Snapshots of one remote entity, in server-time order, sampled at a render time (from RenderClock).
 * Out-of-order arrivals are inserted in place; duplicates and arrivals too old to matter are ignored.
 */
export class InterpolationBuffer<S extends NumericState> {
  private readonly entries: Entry<S>[] = []
  private readonly angles: ReadonlySet<string>
  private readonly maxExtrapolation: number
  private readonly capacity: number
  private lastRender = -Infinity
  private readonly s: InterpolationStats = { inserted: 0, duplicate: 0, late: 0, invalid: 0 }

  constructor(options: InterpolationBufferOptions = {}) {
    this.angles = new Set(options.angles ?? [])
    this.maxExtrapolation = Math.max(0, options.maxExtrapolationMs ?? 250)
    this.capacity = Math.max(2, Math.floor(options.capacity ?? 32))
  }

  get stats(): Readonly<InterpolationStats> {
    return { ...this.s }
  }

  get size(): number {
    return this.entries.length
  }

  /** Newest server time held, or undefined. */
  get newestTime(): number | undefined {
    return this.entries[this.entries.length - 1]?.time
  }

  push(serverTime: number, state: S): PushResult {
    if (!Number.isFinite(serverTime) || !isFiniteState(state)) return this.count('invalid')
    const e = this.entries
    const oldest = e[0]
    // Older than everything held, and the render point has passed what we hold: it can change nothing.
    if (oldest && serverTime < oldest.time && oldest.time <= this.lastRender) return this.count('late')
    let i = e.length
    while (i > 0 && e[i - 1]!.time > serverTime) i--
    if (i > 0 && e[i - 1]!.time === serverTime) return this.count('duplicate')
    e.splice(i, 0, { time: serverTime, state })
    if (e.length > this.capacity) e.shift()
    return this.count('inserted')
  }

  /** The entity at `renderTime`; undefined until a snapshot arrived. */
  sample(renderTime: number): Sampled<S> | undefined {
    const e = this.entries
    const newest = e[e.length - 1]
    if (!newest || Number.isNaN(renderTime)) return undefined
    if (renderTime > this.lastRender) this.lastRender = renderTime
    if (e.length === 1 || renderTime <= e[0]!.time) return { state: e[0]!.state, mode: 'hold' }
    if (renderTime >= newest.time) return this.extrapolate(renderTime)
    let b = 1
    while (e[b]!.time < renderTime) b++
    const a = e[b - 1]!
    const to = e[b]!
    this.trim(b - 1)
    return { state: lerpState(a.state, to.state, (renderTime - a.time) / (to.time - a.time), this.angles), mode: 'interpolate' }
  }

  private extrapolate(renderTime: number): Sampled<S> {
    const e = this.entries
    const newest = e[e.length - 1]!
    const prev = e[e.length - 2]!
    const ahead = renderTime - newest.time
    const mode: SampleMode = ahead === 0 ? 'interpolate' : ahead <= this.maxExtrapolation ? 'extrapolate' : 'hold'
    const at = newest.time + Math.min(ahead, this.maxExtrapolation)
    this.trim(e.length - 2)
    return { state: lerpState(prev.state, newest.state, (at - prev.time) / (newest.time - prev.time), this.angles), mode }
  }

  /** Drops snapshots before index `keepFrom`: the render time has moved past them for good. */
  private trim(keepFrom: number): void {
    if (keepFrom > 0) this.entries.splice(0, keepFrom)
  }

  private count(result: PushResult): PushResult {
    this.s[result]++
    return result
  }
}
