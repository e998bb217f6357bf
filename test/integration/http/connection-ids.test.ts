import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GameClient } from '../../../client/index'
import type { GameServer, ServerConnection } from '../../../server/index'
import type { GeckosConnectionsManager } from '../../../server/transport/geckos-internals'
import { connectClient, connectPair, sleep, startServer, waitFor } from '../../support/real-net'
import { testSchema, type TestSchema } from '../../support/test-schema'

const BASE62 = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
const guessId = () => [...randomBytes(24)].map((b) => BASE62[b % 62]).join('')

/** Defect: `POST /.wrtc/v2/connections/<id>/close` closed any connection whose (broadcast) id one knew. */
describe('a connection id opens nothing', () => {
  let server: GameServer<TestSchema>
  let url: string
  let victim: { client: GameClient<TestSchema>; conn: ServerConnection<TestSchema> }
  let other: GameClient<TestSchema>
  const manager = () => server.io.connectionsManager as unknown as GeckosConnectionsManager
  const post = (id: string, route: string) => fetch(`${url}/.wrtc/v2/connections/${id}/${route}`, { method: route === 'additional-candidates' ? 'GET' : 'POST', body: route === 'remote-description' ? '{"type":"answer","sdp":"v=0"}' : undefined })

  beforeAll(async () => {
    ;({ server, url } = await startServer(testSchema, { handshakeTimeoutMs: 3000, connectGuard: { routeRate: { perSecond: 1000, burst: 1000 } } }))
    victim = await connectPair(server, testSchema, url)
    other = await connectClient(testSchema, url)
  })
  afterAll(async () => {
    victim?.client.close()
    other?.close()
    await server.close()
  })

  const victimAlive = async () => {
    await sleep(500)
    expect(victim.client.connected).toBe(true)
    expect(server.connections.has(victim.conn.id)).toBe(true)
    const echoed = new Promise<string>((r) => victim.client.on('chat', (m) => r(m.text)))
    victim.conn.send('chat', { seq: 1, text: 'still here' })
    expect(await echoed).toBe('still here')
  }

  it('a second client knowing the public id cannot close or touch the connection', async () => {
    expect(victim.client.id).toBe(victim.conn.id) // what the README broadcasts
    for (const id of [victim.conn.id, encodeURIComponent(victim.conn.id)]) {
      for (const route of ['close', 'remote-description', 'additional-candidates']) {
        const res = await post(id, route)
        expect(res.status, `${route} ${id}`).toBeGreaterThanOrEqual(400)
      }
    }
    await victimAlive()
  })

  it('guessed setup ids close nothing', async () => {
    const statuses = new Set<number>()
    for (let i = 0; i < 300; i++) statuses.add((await post(guessId(), i % 2 ? 'close' : 'additional-candidates')).status)
    expect([...statuses]).toEqual([404])
    await victimAlive()
  })

  it('the secret setup id works for its owner only while in setup', async () => {
    const created = await fetch(`${url}/.wrtc/v2/connections`, { method: 'POST' })
    const { id } = (await created.json()) as { id: string }
    expect(id).toMatch(/^[0-9A-Za-z]{24}$/)
    expect([...server.connections.keys()]).not.toContain(id) // public ids are made apart
    expect((await post(id, 'additional-candidates')).status).toBe(200)
    expect((await post(id, 'close')).status).toBe(200)
    await waitFor(() => !manager().connections.has(id), 3000, 'the abandoned setup to close')
    // The victim's own setup id is over once its hello was accepted.
    const victimSetupId = (victim.client as unknown as { channel: { peerConnection: { id: string } } }).channel.peerConnection.id
    expect(victimSetupId).not.toBe(victim.conn.id)
    expect((await post(victimSetupId, 'close')).status).toBe(404)
    await victimAlive()
  })
})
