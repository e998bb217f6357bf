import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../../shared/transport/clock'
import { LinkConditioner, type LinkConditions } from '../../../shared/transport/link-conditioner'
import { seededRandom } from '../../../shared/transport/random'

interface Delivery {
  id: number
  sentAt: number
  at: number
}

/**
 * Sends `count` packets, one every `intervalMs` of simulated time, through one path of a conditioner
 * and records when each arrives (packet id in its first two bytes).
 */
function run(conditions: LinkConditions, count: number, path: 'unreliable' | 'ordered', intervalMs = 1, seed = 1) {
  const clock = new ManualClock()
  const c = new LinkConditioner(clock, seededRandom(seed))
  c.set(conditions)
  const sentAt: number[] = []
  const got: Delivery[] = []
  const deliver = (b: Uint8Array) => {
    const id = b[0]! | (b[1]! << 8)
    got.push({ id, sentAt: sentAt[id]!, at: clock.now() })
  }
  for (let id = 0; id < count; id++) {
    sentAt[id] = clock.now()
    c[path](new Uint8Array([id & 0xff, id >> 8]), deliver)
    clock.advance(intervalMs)
  }
  clock.advance(10_000)
  return { got, conditioner: c, clock }
}

const inversions = (got: Delivery[]) => got.filter((d, i) => i > 0 && d.id < got[i - 1]!.id).length

describe('LinkConditioner', () => {
  it('is inactive, and delivers synchronously, when everything is zero', () => {
    const c = new LinkConditioner(new ManualClock(), seededRandom(1))
    expect(c.active).toBe(false)
    let delivered = 0
    c.unreliable(new Uint8Array(1), () => delivered++)
    expect(delivered).toBe(1)
    c.set({ latencyMs: 1 })
    expect(c.active).toBe(true)
  })

  it('clamps settings to their ranges', () => {
    const c = new LinkConditioner(new ManualClock())
    c.set({ latencyMs: -5, jitterMs: -1, loss: 2, duplicate: -0.5, reorder: 1.5 })
    expect(c.get()).toEqual({ latencyMs: 0, jitterMs: 0, loss: 1, duplicate: 0, reorder: 1 })
  })

  it('drops about the configured share, and counts each drop', () => {
    const { got, conditioner } = run({ loss: 0.2 }, 10_000, 'unreliable')
    expect(got.length / 10_000).toBeGreaterThan(0.78)
    expect(got.length / 10_000).toBeLessThan(0.82)
    expect(conditioner.dropped).toBe(10_000 - got.length)
    expect(new Set(got.map((d) => d.id)).size).toBe(got.length) // no duplicates without duplication
  })

  it('drops everything at loss 1', () => {
    const { got, conditioner } = run({ loss: 1 }, 100, 'unreliable')
    expect(got.length).toBe(0)
    expect(conditioner.dropped).toBe(100)
  })

  it('duplicates about the configured share', () => {
    const { got } = run({ duplicate: 0.1 }, 10_000, 'unreliable')
    const copies = new Map<number, number>()
    for (const d of got) copies.set(d.id, (copies.get(d.id) ?? 0) + 1)
    expect(copies.size).toBe(10_000)
    expect([...copies.values()].every((n) => n === 1 || n === 2)).toBe(true)
    const doubled = got.length - 10_000
    expect(doubled).toBeGreaterThan(900)
    expect(doubled).toBeLessThan(1100)
  })

  it('keeps unreliable delays within latency + jitter', () => {
    const { got } = run({ latencyMs: 50, jitterMs: 20 }, 2000, 'unreliable')
    const delays = got.map((d) => d.at - d.sentAt)
    expect(got.length).toBe(2000)
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(50)
    expect(Math.max(...delays)).toBeLessThanOrEqual(70)
    // Jitter is really applied: the delays spread over the range.
    expect(Math.min(...delays)).toBeLessThan(52)
    expect(Math.max(...delays)).toBeGreaterThan(68)
  })

  it('with latency alone keeps order; with reordering it does reorder, within 16-48 ms extra', () => {
    expect(inversions(run({ latencyMs: 30 }, 1000, 'unreliable', 5).got)).toBe(0)
    const { got } = run({ latencyMs: 30, reorder: 0.2 }, 1000, 'unreliable', 5)
    expect(got.length).toBe(1000)
    expect(inversions(got)).toBeGreaterThan(100)
    for (const d of got) {
      expect(d.at - d.sentAt).toBeGreaterThanOrEqual(30)
      expect(d.at - d.sentAt).toBeLessThanOrEqual(30 + 48)
    }
  })

  it('ordered() never reorders, however large the jitter, and delays by at least the latency', () => {
    const { got } = run({ latencyMs: 20, jitterMs: 200, loss: 0.5, duplicate: 0.5, reorder: 1 }, 2000, 'ordered')
    // Nothing lost or duplicated either: loss, duplication and reordering apply to unreliable traffic only.
    expect(got.map((d) => d.id)).toEqual(Array.from({ length: 2000 }, (_, i) => i))
    for (const d of got) {
      // The FIFO flushes entries due within 1 ms of its head together.
      expect(d.at - d.sentAt).toBeGreaterThanOrEqual(20 - 1)
    }
    // And it does add the jitter: some waited close to latency + jitter.
    expect(Math.max(...got.map((d) => d.at - d.sentAt))).toBeGreaterThan(150)
  })

  it('ordered() with latency alone delivers each packet exactly its latency later', () => {
    const { got } = run({ latencyMs: 40 }, 100, 'ordered', 3)
    expect(got.map((d) => d.at - d.sentAt)).toEqual(new Array(100).fill(40))
  })

  it('clear() cancels everything in flight, on both paths', () => {
    const clock = new ManualClock()
    const c = new LinkConditioner(clock, seededRandom(3))
    c.set({ latencyMs: 100, jitterMs: 10 })
    let delivered = 0
    for (let i = 0; i < 10; i++) {
      c.unreliable(new Uint8Array(1), () => delivered++)
      c.ordered(new Uint8Array(1), () => delivered++)
    }
    c.clear()
    clock.advance(1000)
    expect(delivered).toBe(0)
    // And it still works afterwards.
    c.ordered(new Uint8Array(1), () => delivered++)
    clock.advance(1000)
    expect(delivered).toBe(1)
  })

  it('is reproducible with the same seed', () => {
    const a = run({ latencyMs: 10, jitterMs: 30, loss: 0.1, duplicate: 0.05, reorder: 0.1 }, 500, 'unreliable', 2, 99).got
    const b = run({ latencyMs: 10, jitterMs: 30, loss: 0.1, duplicate: 0.05, reorder: 0.1 }, 500, 'unreliable', 2, 99).got
    expect(a).toEqual(b)
  })
})
