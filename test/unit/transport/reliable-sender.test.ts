import { describe, expect, it } from 'vitest'
import { memoryPipePair } from '../../../shared/transport/memory-pipe'
import type { DataPipe } from '../../../shared/transport/pipe'
import { ReliableSender } from '../../../shared/transport/reliable-sender'

/** Lets queued microtasks (memory pipe deliveries) run. */
const flush = () => new Promise<void>((r) => setImmediate(r))

/** A memory pipe pair whose sending end records the channel's buffer at each send. */
function pipes() {
  const [a, b] = memoryPipePair()
  const received: Uint8Array[] = []
  b.onMessage((f) => {
    if (typeof f !== 'string') received.push(f)
  })
  let maxBuffered = 0
  const watched: DataPipe = {
    maxMessageSize: a.maxMessageSize,
    send(bytes) {
      a.send(bytes)
      maxBuffered = Math.max(maxBuffered, a.bufferedAmount())
    },
    bufferedAmount: () => a.bufferedAmount(),
    onBufferedAmountLow: (threshold, onLow) => a.onBufferedAmountLow(threshold, onLow),
    onMessage: (h) => a.onMessage(h),
  }
  return { pipe: watched, received, maxBuffered: () => maxBuffered }
}

const chunk = (n: number, size: number) => new Uint8Array(size).fill(n & 0xff)

describe('ReliableSender over a memory pipe', () => {
  it('delivers everything, in order', async () => {
    const { pipe, received } = pipes()
    const s = new ReliableSender(pipe, { channelHighWater: 1000, maxQueuedBytes: 1 << 20 })
    for (let i = 0; i < 500; i++) s.enqueue([chunk(i, 1 + (i % 7) * 50)])
    await s.drained()
    await flush()
    expect(received.length).toBe(500)
    received.forEach((c, i) => {
      expect(c.byteLength).toBe(1 + (i % 7) * 50)
      expect(c[0]).toBe(i & 0xff)
    })
  })

  it('keeps the channel buffer near its high water; the rest queues, then drains', async () => {
    const { pipe, received, maxBuffered } = pipes()
    const s = new ReliableSender(pipe, { channelHighWater: 100, maxQueuedBytes: 10_000 })
    // All of one message: sent until the channel holds 100 bytes, the rest waits here.
    expect(s.enqueue(Array.from({ length: 20 }, (_, i) => chunk(i, 50)))).toBe(false)
    expect(pipe.bufferedAmount()).toBe(100)
    expect(s.pendingBytes).toBe(1000)
    expect(s.canAccept(9000)).toBe(true)
    expect(s.canAccept(9101)).toBe(false) // 900 queued here, 100 in the channel
    // More sends while backed up only grow the queue.
    expect(s.enqueue([chunk(20, 50)])).toBe(false)
    expect(s.pendingBytes).toBe(1050)

    let drained = false
    void s.drained().then(() => (drained = true))
    await Promise.resolve()
    expect(drained).toBe(false)
    await flush()
    expect(drained).toBe(true)
    expect(s.pendingBytes).toBe(0)
    expect(received.map((c) => c[0])).toEqual(Array.from({ length: 21 }, (_, i) => i))
    expect(maxBuffered()).toBeLessThanOrEqual(100 + 50)
  })

  it('returns true and resolves drained() at once when nothing waits', async () => {
    const { pipe } = pipes()
    const s = new ReliableSender(pipe, { channelHighWater: 1000, maxQueuedBytes: 10_000 })
    expect(s.enqueue([chunk(1, 10)])).toBe(true)
    let resolved = false
    void s.drained().then(() => (resolved = true))
    await Promise.resolve()
    expect(resolved).toBe(true)
  })

  it('canAccept compares against the queue cap', () => {
    const { pipe } = pipes()
    const s = new ReliableSender(pipe, { channelHighWater: 10, maxQueuedBytes: 500 })
    expect(s.canAccept(500)).toBe(true)
    expect(s.canAccept(501)).toBe(false)
    s.enqueue([chunk(0, 10), chunk(1, 300)]) // the first fills the channel, 300 queue
    expect(s.canAccept(200)).toBe(true)
    expect(s.canAccept(201)).toBe(false)
  })

  it('clear() drops the queue and releases drained() waiters', async () => {
    const { pipe, received } = pipes()
    const s = new ReliableSender(pipe, { channelHighWater: 10, maxQueuedBytes: 10_000 })
    s.enqueue([chunk(0, 10), chunk(1, 10), chunk(2, 10)])
    let resolved = false
    void s.drained().then(() => (resolved = true))
    s.clear()
    await flush()
    expect(resolved).toBe(true)
    expect(received.map((c) => c[0])).toEqual([0])
    expect(s.canAccept(10_000)).toBe(true)
  })

  it('copes with a long queue (more than its compaction threshold)', async () => {
    const { pipe, received } = pipes()
    const s = new ReliableSender(pipe, { channelHighWater: 64, maxQueuedBytes: 1 << 20 })
    s.enqueue(Array.from({ length: 5000 }, (_, i) => chunk(i, 4)))
    await s.drained()
    await flush()
    expect(received.length).toBe(5000)
    expect(received.every((c, i) => c[0] === (i & 0xff))).toBe(true)
  })
})
