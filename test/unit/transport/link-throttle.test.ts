import { afterEach, describe, expect, it } from 'vitest'
import type { RateLimitOptions } from '../../../shared/transport/rate-limiter'
import { linkPair, watch } from './link-pair'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

const budget = (o: Partial<RateLimitOptions> = {}): RateLimitOptions => ({
  messagesPerSecond: 10,
  messageBurst: 5,
  bytesPerSecond: 1e9,
  byteBurst: 1e9,
  disconnectAfter: 1000,
  ...o,
})

/**
 * Defect: over budget, the receive budget dropped single *fragments* of reliable messages, which
 * broke reassembly and silently lost ordered messages. Reliable messages are never dropped: they are
 * budgeted whole, and a peer that stays over budget is disconnected with a reason both ends see.
 */
describe('Link receive budget: reliable stays reliable', () => {
  it('delivers every reliable message, whole and in order, while over the message budget', async () => {
    const p = linkPair({ server: { rateLimit: budget() } })
    cleanup = p.close
    const seen = watch(p.server)
    const got: string[] = []
    p.server.on('chat', (d) => got.push(`chat ${d.seq}`))
    p.server.on('bulk', (d) => got.push(`bulk ${d.seq} ${d.data.byteLength} ${d.data[d.data.byteLength - 1]}`))
    const big = new Uint8Array(40_000).map((_, i) => i & 0xff) // three 16 KiB chunks
    const sent: string[] = []
    for (let seq = 0; seq < 12; seq++) {
      if (seq % 4 === 3) {
        p.client.send('bulk', { seq, data: big })
        sent.push(`bulk ${seq} 40000 ${big[39_999]}`)
      } else {
        p.client.send('chat', { seq, text: `line ${seq}` })
        sent.push(`chat ${seq}`)
      }
    }
    await p.advance(100)
    expect(got).toEqual(sent)
    expect(p.server.closed).toBe(false)
    expect(seen.errors.map((e) => e.code)).not.toContain('malformed')
  })

  it('a byte budget smaller than one message never cuts it into pieces', async () => {
    const p = linkPair({ server: { rateLimit: budget({ messageBurst: 100, bytesPerSecond: 20_000, byteBurst: 20_000 }) } })
    cleanup = p.close
    const got: number[] = []
    p.server.on('bulk', (d) => got.push(d.data.byteLength))
    p.server.on('chat', (d) => got.push(d.seq))
    p.client.send('bulk', { seq: 1, data: new Uint8Array(50_000) })
    p.client.send('chat', { seq: 2, text: 'after the bulk' })
    await p.advance(100)
    expect(got).toEqual([50_000, 2])
  })

  it('a peer that stays over its reliable budget is disconnected with rate-limit, and told so', async () => {
    const p = linkPair({ server: { rateLimit: budget({ disconnectAfter: 20 }) } })
    cleanup = p.close
    const atServer = watch(p.server)
    const atClient = watch(p.client)
    const got: number[] = []
    p.server.on('chat', (d) => got.push(d.seq))
    for (let seq = 0; seq < 100; seq++) p.client.send('chat', { seq, text: 'flood' })
    await p.advance(50)
    expect(p.server.closed).toBe(true)
    expect(atServer.closes[0]?.[0]).toBe('rate-limit')
    expect(atClient.closes[0]?.[0]).toBe('rate-limit')
    // What was delivered before the disconnect is a gap-free prefix: nothing silently skipped.
    expect(got).toEqual(got.map((_, i) => i))
    expect(got.length).toBeGreaterThanOrEqual(5)
  })

  it('unreliable messages over budget are dropped whole and counted', async () => {
    const p = linkPair({ server: { rateLimit: budget() } })
    cleanup = p.close
    let got = 0
    p.server.on('echo', () => got++)
    for (let seq = 0; seq < 8; seq++) p.client.send('echo', { seq })
    await p.advance(20)
    expect(got).toBe(5)
    expect(p.server.stats().rejected['rate-limited']).toBe(3)
  })
})
