import { describe, expect, it } from 'vitest'
import { InterpolationBuffer } from '../../../shared/netcode/interpolation-buffer'
import { RenderClock } from '../../../shared/netcode/render-clock'
import { seededRandom } from '../../../shared/transport/random'

type Pos = { x: number }

describe('InterpolationBuffer', () => {
  it('interpolates between the snapshots around the render time', () => {
    const buf = new InterpolationBuffer<Pos>()
    buf.push(0, { x: 0 })
    buf.push(100, { x: 10 })
    expect(buf.sample(25)).toEqual({ state: { x: 2.5 }, mode: 'interpolate' })
    expect(buf.sample(100)).toEqual({ state: { x: 10 }, mode: 'interpolate' })
    expect(new InterpolationBuffer<Pos>().sample(0)).toBeUndefined()
  })

  it('inserts out-of-order snapshots in place and ignores duplicates, late and invalid ones', () => {
    const buf = new InterpolationBuffer<Pos>()
    // x = (t / 33)^2: the bracket chosen matters.
    expect(buf.push(0, { x: 0 })).toBe('inserted')
    expect(buf.push(66, { x: 4 })).toBe('inserted')
    expect(buf.push(33, { x: 1 })).toBe('inserted')
    expect(buf.push(33, { x: 1 })).toBe('duplicate')
    expect(buf.sample(50)!.state.x).toBeCloseTo(1 + 3 * (17 / 33), 9) // (33, 66), not (0, 66) = 3.03
    // The render point passed 33: the snapshot at 0 was trimmed, and anything older than 33 is useless.
    expect(buf.push(10, { x: 0.1 })).toBe('late')
    expect(buf.push(40, { x: Number.NaN })).toBe('invalid')
    expect(buf.push(Number.POSITIVE_INFINITY, { x: 1 })).toBe('invalid')
    expect(buf.stats).toEqual({ inserted: 3, duplicate: 1, late: 1, invalid: 2 })
    expect(buf.size).toBe(2)
  })

  it('extrapolates at most 250 ms past the newest snapshot, then holds', () => {
    const buf = new InterpolationBuffer<Pos>()
    buf.push(0, { x: 0 })
    buf.push(100, { x: 10 })
    expect(buf.sample(200)).toEqual({ state: { x: 20 }, mode: 'extrapolate' })
    expect(buf.sample(350)).toEqual({ state: { x: 35 }, mode: 'extrapolate' })
    expect(buf.sample(351)).toEqual({ state: { x: 35 }, mode: 'hold' })
    expect(buf.sample(5000)).toEqual({ state: { x: 35 }, mode: 'hold' })
    // A new snapshot resumes interpolation.
    buf.push(5100, { x: 50 })
    expect(buf.sample(5050)!.mode).toBe('interpolate')
  })

  it('interpolates and extrapolates angles the short way round, staying in [-PI, PI)', () => {
    const buf = new InterpolationBuffer<{ a: number }>({ angles: ['a'] })
    buf.push(0, { a: 3.0 })
    buf.push(100, { a: -3.0 }) // 0.283 rad apart across PI, not 6 rad apart across 0
    const mid = buf.sample(50)!.state.a
    expect(Math.abs(mid)).toBeGreaterThan(3.14)
    const later = buf.sample(200)!.state.a // extrapolated another 0.283 rad onward
    expect(later).toBeCloseTo(-3.0 + (2 * Math.PI - 6.0), 9)
    expect(later).toBeGreaterThanOrEqual(-Math.PI)
    expect(later).toBeLessThan(Math.PI)
  })

  it('drops the oldest beyond capacity', () => {
    const buf = new InterpolationBuffer<Pos>({ capacity: 4 })
    for (let i = 0; i < 10; i++) buf.push(i * 10, { x: i })
    expect(buf.size).toBe(4)
    expect(buf.sample(0)).toEqual({ state: { x: 6 }, mode: 'hold' })
  })
})

describe('RenderClock', () => {
  const INTERVAL = 1000 / 30

  it('renders two intervals behind the fastest arrival on a calm link', () => {
    const clock = new RenderClock({ intervalMs: INTERVAL })
    expect(clock.renderTime(0)).toBeNaN()
    // Local clock 1000 ms behind the server, 50 ms one way, no jitter.
    for (let i = 0; i < 60; i++) clock.onSnapshot(i * INTERVAL, i * INTERVAL - 1000 + 50)
    expect(clock.delayMs).toBeCloseTo(2 * INTERVAL, 9)
    expect(clock.jitterMs).toBeCloseTo(0, 9)
    const now = 60 * INTERVAL - 950
    expect(clock.renderTime(now)).toBeCloseTo(now + 1000 - 50 - 2 * INTERVAL, 6)
  })

  it('grows the delay with jitter, keeps interpolating, and slews without jumps', () => {
    const random = seededRandom(3)
    const clock = new RenderClock({ intervalMs: INTERVAL })
    const buf = new InterpolationBuffer<Pos>()
    // Snapshots of x = t / 100 sent every interval, arriving 50 ms + 0-20 ms later for 10 s, then 50 + 0-60 ms.
    const arrivals: { at: number; t: number }[] = []
    for (let i = 0; i < 600; i++) {
      const t = i * INTERVAL
      arrivals.push({ at: t + 50 + random() * (t < 10_000 ? 20 : 60), t })
    }
    arrivals.sort((a, b) => a.at - b.at)
    const FRAME = 1000 / 60
    let next = 0
    let calmDelay = 0
    let last = Number.NaN
    let minStep = Infinity
    let maxStep = 0
    const modes = { interpolate: 0, extrapolate: 0, hold: 0 }
    for (let now = 0; now < 20_000; now += FRAME) {
      while (next < arrivals.length && arrivals[next]!.at <= now) {
        const a = arrivals[next++]!
        clock.onSnapshot(a.t, now)
        buf.push(a.t, { x: a.t / 100 })
      }
      if (now > 9_900 && calmDelay === 0) calmDelay = clock.delayMs
      const r = clock.renderTime(now)
      const s = buf.sample(r)
      if (!s) continue
      if (now > 1000) {
        modes[s.mode]++
        expect(s.state.x).toBeCloseTo(r / 100, 9) // linear motion: interpolation is exact
        minStep = Math.min(minStep, r - last)
        maxStep = Math.max(maxStep, r - last)
      }
      last = r
    }
    console.log(`render-clock: delay ${calmDelay.toFixed(1)} ms at 20 ms jitter, ${clock.delayMs.toFixed(1)} ms at 60 ms jitter; frames`, modes)
    expect(calmDelay).toBeCloseTo(2 * INTERVAL, 6) // interval + 19 ms < 2 intervals
    expect(clock.delayMs).toBeGreaterThan(INTERVAL + 40)
    expect(clock.delayMs).toBeLessThan(INTERVAL + 60)
    expect(modes.hold).toBe(0)
    expect(modes.extrapolate).toBeLessThan(0.01 * modes.interpolate)
    // The render clock never ran more than 10% fast or slow.
    expect(minStep).toBeGreaterThanOrEqual(FRAME * 0.9 - 1e-9)
    expect(maxStep).toBeLessThanOrEqual(FRAME * 1.1 + 1e-9)
  })
})
