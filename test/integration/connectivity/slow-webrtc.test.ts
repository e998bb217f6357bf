/**
 * `auto` when WebRTC is slow rather than blocked (a starved machine, a long ICE path): the WebSocket
 * fallback is tried once `fallbackAfterMs` passes, but a WebRTC handshake still under way keeps its
 * chance when the fallback is unavailable. A 1 ms `fallbackAfterMs` makes every handshake "late".
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { GameServer } from '../../../server/index'
import { connectPair, startServer, waitFor } from '../../support/real-net'
import { testSchema, type TestSchema } from '../../support/test-schema'

describe('auto transport with a WebRTC handshake slower than fallbackAfterMs', () => {
  let server: GameServer<TestSchema> | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  it('a server without the WebSocket fallback: the client waits for WebRTC instead of failing', async () => {
    let url: string
    ;({ server, url } = await startServer(testSchema))
    const { client, conn } = await connectPair(server, testSchema, url, { fallbackAfterMs: 1, connectTimeoutMs: 20_000 })
    expect(client.stats()).toMatchObject({ transport: 'webrtc' })
    expect(conn.stats().transport).toBe('webrtc')
    const echoes: number[] = []
    client.on('chat', (m) => echoes.push(m.seq))
    conn.on('chat', (m) => conn.send('chat', m))
    client.send('chat', { seq: 3, text: 'ping' })
    await waitFor(() => echoes.includes(3), 10_000, 'echo over WebRTC')
    client.close()
  }, 60_000)

  it('a server with the fallback: the WebSocket wins the race and the late WebRTC attempt leaves nothing behind', async () => {
    let url: string
    ;({ server, url } = await startServer(testSchema, { websocket: {} }))
    const { client, conn } = await connectPair(server, testSchema, url, { fallbackAfterMs: 1, connectTimeoutMs: 20_000 })
    expect(client.stats()).toMatchObject({ transport: 'websocket', transportReason: 'webrtc-timeout' })
    // The abandoned WebRTC attempt is torn down on both ends: one connection on the server, and it stays one.
    await new Promise((r) => setTimeout(r, 1500))
    expect([...server.connections.values()].map((c) => c.id)).toEqual([conn.id])
    client.close()
  }, 60_000)
})
