import { LagCompensation, clampRenderTime, type LagCompensationOptions, type Rewound } from '../../shared/netcode/lag-compensation'
import type { NumericState } from '../../shared/netcode/lerp'
import type { Clock } from '../../shared/transport/clock'

/** NetRoom's `lagCompensation` option: the history, and how far one client may reach back. */
export interface RoomLagCompensationOptions extends LagCompensationOptions {
  /** The render delay an honest client draws at, ms. Default 2 snapshot intervals (RenderClock's floor). */
  interpolationMs?: number
  /** Slack on top of round trip + render delay (jitter, input sampling), ms. Default 50. */
  marginMs?: number
}

/** What a hit test used: the client's claim, the time after the clamp, and the outcome. */
export interface HitTest<R> {
  result: R
  /** The server time the world was rewound to. */
  time: number
  /** The render time the client claimed (or reported in its last input). */
  claimed: number
  /** True if the claim was outside what the server measured for this client, or outside the history. */
  clamped: boolean
}

/** A connection as lag compensation sees it: an id and the round trip the server measured. */
export interface MeasuredConnection {
  readonly id: string
  stats(): { rtt: { smoothed: number; last: number; p95: number; samples: number } }
}

interface Report {
  renderTime: number
  receivedAt: number
}

/**
 * Per-room lag compensation (`room.lagCompensation`): the recorded ticks plus, per client, the
 * render time its latest input reported. A client's claim is never trusted as is: it is clamped to
 * its measured round trip + render delay + margin before the moment the server heard it, and never
 * into the future.
 */
export class RoomLagCompensation<S extends NumericState> {
  readonly history: LagCompensation<S>
  private readonly reports = new Map<string, Report>()
  private readonly interpolationMs: number
  private readonly marginMs: number
  /** Claims that had to be clamped (a slow estimate, or a client reaching where it may not). */
  clampedClaims = 0

  constructor(
    private readonly clock: Clock,
    snapshotIntervalMs: number,
    options: RoomLagCompensationOptions = {},
  ) {
    this.history = new LagCompensation(options)
    this.interpolationMs = options.interpolationMs ?? 2 * snapshotIntervalMs
    this.marginMs = options.marginMs ?? 50
  }

  /** A netInput's render time, heard now. The latest one counts (reordering only moves it within the allowed window). */
  report(connId: string, renderTime: number): void {
    this.reports.set(connId, { renderTime, receivedAt: this.clock.now() })
  }

  forget(connId: string): void {
    this.reports.delete(connId)
  }

  /** The render time `conn` last reported, as it arrived (undefined before its first input). */
  reported(connId: string): number | undefined {
    return this.reports.get(connId)?.renderTime
  }

  /**
   * The server time `conn`'s view may be rewound to: `claimed` (a render time the client sent with
   * a shot, heard now) or, without it, the one its latest input reported, clamped to the client's
   * measured round trip + render delay + margin. Undefined if the client reported nothing yet.
   */
  viewTime(conn: MeasuredConnection, claimed?: number): { time: number; claimed: number; clamped: boolean } | undefined {
    const report: Report | undefined = claimed === undefined ? this.reports.get(conn.id) : { renderTime: claimed, receivedAt: this.clock.now() }
    if (!report) return undefined
    const rtt = conn.stats().rtt
    // The high end of what was measured: an honest client on a jittery link must not be clamped.
    const rttMs = rtt.samples > 0 ? Math.max(rtt.smoothed, rtt.last, rtt.p95) : 0
    const { time, clamped } = clampRenderTime(report.renderTime, report.receivedAt, { rttMs, interpolationMs: this.interpolationMs, marginMs: this.marginMs })
    if (clamped) this.clampedClaims++
    return { time, claimed: report.renderTime, clamped }
  }

  /** Entity states as `conn`'s player saw them (see `viewTime`). */
  rewind(conn: MeasuredConnection, claimed?: number): Rewound<S> | undefined {
    const view = this.viewTime(conn, claimed)
    const r = view && this.history.rewind(view.time)
    return r && { ...r, clamped: r.clamped || view.clamped }
  }

  /**
   * Rewind to `conn`'s view, run `test` on that world, restore. `renderTime`: what the client claims
   * it drew at (e.g. sent with its shot); undefined: the one its latest input reported. See
   * `LagCompensation.hitTest` for `place` (games that test on their own structures). Undefined
   * before the client reported a render time or before the first tick.
   */
  hitTest<R>(
    conn: MeasuredConnection,
    renderTime: number | undefined,
    test: (world: ReadonlyMap<number, S>, time: number) => R,
    place?: (world: ReadonlyMap<number, S>) => () => void,
  ): HitTest<R> | undefined {
    const view = this.viewTime(conn, renderTime)
    const run = view && this.history.hitTest(view.time, test, place)
    return run && { result: run.result, time: run.rewound.time, claimed: view.claimed, clamped: view.clamped || run.rewound.clamped }
  }
}
