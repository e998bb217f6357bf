import { describe, expect, it } from 'vitest'
import { TrafficCounters } from '../../../shared/stats/traffic-counters'

describe('TrafficCounters', () => {
  it('has no rates until the first interval closes', () => {
    const c = new TrafficCounters(0)
    c.add('chat', 10)
    expect(c.snapshot()).toEqual({})
    expect(c.sum()).toEqual({ messagesPerSec: 0, bytesPerSec: 0, totalMessages: 0, totalBytes: 0 })
  })

  it('rates are per second over the interval; totals keep growing', () => {
    const c = new TrafficCounters(1000)
    for (let i = 0; i < 10; i++) c.add('chat', 50)
    c.add('state', 400)
    c.tick(3000) // 2 s
    expect(c.snapshot()).toEqual({
      chat: { messagesPerSec: 5, bytesPerSec: 250, totalMessages: 10, totalBytes: 500 },
      state: { messagesPerSec: 0.5, bytesPerSec: 200, totalMessages: 1, totalBytes: 400 },
    })
    for (let i = 0; i < 4; i++) c.add('chat', 25)
    c.tick(3500) // 0.5 s: only what came since the last tick counts
    expect(c.snapshot().chat).toEqual({ messagesPerSec: 8, bytesPerSec: 200, totalMessages: 14, totalBytes: 600 })
    expect(c.snapshot().state).toEqual({ messagesPerSec: 0, bytesPerSec: 0, totalMessages: 1, totalBytes: 400 })
    expect(c.sum()).toEqual({ messagesPerSec: 8, bytesPerSec: 200, totalMessages: 15, totalBytes: 1000 })
  })

  it('a tick with no time elapsed gives finite rates', () => {
    const c = new TrafficCounters(0)
    c.add('x', 1)
    c.tick(0)
    const r = c.snapshot().x!
    expect(Number.isFinite(r.messagesPerSec)).toBe(true)
    expect(r.totalMessages).toBe(1)
  })

  it('snapshot is a copy', () => {
    const c = new TrafficCounters(0)
    c.add('x', 1)
    c.tick(1000)
    const snap = c.snapshot()
    delete snap.x
    expect(c.snapshot().x?.totalMessages).toBe(1)
  })
})
