import { afterEach, describe, expect, it } from 'vitest'
import { flush, linkPair, watch } from './link-pair'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

describe('Link lifecycle: heartbeat, goodbye, overflow', () => {
  it('stays open while both ends ping', async () => {
    const p = linkPair()
    cleanup = p.close
    await p.advance(20_000, 50)
    expect(p.server.closed).toBe(false)
    expect(p.client.closed).toBe(false)
  })

  it('closes with timeout when the peer goes silent', async () => {
    const p = linkPair()
    cleanup = p.close
    const seen = watch(p.server)
    await p.advance(2000, 50)
    p.client.close('closed', '', false) // stops pinging without a word
    const silentAt = p.clock.now()
    await p.advance(4900, 50)
    expect(p.server.closed).toBe(false)
    await p.advance(1000, 50)
    expect(p.server.closed).toBe(true)
    expect(seen.closes).toHaveLength(1)
    expect(seen.closes[0]![0]).toBe('timeout')
    // Closed within one ping interval of the 5 s timeout (the last thing heard was at or just before silentAt).
    expect(p.clock.now() - silentAt).toBeGreaterThan(5000)
    expect(seen.closes[0]![1]).toMatch(/^nothing heard for 5\d\d\d ms$/)
  })

  it('uses the configured timeout', async () => {
    const p = linkPair({ server: { timeoutMs: 1000, pingIntervalMs: 100 } })
    cleanup = p.close
    p.client.close('closed', '', false)
    await p.advance(1000, 50)
    expect(p.server.closed).toBe(false)
    await p.advance(200, 50)
    expect(p.server.closed).toBe(true)
  })

  it('bye carries the reason and detail to the peer', async () => {
    const p = linkPair()
    cleanup = p.close
    const atClient = watch(p.client)
    const atServer = watch(p.server)
    p.server.close('kicked', 'cheating')
    await flush()
    expect(atServer.closes).toEqual([['kicked', 'cheating']])
    expect(atClient.closes).toEqual([['kicked', 'cheating']])
    expect(p.client.closed).toBe(true)
  })

  it('bye goes out even while simulated latency holds outgoing traffic', async () => {
    const p = linkPair()
    cleanup = p.close
    const atClient = watch(p.client)
    p.server.setConditions({ outgoing: { latencyMs: 80, jitterMs: 20, loss: 0.5 } })
    p.server.close('server-shutdown', 'maintenance')
    await p.advance(200)
    expect(atClient.closes).toEqual([['server-shutdown', 'maintenance']])
  })

  it('a detail longer than bye can carry is cut, not thrown', async () => {
    const p = linkPair()
    cleanup = p.close
    const atClient = watch(p.client)
    const atServer = watch(p.server)
    const long = 'x'.repeat(500)
    expect(() => p.server.close('kicked', long)).not.toThrow()
    await flush()
    expect(p.server.closed).toBe(true)
    expect(atServer.closes).toEqual([['kicked', long]])
    expect(atClient.closes).toEqual([['kicked', 'x'.repeat(200)]])
  })

  it('the peer learns each disconnect reason', async () => {
    for (const reason of ['closed', 'timeout', 'kicked', 'rate-limit', 'schema-mismatch', 'handshake-timeout', 'overflow', 'failed', 'server-shutdown', 'slow-consumer', 'protocol-error'] as const) {
      const p = linkPair()
      const atClient = watch(p.client)
      p.server.close(reason, `because ${reason}`)
      await flush()
      expect(atClient.closes).toEqual([[reason, `because ${reason}`]])
      p.close()
    }
  })

  it('closing without notifying leaves the peer open (it will time out)', async () => {
    const p = linkPair()
    cleanup = p.close
    p.server.close('failed', 'WebRTC failed', false)
    await flush()
    expect(p.client.closed).toBe(false)
  })

  it('a reliable queue past its cap closes the link as slow-consumer and tells the peer', async () => {
    // The memory pipe only drains between microtasks, so sending in one go fills our queue.
    const p = linkPair({ server: { reliable: { channelHighWater: 100, maxQueuedBytes: 1000 } } })
    cleanup = p.close
    const atServer = watch(p.server)
    const atClient = watch(p.client)
    let refusedAt = -1
    for (let seq = 0; seq < 200 && refusedAt < 0; seq++) {
      // Small messages: when one no longer fits, the goodbye would not fit either.
      if (!p.server.send('chat', { seq, text: 'xxxxxxxx' }) && p.server.closed) refusedAt = seq
    }
    expect(refusedAt).toBeGreaterThan(0)
    expect(atServer.closes).toEqual([['slow-consumer', 'more than 1000 bytes queued for a peer that is not keeping up']])
    await flush()
    expect(atClient.closes).toEqual(atServer.closes)
  })

  it('drained() resolves once the reliable queue has moved into the channel', async () => {
    const p = linkPair({ client: { reliable: { channelHighWater: 200, maxQueuedBytes: 1 << 20 } } })
    cleanup = p.close
    let got = 0
    p.server.on('chat', () => got++)
    let ok = true
    for (let seq = 0; seq < 100; seq++) ok = p.client.send('chat', { seq, text: 'y'.repeat(50) }) && ok
    expect(ok).toBe(false) // backpressure reported
    expect(p.client.pendingReliableBytes).toBeGreaterThan(5000)
    expect(p.client.stats().reliableQueuedBytes).toBe(p.client.pendingReliableBytes)
    await p.client.drained()
    await flush()
    expect(got).toBe(100)
    expect(p.client.pendingReliableBytes).toBe(0)
  })
})
