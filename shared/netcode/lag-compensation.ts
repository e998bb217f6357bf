import { lerpState, type NumericState } from './lerp'

/**
 * Server-side history of entity states per tick, for hit checks "as the shooter saw it": the client
 * reports the render time it drew remote entities at (RenderClock), and the server rewinds to it.
 * Bounded by `maxAgeMs`: how far back a client may reach is also an anti-cheat limit.
 */
export interface LagCompensationOptions {
  /** History kept, and the furthest a rewind reaches. Default 1000 ms. */
  maxAgeMs?: number
  /** Fields in radians, interpolated the short way round. */
  angles?: readonly string[]
}

export interface Rewound<S> {
  /** The time actually used: the request clamped into the history. */
  time: number
  /** True if the requested time was outside the history and got clamped. */
  clamped: boolean
  entities: Map<number, S>
}

interface Frame<S> {
  time: number
  entities: ReadonlyMap<number, S>
}

export class LagCompensation<S extends NumericState> {
  private readonly frames: Frame<S>[] = []
  private readonly maxAge: number
  private readonly angles: ReadonlySet<string>

  constructor(options: LagCompensationOptions = {}) {
    this.maxAge = options.maxAgeMs ?? 1000
    this.angles = new Set(options.angles ?? [])
  }

  get size(): number {
    return this.frames.length
  }

  /** Records the states at server `time` (increasing; an older or equal time is ignored). */
  record(time: number, entities: ReadonlyMap<number, S>): void {
    const newest = this.frames[this.frames.length - 1]
    if (!Number.isFinite(time) || (newest && time <= newest.time)) return
    this.frames.push({ time, entities })
    while (this.frames.length > 1 && this.frames[0]!.time < time - this.maxAge) this.frames.shift()
  }

  /**
   * Entity states at `time`, interpolated between the recorded ticks around it. An entity present in
   * only one of the two (spawned or removed in between) takes that one's state. Undefined if empty.
   */
  rewind(time: number): Rewound<S> | undefined {
    const f = this.frames
    if (f.length === 0 || Number.isNaN(time)) return undefined
    const oldest = f[0]!.time
    const newest = f[f.length - 1]!.time
    const at = Math.min(newest, Math.max(oldest, time))
    const clamped = at !== time
    let b = 0
    while (b < f.length - 1 && f[b]!.time < at) b++
    const to = f[b]!
    const from = f[Math.max(0, b - 1)]!
    const span = to.time - from.time
    const t = span > 0 ? (at - from.time) / span : 1
    const entities = new Map<number, S>()
    for (const [id, s] of to.entities) {
      const prev = from.entities.get(id)
      entities.set(id, prev ? lerpState(prev, s, t, this.angles) : s)
    }
    for (const [id, s] of from.entities) if (!entities.has(id)) entities.set(id, s)
    return { time: at, clamped, entities }
  }
}
