import { describe, expect, it } from 'vitest'
import { LossTracker } from '../../../shared/stats/loss-tracker'
import { SEQ_MOD } from '../../../shared/stats/sequence'
import { seededRandom } from '../../../shared/transport/random'

const WINDOW = 1024
const SETTLE = 16

/** Feeds `count` sequence numbers from `first` (wrapping at 16 bits), skipping those `drop` says. */
function feed(tracker: LossTracker, first: number, count: number, drop: (i: number) => boolean = () => false): Set<number> {
  const delivered = new Set<number>()
  for (let i = 0; i < count; i++) {
    if (drop(i)) continue
    const seq = (first + i) % SEQ_MOD
    if (!tracker.record(seq)) throw new Error(`${seq} refused as a duplicate`)
    delivered.add(seq)
  }
  return delivered
}

/** The loss the tracker should report: over its judged window (newest SETTLE excluded), `seen` numbers since the first. */
function expectedLoss(delivered: Set<number>, highest: number, seen = WINDOW): number {
  const span = Math.min(WINDOW, seen) - SETTLE
  let got = 0
  for (let i = SETTLE; i < SETTLE + span; i++) if (delivered.has((highest - i + SEQ_MOD) % SEQ_MOD)) got++
  return 1 - got / span
}

describe('LossTracker', () => {
  it('reports 0 with nothing lost', () => {
    const t = new LossTracker()
    expect(t.loss()).toBe(0)
    feed(t, 0, 5000)
    expect(t.loss()).toBe(0)
    expect(t.received).toBe(5000)
    expect([t.duplicates, t.late]).toEqual([0, 0])
  })

  it('measures 20% random loss over 10,000 sequence numbers as 0.2 ± 0.03, exactly what its window saw', () => {
    const t = new LossTracker()
    const random = seededRandom(2024)
    const delivered = feed(t, 0, 10_000, (i) => i > 0 && random() < 0.2)
    expect(t.loss()).toBeGreaterThan(0.17)
    expect(t.loss()).toBeLessThan(0.23)
    // Not just close: the exact share missing from the ~1,000 numbers it judges.
    expect(t.loss()).toBeCloseTo(expectedLoss(delivered, 9999), 12)
    expect(t.received).toBe(delivered.size)
  })

  it('wraps around at 65535 without seeing loss', () => {
    const t = new LossTracker()
    feed(t, 65_000, 2000)
    expect(t.loss()).toBe(0)
    expect(t.duplicates).toBe(0)
  })

  it('measures loss correctly across the wrap', () => {
    const t = new LossTracker()
    const delivered = feed(t, 65_200, 1500, (i) => i % 10 === 5)
    const highest = (65_200 + 1499) % SEQ_MOD
    expect(highest).toBeLessThan(65_200) // wrapped
    expect(t.loss()).toBeCloseTo(expectedLoss(delivered, highest), 12)
    expect(t.loss()).toBeCloseTo(0.1, 2)
  })

  it('ignores duplicates and counts them', () => {
    const t = new LossTracker()
    feed(t, 0, 100)
    expect(t.record(99)).toBe(false)
    expect(t.record(50)).toBe(false)
    expect(t.record(50)).toBe(false)
    expect(t.duplicates).toBe(3)
    expect(t.received).toBe(100)
    feed(t, 100, 1000)
    expect(t.loss()).toBe(0)
  })

  it('counts reordered arrivals as late, not lost', () => {
    const t = new LossTracker()
    t.record(0)
    // Then pairs swapped: 2, 1, 4, 3, ...
    for (let i = 1; i < 2000; i += 2) {
      expect(t.record(i + 1)).toBe(true)
      expect(t.record(i)).toBe(true)
    }
    expect(t.loss()).toBe(0)
    expect(t.late).toBe(1000)
    expect(t.duplicates).toBe(0)
    expect(t.received).toBe(2001)
  })

  it('cannot tell a number from before the first one it saw from an old duplicate', () => {
    const t = new LossTracker()
    t.record(1)
    expect(t.record(0)).toBe(false)
  })

  it('does not judge the newest numbers yet (they may be reordered)', () => {
    const t = new LossTracker()
    feed(t, 0, 2000)
    t.record(2000 + SETTLE - 1) // SETTLE - 1 missing just behind the newest
    expect(t.loss()).toBe(0)
    t.record(2000 + SETTLE + 5) // now some of those are old enough to count
    expect(t.loss()).toBeGreaterThan(0)
  })

  it('a late arrival repairs the loss it had been counted as', () => {
    const t = new LossTracker()
    feed(t, 0, 1000, (i) => i === 500)
    const before = t.loss()
    expect(before).toBeCloseTo(1 / (1000 - SETTLE), 12) // 1,000 seen so far, the newest SETTLE not judged
    expect(t.record(500)).toBe(true)
    expect(t.loss()).toBe(0)
    expect(t.late).toBe(1)
  })

  it('ignores a number older than its window', () => {
    const t = new LossTracker()
    feed(t, 0, 3000)
    expect(t.record(3000 - WINDOW - 1)).toBe(false)
    expect(t.received).toBe(3000)
  })

  it('a jump past the whole window counts everything in between as lost, then recovers', () => {
    const t = new LossTracker()
    feed(t, 0, 100)
    feed(t, 5000, 1)
    expect(t.loss()).toBe(1)
    feed(t, 5001, WINDOW)
    expect(t.loss()).toBe(0)
  })

  it('judges only what it has seen at the start of a stream', () => {
    const t = new LossTracker()
    const delivered = feed(t, 40_000, SETTLE) // nothing old enough to judge
    expect(t.loss()).toBe(0)
    for (const seq of feed(t, 40_000 + SETTLE, 100, (i) => i % 4 === 1)) delivered.add(seq)
    expect(t.loss()).toBeCloseTo(expectedLoss(delivered, 40_000 + SETTLE + 99, SETTLE + 100), 12)
    expect(t.loss()).toBeCloseTo(0.25, 1)
  })
})
