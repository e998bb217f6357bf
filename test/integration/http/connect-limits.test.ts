import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConnectError, type GameClient } from '../../../client/index'
import type { GameServer } from '../../../server/index'
import type { GeckosConnectionsManager } from '../../../server/transport/geckos-internals'
import { connectClient, startServer, waitFor } from '../../support/real-net'
import { testSchema, type TestSchema } from '../../support/test-schema'

/** A setup request from one of loopback's many addresses (127.0.0.2, ...). */
function create(port: number, from = '127.0.0.1'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/.wrtc/v2/connections', localAddress: from }, (res) => {
      let body = ''
      res.on('data', (d: Buffer) => (body += d.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** Defect: every setup request allocated a native peer connection, with no cap per address or server. */
describe('caps on peer connections', () => {
  let server: GameServer<TestSchema>
  let port: number
  const clients: GameClient<TestSchema>[] = []
  const manager = () => server.io.connectionsManager as unknown as GeckosConnectionsManager

  beforeAll(async () => {
    let url: string
    ;({ server, url } = await startServer(testSchema, {
      // Long enough for a real handshake on a starved machine (1 s reaped one in a loaded full run),
      // short enough to watch abandoned setups being reaped.
      handshakeTimeoutMs: 4000,
      connectLimits: { maxHandshakesPerAddress: 2, maxHandshakes: 3, maxConnectionsPerAddress: 3, maxConnections: 4 },
    }))
    port = Number(new URL(url).port)
  })
  afterAll(async () => {
    for (const c of clients) c.close()
    await server.close()
  })

  it('refuses handshakes over the per-address and per-server caps before allocating', async () => {
    const a = [await create(port), await create(port), await create(port)]
    expect(a.map((r) => r.status)).toEqual([200, 200, 429])
    expect(a[2]!.body).toBe('too-many-handshakes-from-address')
    expect(manager().connections.size).toBe(2) // nothing allocated for the refused one
    expect((await create(port, '127.0.0.2')).status).toBe(200)
    const busy = await create(port, '127.0.0.3')
    expect(busy).toEqual({ status: 503, body: 'server-busy' })
    expect(manager().connections.size).toBe(3)
    // Half-open ones are reaped, and their slots come back.
    await waitFor(() => manager().connections.size === 0 && server.connectLimits.handshakes === 0, 15_000, 'abandoned setups to be reaped')
    expect(server.connectLimits.connections).toBe(0)
  })

  it('refuses connections over the caps with a clear ConnectError reason', async () => {
    const url = `http://127.0.0.1:${port}`
    for (let i = 0; i < 3; i++) clients.push(await connectClient(testSchema, url))
    expect(server.connectLimits.connections).toBe(3)
    const refused = await connectClient(testSchema, url, { connectTimeoutMs: 5000 }).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(ConnectError)
    expect((refused as ConnectError).reason).toBe('too-many-connections')
    expect((await create(port, '127.0.0.2')).status).toBe(200) // 4 of 4 on the server
    expect(await create(port, '127.0.0.3')).toEqual({ status: 503, body: 'server-full' })
    // A client that leaves gives its slot back.
    clients.shift()!.close()
    await waitFor(() => server.connectLimits.connections === 2 && manager().connections.size === 2, 5000, 'the slots to be released')
    clients.push(await connectClient(testSchema, url))
    expect(server.connections.size).toBe(3)
  })
})
