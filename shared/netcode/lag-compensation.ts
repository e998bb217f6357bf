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

/** How far back the server lets one client's view reach, from what the server measured for it. */
export interface RewindAllowance {
  /** The client's round trip as the server measured it, ms. */
  rttMs: number
  /** How far behind the newest snapshot the client draws (its render delay), ms. */
  interpolationMs: number
  /** Slack for jitter and input sampling, ms. */
  marginMs: number
}

/**
 * Clamps a client's claimed render time into what an honest client could have drawn when its packet
 * reached the server at `receivedAt`: no further back than round trip + render delay + margin, never
 * after `receivedAt` (the future is not a view anyone had). Not finite: no rewind at all.
 */
export function clampRenderTime(claimed: number, receivedAt: number, a: RewindAllowance): { time: number; clamped: boolean } {
  if (!Number.isFinite(claimed)) return { time: receivedAt, clamped: true }
  const reach = Math.max(0, a.rttMs) + Math.max(0, a.interpolationMs) + Math.max(0, a.marginMs)
  const time = Math.min(receivedAt, Math.max(receivedAt - reach, claimed))
  return { time, clamped: time !== claimed }
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

  /**
   * Rewind, test, restore: runs `test` on the entity states at `time` and returns its result. The
   * rewound world is a copy, so the live game is never moved and there is nothing to put back; a
   * game whose hit test runs on its own structures (a physics engine) passes `place`, which moves
   * them to the rewound states and returns the undo; the undo runs even if the test throws.
   */
  hitTest<R>(time: number, test: (world: ReadonlyMap<number, S>, time: number) => R, place?: (world: ReadonlyMap<number, S>) => () => void): { result: R; rewound: Rewound<S> } | undefined {
    const rewound = this.rewind(time)
    if (!rewound) return undefined
    const undo = place?.(rewound.entities)
    try {
      return { result: test(rewound.entities, rewound.time), rewound }
    } finally {
      undo?.()
    }
  }
}
