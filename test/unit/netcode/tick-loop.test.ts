import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../../shared/transport/clock'
import { seededRandom } from '../../../shared/transport/random'
import { TickLoop, type TickLoopOptions } from '../../../shared/netcode/tick-loop'
import { runTickLoop } from '../../../shared/netcode/tick-runner'

/**
 * Drives a loop the way a real timer would: wake at the due time plus drift, and let each tick
 * consume simulated time (`cost`), so a slow tick delays the next wake.
 */
function simulate(seconds: number, seed: number, cost: (tick: number) => number, opts: Partial<TickLoopOptions> = {}) {
  const random = seededRandom(seed)
  let now = 0
  const perAdvance: number[] = []
  const loop = new TickLoop({
    tickRate: 30,
    maxCatchUpTicks: 4,
    ...opts,
    onTick(tick) {
      now += cost(tick)
    },
  })
  let lastAdvanceAt = 0
  // 1 ms past the last due tick, so float rounding of 1800 * (1000 / 30) cannot decide the count.
  const end = seconds * 1000 + 1
  for (;;) {
    lastAdvanceAt = Math.min(now, end)
    perAdvance.push(loop.advance(lastAdvanceAt))
    if (lastAdvanceAt === end) break
    // Timers fire late: usually by 0-4 ms, 2% of the time by 20-60 ms (GC pause, busy event loop).
    const drift = random() < 0.02 ? 20 + random() * 40 : random() * 4
    now = Math.max(now, loop.nextTickAt! + drift)
  }
  return { loop, perAdvance, lastAdvanceAt }
}

describe('TickLoop', () => {
  it('keeps 30 Hz over a simulated minute despite timer drift (exactly 1801 ticks in [0, 60 s], none dropped)', () => {
    const { loop, perAdvance } = simulate(60, 1, () => 1)
    // Ticks at 0, 33.3, ..., 60 000 ms: 1801. Drift never pushes a wake a full tick late past the catch-up cap.
    expect(loop.stats.ticks).toBe(1801)
    expect(loop.stats.droppedTicks).toBe(0)
    expect(Math.max(...perAdvance)).toBeLessThanOrEqual(4)
    // Late wakes were caught up (some advances ran 2+ ticks), not turned into a slower rate.
    expect(perAdvance.some((n) => n >= 2)).toBe(true)
  })

  it('recovers from injected slow ticks: tick count within 40 of 1800, never more than maxCatchUpTicks per advance', () => {
    // Every 250th tick takes 250 ms (7.5 tick periods).
    const { loop, perAdvance, lastAdvanceAt } = simulate(60, 2, (tick) => (tick % 250 === 249 ? 250 : 1))
    const { ticks, droppedTicks, overruns, maxTicksPerAdvance } = loop.stats
    const slots = Math.floor(lastAdvanceAt / loop.dtMs) + 1
    // Every schedule slot up to the last advance was either run or dropped: nothing silently lost or doubled.
    expect(ticks + droppedTicks).toBe(slots)
    expect(slots).toBeGreaterThanOrEqual(1800)
    expect(Math.abs(ticks - 1800)).toBeLessThanOrEqual(40)
    expect(droppedTicks).toBeGreaterThan(0)
    expect(overruns).toBeGreaterThanOrEqual(7)
    expect(maxTicksPerAdvance).toBe(4)
    expect(Math.max(...perAdvance)).toBeLessThanOrEqual(4)
    console.log(`tick-loop slow ticks: ${ticks} ticks, ${droppedTicks} dropped in ${overruns} overruns over 60 s`)
  })

  it('does not spiral under sustained overload, and is back on schedule afterwards', () => {
    // Ticks 300-389 each cost 45 ms (> 33.3 ms budget): the loop cannot keep up, by construction.
    const { loop, perAdvance, lastAdvanceAt } = simulate(20, 3, (tick) => (tick >= 300 && tick < 390 ? 45 : 1), { maxCatchUpTicks: 3 })
    expect(Math.max(...perAdvance)).toBeLessThanOrEqual(3)
    expect(loop.stats.droppedTicks).toBeGreaterThan(0)
    // After the overload the remaining ~14 s run at full rate: the loop is at most one tick period behind.
    expect(loop.nextTickAt! - lastAdvanceAt).toBeGreaterThan(0)
    expect(loop.nextTickAt! - lastAdvanceAt).toBeLessThanOrEqual(loop.dtMs)
    const slots = Math.floor(lastAdvanceAt / loop.dtMs) + 1
    expect(loop.stats.ticks + loop.stats.droppedTicks).toBe(slots)
  })

  it('passes the fixed step and calls onSnapshot every snapshotEvery ticks', () => {
    const ticks: number[] = []
    const dts = new Set<number>()
    const snaps: number[] = []
    const loop = new TickLoop({
      tickRate: 60,
      snapshotEvery: 3,
      onTick: (tick, dt) => {
        ticks.push(tick)
        dts.add(dt)
      },
      onSnapshot: (tick) => snaps.push(tick),
    })
    expect(loop.advance(0)).toBe(1)
    expect(loop.advance(10)).toBe(0)
    expect(loop.advance(101)).toBe(4) // due: 16.7, 33.3, 50, 66.7, 83.3, 100 -> 4 run, 2 dropped
    expect(loop.stats.droppedTicks).toBe(2)
    expect(loop.nextTickAt).toBeCloseTo(116.67, 2)
    expect(ticks).toEqual([0, 1, 2, 3, 4])
    expect([...dts]).toEqual([1000 / 60])
    expect(snaps).toEqual([0, 3])
  })

  it('runs on a Clock through runTickLoop', () => {
    const clock = new ManualClock()
    let count = 0
    const loop = new TickLoop({ tickRate: 30, onTick: () => count++ })
    const runner = runTickLoop(loop, clock)
    clock.advance(1010)
    expect(count).toBe(31)
    runner.stop()
    clock.advance(1000)
    expect(count).toBe(31)
    expect(loop.stats.droppedTicks).toBe(0)
  })
})
