/**
 * The session layer on in-memory pipes and simulated time: a cut (both channels), heartbeat
 * timeouts suspending both ends, sends on both sides while cut, new channels, replay. Each reliable
 * message must arrive exactly once and in order; the replay buffer is bounded.
 */
import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../../shared/transport/clock'
import { Link } from '../../../shared/transport/link'
import { memoryPipePair } from '../../../shared/transport/memory-pipe'
import type { DataPipe } from '../../../shared/transport/pipe'
import { seededRandom } from '../../../shared/transport/random'
import { SessionBook } from '../../../shared/transport/session-book'
import { DEFAULT_SESSION, LinkSession, type SessionOptions } from '../../../shared/transport/session'
import { testSchema } from '../../support/test-schema'
import { flush, watch, type ClientLink, type ServerLink } from './link-pair'

/** A pipe that can be cut: a cut one swallows what is sent and delivers nothing (packets dropped both ways). */
function cuttable(pipe: DataPipe) {
  let cut = false
  const wrapped: DataPipe = {
    get maxMessageSize() {
      return pipe.maxMessageSize
    },
    send: (b) => void (cut || pipe.send(b)),
    bufferedAmount: () => pipe.bufferedAmount(),
    onBufferedAmountLow: (t, f) => pipe.onBufferedAmountLow(t, f),
    onMessage: (h) => pipe.onMessage((f) => void (cut || h(f))),
  }
  return { pipe: wrapped, cut: () => (cut = true) }
}

function channels() {
  const [su, cu] = memoryPipePair()
  const [sr, cr] = memoryPipePair()
  const parts = [cuttable(su), cuttable(sr), cuttable(cu), cuttable(cr)] as const
  return {
    server: { unreliable: parts[0].pipe, reliable: parts[1].pipe },
    client: { unreliable: parts[2].pipe, reliable: parts[3].pipe },
    cut: () => parts.forEach((p) => p.cut()),
  }
}

function sessionPair(o: Partial<SessionOptions> = {}) {
  const clock = new ManualClock()
  const first = channels()
  const options = { ...DEFAULT_SESSION, graceMs: 10_000, ...o }
  const serverSession = new LinkSession(first.server, options)
  const clientSession = new LinkSession(first.client, options)
  const linkOptions = { clock, timeoutMs: 1000, pingIntervalMs: 100 }
  const server: ServerLink = new Link(testSchema, serverSession.pipes, 'server', { ...linkOptions, random: seededRandom(1) })
  const client: ClientLink = new Link(testSchema, clientSession.pipes, 'client', { ...linkOptions, random: seededRandom(2) })
  server.ready = true
  serverSession.bind(server)
  clientSession.bind(client)
  const got = { server: [] as number[], client: [] as number[] }
  server.on('chat', (m) => got.server.push(m.seq))
  client.on('chat', (m) => got.client.push(m.seq))
  const advance = async (ms: number) => {
    for (let t = 0; t < ms; t += 10) {
      clock.advance(10)
      await flush()
    }
  }
  /** New channels under both ends, then the resume exchange (what GameServer and GameClient do over the wire). */
  const resume = async () => {
    const next = channels()
    serverSession.attach(next.server)
    clientSession.attach(next.client)
    const clientHad = clientSession.book.received
    const serverHad = serverSession.book.received
    expect(serverSession.complete(clientHad)).toBe(true)
    expect(clientSession.complete(serverHad)).toBe(true)
    await flush()
    return next
  }
  return { clock, server, client, serverSession, clientSession, got, advance, cut: first.cut, resume }
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i)

describe('session resume with replay', () => {
  it('acknowledges cumulatively, so the sender forgets what arrived', async () => {
    const p = sessionPair()
    for (const seq of range(0, 10)) p.client.send('chat', { seq, text: 'hi' })
    await p.advance(200) // a ping interval: the ack goes out
    expect(p.got.server).toEqual(range(0, 10))
    expect(p.clientSession.book.unackedMessages).toBe(0)
    expect(p.clientSession.book.acked).toBe(10)
  })

  it('rides out a cut of both channels: both ends suspend on the heartbeat, sends on both sides arrive once, in order', async () => {
    const p = sessionPair()
    const server = watch(p.server)
    const client = watch(p.client)
    for (const seq of range(0, 5)) {
      p.client.send('chat', { seq, text: 'before' })
      p.server.send('chat', { seq, text: 'before' })
    }
    await p.advance(200)
    const suspended: string[] = []
    p.serverSession.events.on('suspended', (r) => suspended.push(`server ${r}`))
    p.clientSession.events.on('suspended', (r) => suspended.push(`client ${r}`))
    p.cut()
    // Sent just as the cut happens: never acknowledged, and it must not arrive twice.
    p.client.send('chat', { seq: 5, text: 'in flight' })
    p.server.send('chat', { seq: 5, text: 'in flight' })
    await p.advance(1500)
    expect(suspended.sort()).toEqual(['client timeout', 'server timeout'])
    expect(p.server.closed || p.client.closed).toBe(false)
    for (const seq of range(6, 56)) {
      expect(p.client.send('chat', { seq, text: 'during' })).toBe(false) // kept, not on the wire
      p.server.send('chat', { seq, text: 'during' })
    }
    await p.advance(3000)
    const resumed: number[] = []
    p.clientSession.events.on('resumed', (r) => resumed.push(r.replayed))
    await p.resume()
    await p.advance(300)
    expect(resumed).toEqual([51])
    expect(p.got.server).toEqual(range(0, 56))
    expect(p.got.client).toEqual(range(0, 56))
    // The new channels carry on, and acks empty the buffers.
    p.client.send('chat', { seq: 56, text: 'after' })
    await p.advance(300)
    expect(p.got.server).toEqual(range(0, 57))
    expect(p.clientSession.book.unackedMessages).toBe(0)
    expect(p.serverSession.book.unackedMessages).toBe(0)
    expect(server.closes).toEqual([])
    expect(client.closes).toEqual([])
  })

  it('ends a session that is not resumed within its grace period', async () => {
    const p = sessionPair({ graceMs: 2000 })
    const server = watch(p.server)
    p.cut()
    await p.advance(1200) // heartbeat timeout
    expect(p.serverSession.suspended).toBe(true)
    await p.advance(2100)
    expect(server.closes[0]?.[0]).toBe('timeout')
  })

  it('ends the session with a reason when the replay buffer is full, instead of growing', async () => {
    const p = sessionPair({ maxUnackedMessages: 20 })
    const client = watch(p.client)
    p.cut()
    await p.advance(1200)
    for (const seq of range(0, 21)) p.client.send('chat', { seq, text: 'x' })
    expect(client.closes[0]?.[0]).toBe('overflow')
    expect(p.clientSession.book.unackedMessages).toBeLessThanOrEqual(20)
  })

  it('refuses an impossible acknowledgement (more than was sent)', () => {
    const book = new SessionBook()
    book.record(new Uint8Array(3))
    expect(book.peerReceived(2)).toBe(false)
    expect(book.peerReceived(1.5)).toBe(false)
    expect(book.peerReceived(1)).toBe(true)
    expect(book.peerReceived(0)).toBe(true) // late and reordered: old news
    expect(book.unackedBytes).toBe(0)
  })

  it('bounds the buffer in bytes too', () => {
    const book = new SessionBook({ ...DEFAULT_SESSION, maxUnackedBytes: 10 })
    expect(book.record(new Uint8Array(6))).toBeUndefined()
    expect(book.record(new Uint8Array(6))).toMatch(/bytes/)
  })
})
