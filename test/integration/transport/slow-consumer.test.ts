import { afterEach, describe, expect, it } from 'vitest'
import type { GameClient } from '../../../client/index'
import type { GameServer, GameServerOptions, ServerConnection } from '../../../server/index'
import { connectPair, sleep, startServer, waitFor } from '../../support/real-net'
import { testSchema, type TestSchema } from '../../support/test-schema'
import { startStoppableClient } from './stoppable-client'

const BULK = 8 * 1024
const HIGH_WATER = 64 * 1024

/**
 * A peer that stops reading (a real client process, SIGSTOPped: its SCTP stops acknowledging) while
 * the server broadcasts reliable and unreliable data to it and to healthy clients. The server's
 * memory for it stays bounded, it is dropped as `slow-consumer`, and the healthy clients get every
 * reliable message in order.
 */
describe('slow consumers over real WebRTC', () => {
  const cleanups: (() => void | Promise<void>)[] = []
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c()
  })

  async function scenario(options: GameServerOptions) {
    const { server, url } = await startServer(testSchema, options)
    cleanups.push(() => server.close())
    const healthy: { client: GameClient<TestSchema>; got: number[] }[] = []
    for (let i = 0; i < 3; i++) {
      const { client } = await connectPair(server, testSchema, url)
      const got: number[] = []
      client.on('bulk', (d) => got.push(d.seq))
      healthy.push({ client, got })
      cleanups.push(() => client.close())
    }
    const slow = await startStoppableClient(url)
    cleanups.push(() => slow.kill())
    await waitFor(() => server.connections.has(slow.id), 5000, 'the slow client on the server')
    const slowConn = server.connections.get(slow.id)!
    const closed = new Promise<[string, string]>((r) => slowConn.events.on('close', (reason, detail) => r([reason, detail])))
    slow.stop()
    return { server, healthy, slowConn, closed }
  }

  /** Broadcasts 8 KiB reliable + 1 KB unreliable every 10 ms until `until` resolves (and a little more). */
  async function broadcast(server: GameServer<TestSchema>, until: Promise<unknown>, slowConn: ServerConnection<TestSchema>) {
    let done = false
    void until.then(() => (done = true))
    let seq = 0
    let maxServerQueued = 0
    let maxSlowPending = 0
    const data = new Uint8Array(BULK)
    const pad = new Uint8Array(1000)
    const deadline = Date.now() + 40_000
    let extra = 0
    while (extra < 30 && Date.now() < deadline) {
      if (done) extra++
      server.broadcast('bulk', { seq: seq++, data })
      server.broadcast('state', { seq, sentAt: 0, pad })
      let total = 0
      for (const c of server.connections.values()) total += c.pendingReliableBytes
      maxServerQueued = Math.max(maxServerQueued, total)
      if (!slowConn.closed) maxSlowPending = Math.max(maxSlowPending, slowConn.pendingReliableBytes)
      await sleep(10)
    }
    return { sent: seq, maxServerQueued, maxSlowPending }
  }

  async function expectHealthyGotEverything(healthy: { client: GameClient<TestSchema>; got: number[] }[], sent: number) {
    await waitFor(() => healthy.every((h) => h.got.length >= sent), 15_000, 'healthy clients to receive everything')
    for (const h of healthy) {
      expect(h.got).toEqual(Array.from({ length: sent }, (_, i) => i))
      expect(h.client.connected).toBe(true)
    }
  }

  it('a stopped peer past its per-connection bound is dropped as slow-consumer; memory stays bounded', async () => {
    const maxQueuedBytes = 1024 * 1024
    const { server, healthy, slowConn, closed } = await scenario({
      link: { reliable: { channelHighWater: HIGH_WATER, maxQueuedBytes }, timeoutMs: 60_000, slowConsumerMs: 60_000 },
    })
    const result = await broadcast(server, closed, slowConn)
    const [reason, detail] = await closed
    expect(reason).toBe('slow-consumer')
    expect(detail).toMatch(/bytes queued for a peer that is not keeping up/)
    // Our queue plus the channel's buffer, plus the message that found it full.
    expect(result.maxSlowPending).toBeLessThanOrEqual(maxQueuedBytes + HIGH_WATER + BULK + 64)
    // The whole server: that, plus at most a channel's worth for each healthy client.
    expect(result.maxServerQueued).toBeLessThanOrEqual(maxQueuedBytes + 4 * (HIGH_WATER + BULK + 64))
    expect(slowConn.stats().droppedOut).toBeGreaterThan(0) // unreliable state was dropped, not queued
    expect(server.connections.has(slowConn.id)).toBe(false)
    await expectHealthyGotEverything(healthy, result.sent)
  }, 90_000)

  it('a stopped peer that takes nothing for slowConsumerMs is dropped, though under its bound', async () => {
    const { server, healthy, slowConn, closed } = await scenario({
      link: { reliable: { channelHighWater: HIGH_WATER, maxQueuedBytes: 64 * 1024 * 1024 }, timeoutMs: 60_000, slowConsumerMs: 3000 },
    })
    const started = Date.now()
    const result = await broadcast(server, closed, slowConn)
    const [reason, detail] = await closed
    expect(reason).toBe('slow-consumer')
    expect(detail).toMatch(/took none of \d+ pending bytes/)
    expect(Date.now() - started).toBeLessThan(30_000)
    await expectHealthyGotEverything(healthy, result.sent)
  }, 90_000)

  it('the server-wide send budget drops the largest backlog, sparing the others', async () => {
    const sendBudgetBytes = 512 * 1024
    const { server, healthy, slowConn, closed } = await scenario({
      link: { reliable: { channelHighWater: HIGH_WATER, maxQueuedBytes: 16 * 1024 * 1024 }, timeoutMs: 60_000, slowConsumerMs: 60_000 },
      sendBudgetBytes,
    })
    const result = await broadcast(server, closed, slowConn)
    const [reason, detail] = await closed
    expect(reason).toBe('slow-consumer')
    expect(detail).toMatch(/send budget/)
    expect(server.sendBudget.peak).toBeLessThanOrEqual(sendBudgetBytes + BULK + 64)
    expect(server.sendBudget.total).toBeLessThan(sendBudgetBytes)
    expect(server.sendBudget.shedCount).toBe(1)
    await expectHealthyGotEverything(healthy, result.sent)
  }, 90_000)
})
