/**
 * The WebSocket fallback on loopback: forced, and chosen automatically when WebRTC cannot connect.
 * The same schema and API on both channels; stats name the transport and why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConnectError } from '../../../client/index'
import type { GameServer } from '../../../server/index'
import { connectClient, connectPair, startServer, waitFor } from '../../support/real-net'
import { testSchema, type TestSchema } from '../../support/test-schema'

describe('WebSocket fallback', () => {
  let server: GameServer<TestSchema>
  let url: string

  beforeAll(async () => {
    ;({ server, url } = await startServer(testSchema, { websocket: { token: 'tok' } }))
  })
  afterAll(async () => {
    await server.close()
  })

  it('forced: both channels carry typed messages, reliable ones in order, and stats say websocket/forced', async () => {
    const { client, conn } = await connectPair(server, testSchema, url, { transport: 'websocket', authorization: 'Bearer tok' })
    const got: number[] = []
    const states: number[] = []
    client.on('chat', (m) => got.push(m.seq))
    client.on('state', (m) => states.push(m.seq))
    const serverGot: number[] = []
    conn.on('chat', (m) => serverGot.push(m.seq))
    const big = new Uint8Array(300_000).map((_, i) => i & 0xff)
    let bulkOk = false
    conn.on('bulk', (m) => (bulkOk = m.data.length === big.length && m.data.every((b, i) => b === (i & 0xff))))
    for (let i = 0; i < 500; i++) conn.send('chat', { seq: i, text: `m${i}` })
    for (let i = 0; i < 100; i++) client.send('chat', { seq: i, text: `c${i}` })
    client.send('bulk', { seq: 1, data: big })
    for (let i = 0; i < 50; i++) conn.send('state', { seq: i, sentAt: 0, pad: new Uint8Array(10) })
    await waitFor(() => got.length === 500 && serverGot.length === 100 && bulkOk && states.length > 0, 20_000, 'messages over the WebSocket')
    expect(got).toEqual(Array.from({ length: 500 }, (_, i) => i))
    expect(serverGot).toEqual(Array.from({ length: 100 }, (_, i) => i))
    // Unreliable state never arrives out of order over TCP; newer may replace older while the socket is busy.
    expect(states).toEqual([...states].sort((a, b) => a - b))
    expect(client.stats()).toMatchObject({ transport: 'websocket', transportReason: 'forced' })
    expect(conn.stats().transport).toBe('websocket')
    client.close()
    await waitFor(() => !server.connections.has(conn.id), 10_000, 'server to drop the connection')
  }, 60_000)

  it('auto: falls back when WebRTC cannot connect, naming the reason', async () => {
    // No RTCPeerConnection can connect when the offer's candidates are unreachable: force a failure by
    // pointing WebRTC at relay-only with no TURN server, which fails at once (turn-failed).
    const client = await connectClient(testSchema, url, { iceTransportPolicy: 'relay', authorization: 'Bearer tok', fallbackAfterMs: 8000 })
    expect(client.stats()).toMatchObject({ transport: 'websocket', transportReason: 'turn-failed' })
    const echoes: number[] = []
    client.on('chat', (m) => echoes.push(m.seq))
    const conn = [...server.connections.values()].find((c) => c.id === client.id)!
    conn.on('chat', (m) => conn.send('chat', m))
    client.send('chat', { seq: 7, text: 'ping' })
    await waitFor(() => echoes.includes(7), 10_000, 'echo')
    client.close()
  }, 60_000)

  it('auto prefers WebRTC when it works', async () => {
    const client = await connectClient(testSchema, url, { authorization: 'Bearer tok' })
    expect(client.stats()).toMatchObject({ transport: 'webrtc', transportReason: 'direct' })
    client.close()
  }, 30_000)

  it('the upgrade is guarded: a wrong token is refused with a ConnectError', async () => {
    const err = await connectClient(testSchema, url, { transport: 'websocket', authorization: 'Bearer nope', connectTimeoutMs: 10_000 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConnectError)
    expect((err as ConnectError).reason).toBe('unreachable')
  }, 30_000)

  it('a foreign Origin is refused', async () => {
    const { server: s2, url: u2 } = await startServer(testSchema, { websocket: { allowedOrigins: ['https://game.example'] } })
    try {
      const { WebSocket } = await import('ws')
      const status = await new Promise<number>((resolve) => {
        const ws = new WebSocket(`${u2.replace('http', 'ws')}/.netplay/ws`, ['netplay.v1'], { origin: 'https://evil.example' })
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
        ws.on('open', () => resolve(101))
        ws.on('error', () => undefined)
      })
      expect(status).toBe(403)
    } finally {
      await s2.close()
    }
  }, 30_000)
})
