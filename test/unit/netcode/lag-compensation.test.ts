import { describe, expect, it } from 'vitest'
import { LagCompensation } from '../../../shared/netcode/lag-compensation'

type E = { x: number; a: number }
const frame = (entries: [number, E][]) => new Map(entries)

describe('LagCompensation', () => {
  it('rewinds to a past time by interpolating the recorded ticks around it', () => {
    const lag = new LagCompensation<E>({ angles: ['a'] })
    for (let tick = 0; tick <= 30; tick++) lag.record(tick * 33, frame([[1, { x: tick, a: tick % 2 ? 3.1 : -3.1 }]]))
    const r = lag.rewind(10 * 33 + 11)!
    expect(r.clamped).toBe(false)
    expect(r.entities.get(1)!.x).toBeCloseTo(10 + 1 / 3, 12)
    // -3.1 -> 3.1 the short way: through PI, not through 0.
    expect(Math.abs(r.entities.get(1)!.a)).toBeGreaterThan(3.1)
  })

  it('handles entities spawned or removed between ticks, and clamps to the history', () => {
    const lag = new LagCompensation<E>()
    lag.record(100, frame([[1, { x: 0, a: 0 }], [2, { x: 5, a: 0 }]]))
    lag.record(200, frame([[1, { x: 10, a: 0 }], [3, { x: 7, a: 0 }]]))
    const r = lag.rewind(150)!
    expect([...r.entities.keys()].sort()).toEqual([1, 2, 3])
    expect(r.entities.get(1)!.x).toBe(5)
    expect(r.entities.get(2)!.x).toBe(5)
    expect(r.entities.get(3)!.x).toBe(7)
    expect(lag.rewind(50)).toMatchObject({ time: 100, clamped: true })
    expect(lag.rewind(900)).toMatchObject({ time: 200, clamped: true })
    expect(new LagCompensation<E>().rewind(0)).toBeUndefined()
  })

  it('keeps a bounded history: nothing older than maxAgeMs behind the newest', () => {
    const lag = new LagCompensation<E>({ maxAgeMs: 500 })
    for (let tick = 0; tick < 300; tick++) lag.record(tick * 33, frame([[1, { x: tick, a: 0 }]]))
    expect(lag.size).toBe(16) // 500 / 33 + the boundary tick
    const r = lag.rewind(0)!
    expect(r.clamped).toBe(true)
    expect(r.time).toBeGreaterThanOrEqual(299 * 33 - 500)
    lag.record(5, frame([])) // older than the newest: ignored
    expect(lag.size).toBe(16)
  })
})
