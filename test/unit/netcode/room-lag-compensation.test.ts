/**
 * Defect: a client's renderTime was accepted up to 1 s back, and one future value was pinned by
 * Math.max. Now the reach is the server-measured round trip + render delay + margin, on simulated time.
 */
import { describe, expect, it } from 'vitest'
import { RoomLagCompensation, type MeasuredConnection } from '../../../server/netcode/room-lag-compensation'
import { clampRenderTime, LagCompensation } from '../../../shared/netcode/lag-compensation'
import { ManualClock } from '../../../shared/transport/clock'

type E = { x: number }
const TICK = 33

/** A connection whose measured round trip is `rttMs` (what the link's pings measured). */
const conn = (id: string, rttMs: number): MeasuredConnection => ({ id, stats: () => ({ rtt: { smoothed: rttMs, last: rttMs, p95: rttMs, samples: 10 } }) })

/** 3 s of ticks where entity 1 sits at x = the tick's time, so a rewound x reads back the time used. */
function recorded(clock: ManualClock, options = {}) {
  const lag = new RoomLagCompensation<E>(clock, TICK, options)
  for (let t = 0; t <= 3000; t += TICK) {
    clock.advance(t - clock.now())
    lag.history.record(t, new Map([[1, { x: t }]]))
  }
  return lag
}

describe('clampRenderTime', () => {
  const a = { rttMs: 100, interpolationMs: 66, marginMs: 50 }
  it('keeps an honest claim, pulls an old one to rtt + delay + margin, and never goes past the arrival', () => {
    expect(clampRenderTime(1000 - 150, 1000, a)).toEqual({ time: 850, clamped: false })
    expect(clampRenderTime(0, 1000, a)).toEqual({ time: 1000 - 216, clamped: true })
    expect(clampRenderTime(5000, 1000, a)).toEqual({ time: 1000, clamped: true })
    expect(clampRenderTime(Number.NaN, 1000, a)).toEqual({ time: 1000, clamped: true })
    expect(clampRenderTime(-Infinity, 1000, a)).toEqual({ time: 1000, clamped: true })
  })
})

describe('RoomLagCompensation', () => {
  it('an old claim reaches back only the measured round trip + render delay + margin', () => {
    const clock = new ManualClock()
    const lag = recorded(clock)
    const now = clock.now()
    const c = conn('a', 80)
    lag.report(c.id, now - 1000) // claims 1 s back
    const r = lag.rewind(c)!
    expect(r.clamped).toBe(true)
    // 80 ms rtt + 66 ms (2 intervals) + 50 ms margin.
    expect(r.time).toBeCloseTo(now - 196, 6)
    expect(r.entities.get(1)!.x).toBeCloseTo(now - 196, 6)
    // A client with a longer measured round trip may reach further, never the 1 s it claims.
    const far = conn('b', 300)
    lag.report(far.id, now - 1000)
    expect(lag.rewind(far)!.time).toBeCloseTo(now - 416, 6)
  })

  it('a future claim is the present, and does not stick: the next honest claim is used', () => {
    const clock = new ManualClock()
    const lag = recorded(clock)
    const c = conn('a', 40)
    lag.report(c.id, clock.now() + 10_000)
    const r = lag.hitTest(c, undefined, (world) => world.get(1)!.x)!
    expect(r).toMatchObject({ clamped: true, claimed: clock.now() + 10_000 })
    expect(r.time).toBeLessThanOrEqual(clock.now())
    const honest = clock.now() - 100
    lag.report(c.id, honest)
    expect(lag.hitTest(c, undefined, (world) => world.get(1)!.x)).toMatchObject({ clamped: false, time: honest, result: honest })
  })

  it('the reach is measured from when the claim arrived, so a hit test a few ticks later still honours it', () => {
    const clock = new ManualClock()
    const lag = recorded(clock)
    const c = conn('a', 50)
    const heardAt = clock.now()
    lag.report(c.id, heardAt - 150)
    clock.advance(3 * TICK) // the input waited in the jitter buffer
    expect(lag.viewTime(c)).toMatchObject({ clamped: false, time: heardAt - 150 })
  })

  it('an explicit claim (sent with a shot) is clamped against now; the default reach follows the snapshot interval', () => {
    const clock = new ManualClock()
    const lag = recorded(clock, { marginMs: 10, interpolationMs: 100 })
    const c = conn('a', 20)
    const now = clock.now()
    expect(lag.hitTest(c, now - 500, (w) => w.get(1)!.x)).toMatchObject({ clamped: true, time: now - 130 })
    expect(lag.hitTest(c, now - 120, (w) => w.get(1)!.x)).toMatchObject({ clamped: false, result: now - 120 })
    // Nothing reported and no claim: no view to rewind to.
    expect(lag.hitTest(conn('nobody', 20), undefined, () => true)).toBeUndefined()
  })

  it('hitTest rewinds, tests, and restores what `place` moved, even when the test throws', () => {
    const clock = new ManualClock()
    const lag = recorded(clock)
    const c = conn('a', 20)
    const live = new Map([[1, { x: -1 }]])
    const place = (world: ReadonlyMap<number, E>) => {
      const saved = new Map(live)
      for (const [id, e] of world) live.set(id, e)
      return () => {
        live.clear()
        for (const [id, e] of saved) live.set(id, e)
      }
    }
    const seen = lag.hitTest(c, clock.now() - 60, () => live.get(1)!.x, place)!
    expect(seen.result).toBe(clock.now() - 60)
    expect(live.get(1)!.x).toBe(-1)
    expect(() =>
      lag.hitTest(c, clock.now() - 60, () => {
        throw new Error('game bug')
      }, place),
    ).toThrow('game bug')
    expect(live.get(1)!.x).toBe(-1)
  })

  it('forgets a client', () => {
    const clock = new ManualClock()
    const lag = recorded(clock)
    lag.report('a', clock.now())
    lag.forget('a')
    expect(lag.reported('a')).toBeUndefined()
    expect(new LagCompensation<E>().hitTest(0, () => 1)).toBeUndefined()
  })
})
