import { describe, expect, it } from 'vitest'
import { AddressBuckets } from '../../../server/transport/connect-guard'
import { TokenBucket } from '../../../shared/transport/token-bucket'

// Soak bots sign in from a new 127.1.x.y each; on the internet every client brings its own address.
// The rate limiters must hold only addresses active within a refill time, not every address ever seen.
const address = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`

describe('AddressBuckets', () => {
  it('forgets addresses whose buckets have refilled', () => {
    const buckets = new AddressBuckets(4, 60) // 240 a minute, burst 60: refilled 15 s after one take
    let now = 0
    for (let i = 0; i < 2000; i++) {
      expect(buckets.take(address(i), now)).toBe(true)
      now += 100 // one new client every 100 ms: 200 s in all
    }
    // Only the addresses seen in the last refill time (15 s = 150 clients) plus one sweep period remain.
    expect(buckets.size).toBeLessThanOrEqual(150 + 256)
  })

  it('keeps an address that is still paying off its burst', () => {
    const buckets = new AddressBuckets(1, 2)
    expect(buckets.take('a', 0)).toBe(true)
    expect(buckets.take('a', 0)).toBe(true)
    expect(buckets.take('a', 0)).toBe(false)
    for (let i = 0; i < 1000; i++) buckets.take(address(i), 100) // sweeps run; 'a' is not full yet
    expect(buckets.take('a', 200)).toBe(false) // still limited: it was not forgotten
  })

  it('never holds more than max addresses, even when none has refilled', () => {
    const buckets = new AddressBuckets(1 / 60, 10, 500)
    for (let i = 0; i < 5000; i++) buckets.take(address(i), i)
    expect(buckets.size).toBeLessThanOrEqual(500)
  })
})

describe('TokenBucket.isFull', () => {
  it('is full when new and again once refilled', () => {
    const b = new TokenBucket(2, 4, 0)
    expect(b.isFull(0)).toBe(true)
    b.take(3, 0)
    expect(b.isFull(1000)).toBe(false) // 1 + 2 tokens
    expect(b.isFull(1500)).toBe(true) // 1 + 3 tokens
  })
})
