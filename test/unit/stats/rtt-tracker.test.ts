import { describe, expect, it } from 'vitest'
import { RttTracker } from '../../../shared/stats/rtt-tracker'

describe('RttTracker', () => {
  it('starts empty', () => {
    const r = new RttTracker()
    expect([r.smoothed, r.last, r.jitter, r.count, r.percentile(50), r.percentile(95)]).toEqual([0, 0, 0, 0, 0, 0])
  })

  it('takes the first sample as is, then smooths with a gain of 1/8', () => {
    const r = new RttTracker()
    r.add(100)
    expect([r.smoothed, r.jitter, r.last]).toEqual([100, 0, 100])
    r.add(200)
    expect(r.smoothed).toBe(112.5)
    expect(r.last).toBe(200)
    r.add(200)
    expect(r.smoothed).toBeCloseTo(112.5 + 87.5 / 8, 12)
  })

  it('jitter follows the change between consecutive samples, with a gain of 1/16', () => {
    const r = new RttTracker()
    r.add(100)
    r.add(200) // |200 - 100| = 100
    expect(r.jitter).toBe(100 / 16)
    r.add(200) // no change: decays
    expect(r.jitter).toBeCloseTo((100 / 16) * (15 / 16), 12)
    const steady = new RttTracker()
    for (let i = 0; i < 100; i++) steady.add(50)
    expect(steady.jitter).toBe(0)
    const alternating = new RttTracker()
    for (let i = 0; i < 500; i++) alternating.add(i % 2 ? 60 : 40)
    expect(alternating.jitter).toBeCloseTo(20, 6) // converges to the step size
    expect(alternating.smoothed).toBeGreaterThan(45)
    expect(alternating.smoothed).toBeLessThan(55)
  })

  it('p50 and p95 come from the last 64 samples only', () => {
    const r = new RttTracker()
    for (let i = 1; i <= 100; i++) r.add(i)
    // Kept: 37..100, sorted.
    expect(r.percentile(50)).toBe(37 + 32)
    expect(r.percentile(95)).toBe(37 + Math.floor(0.95 * 64))
    expect(r.percentile(0)).toBe(37)
    expect(r.percentile(100)).toBe(100)
    expect(r.count).toBe(100)
  })

  it('percentiles do not depend on arrival order', () => {
    const a = new RttTracker()
    const b = new RttTracker()
    const values = Array.from({ length: 40 }, (_, i) => (i * 37) % 101)
    for (const v of values) a.add(v)
    for (const v of [...values].reverse()) b.add(v)
    expect(a.percentile(50)).toBe(b.percentile(50))
    expect(a.percentile(95)).toBe(b.percentile(95))
  })

  it('ignores negative, NaN and infinite samples', () => {
    const r = new RttTracker()
    r.add(30)
    for (const bad of [-1, NaN, Infinity, -Infinity]) r.add(bad)
    expect([r.count, r.smoothed, r.last, r.jitter, r.percentile(50)]).toEqual([1, 30, 30, 0, 30])
    r.add(0)
    expect(r.count).toBe(2)
  })
})
