import { afterEach, describe, expect, it } from 'vitest'
import type { ClientMessage, ServerMessage } from '../../../shared/schema/index'
import { ManualClock } from '../../../shared/transport/clock'
import { Link } from '../../../shared/transport/link'
import type { LinkOptions } from '../../../shared/transport/link-options'
import { memoryPipePair } from '../../../shared/transport/memory-pipe'
import { SendBudget } from '../../../shared/transport/send-budget'
import { testSchema, type TestSchema } from '../../support/test-schema'
import { flush, linkPair, watch } from './link-pair'
import { StuckPipe } from './stuck-pipe'

type ServerLink = Link<TestSchema, ClientMessage<TestSchema>, ServerMessage<TestSchema>>
const links: ServerLink[] = []
afterEach(() => {
  for (const l of links.splice(0)) l.close('closed', '', false)
})

/** A server-role link whose peer reads nothing on either channel. */
function toStuckPeer(clock: ManualClock, options: Partial<LinkOptions> = {}) {
  const reliable = new StuckPipe()
  const unreliable = new StuckPipe()
  const link: ServerLink = new Link(testSchema, { unreliable, reliable }, 'server', { clock, ...options })
  link.ready = true
  links.push(link)
  return { link, reliable, unreliable, seen: watch(link) }
}

/** A server-role link to a peer that reads everything at once (memory pipes). */
function toHealthyPeer(clock: ManualClock, options: Partial<LinkOptions>) {
  const [su, cu] = memoryPipePair()
  const [sr, cr] = memoryPipePair()
  cu.onMessage(() => undefined)
  cr.onMessage(() => undefined)
  const link: ServerLink = new Link(testSchema, { unreliable: su, reliable: sr }, 'server', { clock, ...options })
  link.ready = true
  links.push(link)
  return { link, seen: watch(link) }
}

const chunk = new Uint8Array(10_000)
const small = { channelHighWater: 20_000, maxQueuedBytes: 200_000 }

describe('slow consumers cost bounded memory and are dropped with a reason', () => {
  it('a peer that takes nothing while data is pending is dropped as slow-consumer after slowConsumerMs', () => {
    const clock = new ManualClock()
    const { link, seen } = toStuckPeer(clock, { reliable: small, slowConsumerMs: 2000, timeoutMs: 60_000 })
    for (let seq = 0; seq < 5; seq++) link.send('bulk', { seq, data: chunk })
    clock.advance(1900)
    expect(link.closed).toBe(false)
    clock.advance(700)
    expect(seen.closes).toHaveLength(1)
    expect(seen.closes[0]![0]).toBe('slow-consumer')
    expect(seen.closes[0]![1]).toMatch(/took none of \d+ pending bytes/)
  })

  it('a slow peer that keeps taking something is not dropped; an idle one is not either', () => {
    const clock = new ManualClock()
    const { link, reliable } = toStuckPeer(clock, { reliable: small, slowConsumerMs: 1000, timeoutMs: 1e9 })
    const idle = toStuckPeer(clock, { reliable: small, slowConsumerMs: 1000, timeoutMs: 1e9 })
    for (let seq = 0; seq < 10; seq++) link.send('bulk', { seq, data: chunk })
    for (let i = 0; i < 20; i++) {
      clock.advance(500)
      reliable.release(1) // one frame every half second
    }
    expect(link.closed).toBe(false)
    expect(idle.link.closed).toBe(false)
  })

  it('a queue past the per-connection bound drops the peer at once, and the memory is given back', () => {
    const clock = new ManualClock()
    const { link, seen } = toStuckPeer(clock, { reliable: small, timeoutMs: 1e9 })
    let seq = 0
    while (!link.closed && seq < 100) link.send('bulk', { seq: seq++, data: chunk })
    expect(seen.closes[0]?.[0]).toBe('slow-consumer')
    expect(seq).toBeLessThanOrEqual(23) // 20 KB in the channel + 200 KB queued, then refused
    expect(link.pendingReliableBytes - (link as unknown as { sender: { queuedByteCount: number } }).sender.queuedByteCount).toBeLessThanOrEqual(20_000 + 10_100)
  })

  it('unreliable sends to a backed-up peer are dropped and counted, never queued', () => {
    const clock = new ManualClock()
    const { link, unreliable } = toStuckPeer(clock, { unreliableHighWater: 4000, timeoutMs: 1e9 })
    let accepted = 0
    for (let seq = 0; seq < 100; seq++) if (link.send('state', { seq, sentAt: 0, pad: new Uint8Array(900) })) accepted++
    expect(unreliable.bufferedAmount()).toBeLessThanOrEqual(4000 + 1000)
    expect(accepted).toBeLessThan(10)
    expect(link.stats().droppedOut).toBe(100 - accepted)
  })

  it('the server-wide budget sheds the largest backlogs; healthy links are untouched', async () => {
    const clock = new ManualClock()
    const budget = new SendBudget(300_000)
    const options: Partial<LinkOptions> = { reliable: { channelHighWater: 20_000, maxQueuedBytes: 1_000_000 }, sendBudget: budget, timeoutMs: 1e9 }
    const stuck = [toStuckPeer(clock, options), toStuckPeer(clock, options), toStuckPeer(clock, options)]
    const healthy = [toHealthyPeer(clock, options), toHealthyPeer(clock, options)]
    // Broadcast: everyone gets the same stream; the stuck peers fall behind together.
    for (let seq = 0; seq < 60; seq++) {
      for (const p of [...stuck, ...healthy]) if (!p.link.closed) p.link.send('bulk', { seq, data: chunk })
      expect(budget.total).toBeLessThanOrEqual(300_000)
      await flush() // the healthy peers read
    }
    const reasons = stuck.map((p) => p.seen.closes[0]?.[0])
    expect(reasons.filter((r) => r === 'slow-consumer').length).toBeGreaterThanOrEqual(2)
    expect(stuck.find((p) => p.seen.closes.length)!.seen.closes[0]![1]).toMatch(/send budget/)
    for (const p of healthy) expect(p.link.closed).toBe(false)
    expect(budget.peak).toBeLessThanOrEqual(300_000 + 10_100)
    // Closed links give their share back.
    for (const p of stuck) p.link.close('closed', '', false)
    expect(budget.total).toBe(0)
  })
})

describe('bad frames lead to a disconnect after a bounded number', () => {
  it('a peer over its allowance of refused frames is disconnected with protocol-error, and told so', async () => {
    const p = linkPair({ server: { rejectLimit: { perSecond: 1, burst: 20 } } })
    const atClient = watch(p.client)
    const atServer = watch(p.server)
    for (let i = 0; i < 50; i++) p.raw.reliable.send(new Uint8Array([0, 200, 0x90])) // unknown id
    await flush()
    expect(p.server.closed).toBe(true)
    expect(atServer.closes[0]?.[0]).toBe('protocol-error')
    expect(atClient.closes[0]?.[0]).toBe('protocol-error')
    expect(atServer.errors.length).toBe(21)
    p.close()
  })

  it('a trickle of refused frames under the refill rate is tolerated', async () => {
    const p = linkPair({ server: { rejectLimit: { perSecond: 10, burst: 5 } } })
    for (let i = 0; i < 40; i++) {
      p.raw.unreliable.send(new Uint8Array([i, 0, 200, 0x90]))
      await p.advance(200)
    }
    expect(p.server.closed).toBe(false)
    expect(p.server.stats().rejected['unknown-id']).toBe(40)
    p.close()
  })
})
