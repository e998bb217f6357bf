import { describe, expect, it } from 'vitest'
import { check, leastSquaresSlope } from '../../../tools/soak/checks'
import { Histogram } from '../../../tools/bots/histogram'

describe('soak checks', () => {
  it('finds a slow leak under a sawtooth (GC) that is larger than the leak', () => {
    // 0.5 MB/min of growth under a 5 MB sawtooth with a 10 s period, sampled once a second for 4 min.
    const saw = (i: number) => 5 * ((i % 10) / 10)
    const points = Array.from({ length: 240 }, (_, i) => ({ x: i / 60, y: 100 + 0.5 * (i / 60) + saw(i) }))
    expect(Math.abs(leastSquaresSlope(points) - 0.5)).toBeLessThan(0.1)
    expect(check(leastSquaresSlope(points), 0.3, '<').ok).toBe(false)
    const flat = points.map((_, i) => ({ x: i / 60, y: 100 + saw(i) }))
    expect(Math.abs(leastSquaresSlope(flat))).toBeLessThan(0.1)
  })

  it('has no slope from fewer than three samples', () => {
    expect(leastSquaresSlope([{ x: 0, y: 1 }, { x: 1, y: 2 }])).toBeNaN()
    expect(check(Number.NaN, 0.3, '<').ok).toBe(false)
  })

  it('reports informational checks as passing, with their figure', () => {
    expect(check(25, 20, '<', true)).toMatchObject({ ok: true, value: 25, informational: true })
    expect(check(1, 0, '<=')).toMatchObject({ ok: false, value: 1 })
    expect(check(0, 0, '==')).toMatchObject({ ok: true })
  })
})

describe('bots histogram', () => {
  it('gives percentiles within 2% and merges across processes', () => {
    const a = new Histogram()
    const b = new Histogram()
    for (let i = 1; i <= 1000; i++) (i % 2 ? a : b).add(i / 10)
    const all = new Histogram()
    all.merge(a.toJSON())
    all.merge(JSON.parse(JSON.stringify(b.take())) as ReturnType<Histogram['take']>)
    expect(all.count).toBe(1000)
    expect(b.count).toBe(0)
    expect(all.quantile(0.5) / 50).toBeCloseTo(1, 1)
    expect(Math.abs(all.quantile(0.99) / 99 - 1)).toBeLessThan(0.02)
    expect(all.mean()).toBeCloseTo(50.05, 5)
    expect(new Histogram().quantile(0.5)).toBeNaN()
  })
})
