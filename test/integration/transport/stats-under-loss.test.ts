import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GameClient } from '../../../client/index'
import type { GameServer, ServerConnection } from '../../../server/index'
import { connectPair, sleep, startServer, waitFor } from '../../support/real-net'
import { testSchema, type TestSchema } from '../../support/test-schema'

describe('net stats under simulated loss and latency', () => {
  let server: GameServer<TestSchema>
  let client: GameClient<TestSchema>
  let conn: ServerConnection<TestSchema>

  beforeAll(async () => {
    let url: string
    ;({ server, url } = await startServer(testSchema))
    ;({ client, conn } = await connectPair(server, testSchema, url))
  })
  afterAll(async () => {
    client.close()
    await server.close()
  })

  it('reports ~20% loss on the unreliable channel, per direction, on both ends', async () => {
    // 20% of what the client sends is dropped; the server's sends are untouched.
    client.setConditions({ outgoing: { loss: 0.2 } })
    let received = 0
    conn.on('input', () => received++)
    const sent = 1500
    for (let seq = 0; seq < sent; seq++) {
      client.send('input', { seq, dx: 1, dy: -1 })
      if (seq % 50 === 49) await sleep(5)
    }
    await sleep(1200) // a ping or two carries the server's measurement back
    const atServer = conn.stats()
    const atClient = client.stats()
    expect(received / sent).toBeGreaterThan(0.74)
    expect(received / sent).toBeLessThan(0.86)
    expect(atServer.loss.in).toBeGreaterThan(0.16)
    expect(atServer.loss.in).toBeLessThan(0.24)
    expect(atClient.loss.out).toBeCloseTo(atServer.loss.in, 1)
    expect(atClient.loss.in).toBeLessThan(0.05)
    client.setConditions({ outgoing: {} })
  })

  it('reports added latency and jitter in the RTT', async () => {
    client.setConditions({ outgoing: { latencyMs: 40, jitterMs: 20 }, incoming: { latencyMs: 40 } })
    await waitFor(() => client.stats().rtt.smoothed > 70, 8000, 'rtt to include the added latency')
    await sleep(2000)
    const s = client.stats()
    expect(s.rtt.p50).toBeGreaterThan(80)
    expect(s.rtt.p50).toBeLessThan(140)
    expect(s.jitter).toBeGreaterThan(1)
    client.setConditions({ outgoing: {}, incoming: {} })
  })

  it('counts messages and bytes per name per second', async () => {
    const stats = await new Promise<ReturnType<GameClient<TestSchema>['stats']>>((resolve) => {
      const timer = setInterval(() => client.send('echo', { seq: 1 }), 10)
      const off = client.events.on('stats', (s) => {
        if ((s.messagesOut.echo?.messagesPerSec ?? 0) > 0) {
          clearInterval(timer)
          off()
          resolve(s)
        }
      })
    })
    expect(stats.messagesOut.echo!.messagesPerSec).toBeGreaterThan(30)
    expect(stats.messagesOut.echo!.messagesPerSec).toBeLessThan(150)
    // An echo frame is 3 bytes: id, a one-element array header, the seq.
    expect(stats.messagesOut.echo!.bytesPerSec / stats.messagesOut.echo!.messagesPerSec).toBeCloseTo(3, 5)
    expect(stats.bytesOutPerSec).toBeGreaterThan(0)
  })
})
