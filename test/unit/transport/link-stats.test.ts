import { afterEach, describe, expect, it } from 'vitest'
import { linkPair } from './link-pair'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

describe('Link stats under simulated conditions', () => {
  it('20% outgoing loss shows as ~20% loss.in at the receiver and, after pings, loss.out at the sender', async () => {
    const p = linkPair()
    cleanup = p.close
    p.client.setConditions({ outgoing: { loss: 0.2 } })
    let got = 0
    p.server.on('echo', () => got++)
    // 20 every 50 ms for 5 s: 2,000 messages (under the server's default receive budget).
    for (let i = 0; i < 100; i++) {
      for (let k = 0; k < 20; k++) p.client.send('echo', { seq: i * 20 + k })
      await p.advance(50)
    }
    await p.advance(600) // one more ping each way
    const atServer = p.server.stats()
    const atClient = p.client.stats()
    expect(atServer.loss.in).toBeGreaterThan(0.17)
    expect(atServer.loss.in).toBeLessThan(0.23)
    expect(atClient.loss.out).toBeGreaterThan(0.17)
    expect(atClient.loss.out).toBeLessThan(0.23)
    // The sender learns the receiver's figure (to 1/10,000; the client's own pings moved it a little since).
    expect(Math.abs(atClient.loss.out - atServer.loss.in)).toBeLessThan(0.01)
    // Nothing is lost the other way.
    expect(atClient.loss.in).toBe(0)
    expect(atServer.loss.out).toBe(0)
    expect(got / 2000).toBeCloseTo(1 - p.client.outgoing.dropped / (2000 + atClient.messagesOut.$ping!.totalMessages), 1)
    expect(p.client.outgoing.dropped).toBeGreaterThan(300)
  })

  it('incoming conditions impair what this end receives, and duplicates and late arrivals are counted', async () => {
    const p = linkPair()
    cleanup = p.close
    p.server.setConditions({ incoming: { duplicate: 0.1, reorder: 0.2, latencyMs: 5 } })
    const got: number[] = []
    p.server.on('echo', (d) => got.push(d.seq))
    for (let i = 0; i < 100; i++) {
      for (let k = 0; k < 10; k++) p.client.send('echo', { seq: i * 10 + k })
      await p.advance(10, 1)
    }
    await p.advance(200)
    const s = p.server.stats()
    // Every message once (duplicates dropped by sequence number), some out of order.
    expect(new Set(got).size).toBe(1000)
    expect(got.length).toBe(1000)
    expect(s.duplicatesIn).toBeGreaterThan(50)
    expect(s.lateIn).toBeGreaterThan(50)
    expect(got.some((seq, i) => i > 0 && seq < got[i - 1]!)).toBe(true)
    expect(s.loss.in).toBe(0)
  })

  it('reliable messages keep their order under jitter and loss settings', async () => {
    const p = linkPair()
    cleanup = p.close
    p.client.setConditions({ outgoing: { latencyMs: 20, jitterMs: 100, loss: 0.3, reorder: 0.5 } })
    const got: number[] = []
    p.server.on('chat', (d) => got.push(d.seq))
    for (let seq = 0; seq < 200; seq++) {
      p.client.send('chat', { seq, text: 'ordered' })
      if (seq % 10 === 0) await p.advance(5, 1)
    }
    await p.advance(500)
    expect(got).toEqual(Array.from({ length: 200 }, (_, i) => i))
  })

  it('counts unreliable messages too big for one packet', async () => {
    const p = linkPair()
    cleanup = p.close
    const sizes: number[] = []
    p.client.on('state', (d) => sizes.push(d.pad.byteLength))
    p.server.send('state', { seq: 1, sentAt: 0, pad: new Uint8Array(1000) }) // fits one packet
    p.server.send('state', { seq: 2, sentAt: 0, pad: new Uint8Array(1800) }) // split by SCTP: lost whole if a piece is lost
    await p.advance(10)
    expect(sizes).toEqual([1000, 1800])
    expect(p.server.stats().multiPacketOut).toBe(1)
    expect(p.client.stats().multiPacketOut).toBe(0)
  })

  it('RTT is the sum of both one-way latencies, measured at both ends', async () => {
    const p = linkPair()
    cleanup = p.close
    p.client.setConditions({ outgoing: { latencyMs: 20 } })
    p.server.setConditions({ outgoing: { latencyMs: 30 } })
    await p.advance(3000)
    for (const s of [p.client.stats(), p.server.stats()]) {
      expect(s.rtt.samples).toBeGreaterThanOrEqual(5)
      expect(s.rtt.last).toBe(50)
      expect(s.rtt.smoothed).toBe(50)
      expect([s.rtt.p50, s.rtt.p95]).toEqual([50, 50])
      expect(s.jitter).toBe(0)
    }
  })

  it('jitter shows in the RTT spread', async () => {
    const p = linkPair()
    cleanup = p.close
    p.client.setConditions({ outgoing: { latencyMs: 20, jitterMs: 40 } })
    await p.advance(20_000, 5)
    const s = p.client.stats()
    expect(s.rtt.p95).toBeGreaterThan(s.rtt.p50)
    expect(s.rtt.p50).toBeGreaterThanOrEqual(20)
    expect(s.rtt.p95).toBeLessThanOrEqual(65)
    expect(s.jitter).toBeGreaterThan(3)
  })
})
