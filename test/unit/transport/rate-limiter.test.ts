import { describe, expect, it } from 'vitest'
import { RateLimiter, type RateLimitOptions, type RateVerdict } from '../../../shared/transport/rate-limiter'
import { TokenBucket } from '../../../shared/transport/token-bucket'

describe('TokenBucket', () => {
  it('starts full, empties, and refills at its rate up to the burst', () => {
    const b = new TokenBucket(10, 5, 0)
    for (let i = 0; i < 5; i++) expect(b.take(1, 0)).toBe(true)
    expect(b.take(1, 0)).toBe(false)
    expect(b.take(1, 99)).toBe(false) // 0.99 tokens
    expect(b.take(1, 100)).toBe(true) // 1 token after 100 ms at 10/s
    expect(b.take(1, 100)).toBe(false)
    // A long idle refills to the burst, not beyond.
    expect(b.take(5, 60_000)).toBe(true)
    expect(b.take(1, 60_000)).toBe(false)
  })

  it('takes amounts, and never one larger than the burst', () => {
    const b = new TokenBucket(1000, 1500, 0)
    expect(b.take(1000, 0)).toBe(true)
    expect(b.take(600, 0)).toBe(false) // 500 left: a refusal takes nothing
    expect(b.take(500, 0)).toBe(true)
    expect(b.take(1501, 1e9)).toBe(false)
  })
})

describe('RateLimiter', () => {
  const options = (o: Partial<RateLimitOptions> = {}): RateLimitOptions => ({
    messagesPerSecond: 10,
    messageBurst: 5,
    bytesPerSecond: 1e9,
    byteBurst: 1e9,
    disconnectAfter: 3,
    ...o,
  })

  it('lets the burst through, throttles, then asks to disconnect', () => {
    const r = new RateLimiter(options(), 0)
    const verdicts: RateVerdict[] = []
    for (let i = 0; i < 10; i++) verdicts.push(r.check(10, 0))
    expect(verdicts).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'throttled', 'throttled', 'throttled', 'disconnect', 'disconnect'])
  })

  it('a peer that slows down is served again and is not disconnected', () => {
    const r = new RateLimiter(options(), 0)
    for (let i = 0; i < 5; i++) r.check(10, 0)
    expect(r.check(10, 0)).toBe('throttled')
    expect(r.check(10, 100)).toBe('ok') // one token back after 100 ms
    // At the allowed rate for 10 seconds: never refused.
    const verdicts = new Set<RateVerdict>()
    for (let t = 200; t < 10_200; t += 100) verdicts.add(r.check(10, t))
    expect(verdicts).toEqual(new Set(['ok']))
    // 12 a second against 10 allowed: about 2 a second throttled, never more than disconnectAfter (3) in a second.
    const counts = new Map<RateVerdict, number>()
    for (let t = 10_200; t < 20_200; t += 100) {
      for (let k = 0; k < (t % 500 === 0 ? 2 : 1); k++) {
        const v = r.check(10, t)
        counts.set(v, (counts.get(v) ?? 0) + 1)
      }
    }
    expect(counts.get('disconnect')).toBeUndefined()
    expect(counts.get('throttled')).toBeGreaterThanOrEqual(10)
  })

  it('counts throttled frames per one-second window', () => {
    const r = new RateLimiter(options({ messagesPerSecond: 0.001 }), 0)
    for (let i = 0; i < 5; i++) r.check(1, 0)
    expect([r.check(1, 10), r.check(1, 20), r.check(1, 30)]).toEqual(['throttled', 'throttled', 'throttled'])
    // A second later the count starts over.
    expect([r.check(1, 1100), r.check(1, 1200), r.check(1, 1300)]).toEqual(['throttled', 'throttled', 'throttled'])
    expect(r.check(1, 1400)).toBe('disconnect')
  })

  it('limits bytes as well as messages', () => {
    const r = new RateLimiter(options({ messagesPerSecond: 1e6, messageBurst: 1e6, bytesPerSecond: 1000, byteBurst: 1000 }), 0)
    expect(r.check(600, 0)).toBe('ok')
    expect(r.check(600, 0)).toBe('throttled')
    expect(r.check(400, 0)).toBe('ok')
    expect(r.check(600, 600)).toBe('ok') // 600 bytes back after 0.6 s
  })
})
