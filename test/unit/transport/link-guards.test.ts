import { afterEach, describe, expect, it } from 'vitest'
import { encodeMessage, HEADROOM, type MessageName, type Payload } from '../../../shared/schema/index'
import { FragmentFlag } from '../../../shared/transport/fragments'
import { LinkError } from '../../../shared/transport/reject'
import { testSchema, type TestSchema } from '../../support/test-schema'
import { flush, linkPair, watch } from './link-pair'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

/** `[id][payload]` of a valid message. */
const frame = <N extends MessageName<TestSchema>>(name: N, data: Payload<TestSchema, N>) =>
  encodeMessage(testSchema.byName.get(name)!, data).subarray(HEADROOM).slice()
/** Raw wire frames: unreliable `[seq lo][seq hi][id][payload]`, reliable `[flag][id][payload]`. */
const unreliable = (seq: number, f: Uint8Array) => new Uint8Array([seq & 0xff, seq >> 8, ...f])
const reliable = (f: Uint8Array, flag: number = FragmentFlag.Whole) => new Uint8Array([flag, ...f])
const id = (name: MessageName<TestSchema>) => testSchema.byName.get(name)!.id

describe('Link guards: what a peer sends is checked, refused, counted', () => {
  it('a server-role link refuses application messages before the handshake, then accepts them', async () => {
    const p = linkPair({ ready: false })
    cleanup = p.close
    const seen = watch(p.server)
    const got: number[] = []
    p.server.on('echo', (d) => got.push(d.seq))
    p.server.on('chat', (d) => got.push(d.seq))
    p.client.send('echo', { seq: 1 })
    p.client.send('chat', { seq: 2, text: 'too early' })
    await p.advance(600) // engine messages (pings) are allowed meanwhile
    expect(got).toEqual([])
    expect(p.server.stats().rejected).toEqual({ handshake: 2 })
    expect(seen.errors.map((e) => e.code)).toEqual(['handshake', 'handshake'])
    expect(p.server.stats().rtt.samples).toBeGreaterThan(0)
    p.server.ready = true
    p.client.send('echo', { seq: 3 })
    await flush()
    expect(got).toEqual([3])
  })

  it('a client-role link is ready from the start', () => {
    const p = linkPair({ ready: false })
    cleanup = p.close
    expect(p.client.ready).toBe(true)
    expect(p.server.ready).toBe(false)
  })

  it('rejects text frames on both channels, counts them, and carries on', async () => {
    const p = linkPair()
    cleanup = p.close
    const seen = watch(p.server)
    let got = 0
    p.server.on('chat', () => got++)
    p.raw.unreliable.sendText('{"type":"chat"}')
    p.raw.reliable.sendText('hello')
    p.raw.reliable.sendText('')
    await flush()
    expect(p.server.stats().rejected).toEqual({ 'text-frame': 3 })
    expect(seen.errors.every((e) => e instanceof LinkError && e.code === 'text-frame')).toBe(true)
    p.client.send('chat', { seq: 1, text: 'binary is fine' })
    await flush()
    expect(got).toBe(1)
    expect(p.server.closed).toBe(false)
  })

  it('refuses each kind of bad frame with its code, on both channels', async () => {
    const p = linkPair()
    cleanup = p.close
    const cases: [string, Uint8Array][] = [
      ['unknown-id', new Uint8Array([200, 0x90])],
      ['malformed', frame('chat', { seq: 1, text: 'hello' }).subarray(0, 4)],
      ['wrong-type', new Uint8Array([id('chat'), 0x92, 0xa1, 0x78, 0xa1, 0x78])],
      ['too-long', new Uint8Array([id('chat'), 0x92, 0x01, 0xd9, 201, ...new Array<number>(201).fill(0x61)])],
      ['unknown-key', new Uint8Array([id('chat'), 0x93, 0x01, 0xa1, 0x78, 0x01])],
      ['missing-key', new Uint8Array([id('chat'), 0x91, 0x01])],
      ['out-of-range', new Uint8Array([id('input'), 0x93, 0x01, 0xcc, 0xc8, 0x00])],
      ['wrong-direction', frame('state', { seq: 1, sentAt: 1, pad: new Uint8Array(0) })],
    ]
    for (const [, f] of cases) p.raw.reliable.send(reliable(f))
    cases.forEach(([, f], i) => p.raw.unreliable.send(unreliable(i, f)))
    await flush()
    const rejected = p.server.stats().rejected
    for (const [code] of cases) expect(rejected[code], code).toBe(2)
    expect(Object.keys(rejected).sort()).toEqual(cases.map(([c]) => c).sort())
    expect(p.server.closed).toBe(false)
  })

  it('refuses a message on the channel it was not declared for', async () => {
    const p = linkPair()
    cleanup = p.close
    let got = 0
    p.server.on('input', () => got++)
    p.server.on('chat', () => got++)
    p.raw.reliable.send(reliable(frame('input', { seq: 1, dx: 0, dy: 0 })))
    p.raw.unreliable.send(unreliable(0, frame('chat', { seq: 1, text: 'x' })))
    await flush()
    expect(got).toBe(0)
    expect(p.server.stats().rejected).toEqual({ 'wrong-channel': 2 })
  })

  it('refuses short unreliable frames and broken fragment sequences', async () => {
    const p = linkPair()
    cleanup = p.close
    p.raw.unreliable.send(new Uint8Array([1, 0]))
    p.raw.reliable.send(new Uint8Array([9, id('chat'), 0x90])) // no such flag
    p.raw.reliable.send(new Uint8Array([FragmentFlag.Last, 1])) // a last part with no first
    // A "chat" announced in parts, larger than any chat can be: refused once, while it arrives.
    p.raw.reliable.send(new Uint8Array([FragmentFlag.More, id('chat'), ...new Array<number>(500).fill(0)]))
    p.raw.reliable.send(new Uint8Array([FragmentFlag.More, ...new Array<number>(500).fill(0)]))
    p.raw.reliable.send(new Uint8Array([FragmentFlag.Last, 0]))
    await flush()
    expect(p.server.stats().rejected).toEqual({ malformed: 3, 'frame-too-large': 1 })
    let got = 0
    p.server.on('chat', () => got++)
    p.client.send('chat', { seq: 1, text: 'after all that' })
    await flush()
    expect(got).toBe(1)
  })

  it('drops duplicate unreliable frames before they reach handlers', async () => {
    const p = linkPair()
    cleanup = p.close
    let got = 0
    p.server.on('echo', () => got++)
    const f = unreliable(7, frame('echo', { seq: 1 }))
    p.raw.unreliable.send(f)
    p.raw.unreliable.send(f)
    await flush()
    expect(got).toBe(1)
    expect(p.server.stats().duplicatesIn).toBe(1)
  })

  it('catches a throwing handler, reports it as handler-error, and keeps going', async () => {
    const p = linkPair()
    cleanup = p.close
    const seen = watch(p.server)
    const boom = new Error('boom')
    let calls = 0
    p.server.on('chat', (d) => {
      calls++
      if (d.seq === 1) throw boom
    })
    p.client.send('chat', { seq: 1, text: 'throws' })
    p.client.send('chat', { seq: 2, text: 'fine' })
    await flush()
    expect(calls).toBe(2)
    expect(p.server.stats().rejected).toEqual({ 'handler-error': 1 })
    expect(seen.errors).toHaveLength(1)
    expect(seen.errors[0]!.code).toBe('handler-error')
    expect(seen.errors[0]!.cause).toBe(boom)
    expect(seen.errors[0]!.message).toMatch(/handler for chat threw: Error: boom/)
    expect(p.server.closed).toBe(false)
  })

  it('rate limit: a flooding peer is throttled, then disconnected with the reason rate-limit', async () => {
    const p = linkPair({ server: { rateLimit: { messagesPerSecond: 10, messageBurst: 10, bytesPerSecond: 1e6, byteBurst: 1e6, disconnectAfter: 5 } } })
    cleanup = p.close
    const atServer = watch(p.server)
    const atClient = watch(p.client)
    const got: number[] = []
    p.server.on('echo', (d) => got.push(d.seq))
    for (let seq = 0; seq < 15; seq++) p.client.send('echo', { seq })
    await flush()
    expect(got).toEqual(Array.from({ length: 10 }, (_, i) => i)) // the burst
    expect(p.server.stats().rejected).toEqual({ 'rate-limited': 5 })
    expect(p.server.closed).toBe(false)
    p.client.send('echo', { seq: 15 }) // the sixth over budget within a second
    await flush()
    expect(p.server.closed).toBe(true)
    expect(atServer.closes).toEqual([['rate-limit', 'sent far over its message budget']])
    // The peer is told why.
    expect(atClient.closes).toEqual([['rate-limit', 'sent far over its message budget']])
    expect(got.length).toBe(10)
  })

  it('rate limit: a peer that keeps to the budget is never throttled', async () => {
    const p = linkPair({ server: { rateLimit: { messagesPerSecond: 50, messageBurst: 10, bytesPerSecond: 1e6, byteBurst: 1e6, disconnectAfter: 5 } } })
    cleanup = p.close
    let got = 0
    p.server.on('echo', () => got++)
    // 2 messages every 50 ms = 40/s, plus the client's pings (2/s).
    for (let i = 0; i < 100; i++) {
      p.client.send('echo', { seq: 2 * i })
      p.client.send('echo', { seq: 2 * i + 1 })
      await p.advance(50)
    }
    expect(got).toBe(200)
    expect(p.server.stats().rejected).toEqual({})
  })

  it('a client-role link has no rate limit by default', async () => {
    const p = linkPair()
    cleanup = p.close
    let got = 0
    p.client.on('echo', () => got++)
    for (let seq = 0; seq < 3000; seq++) p.server.send('echo', { seq })
    await flush()
    expect(got).toBe(3000)
  })
})
