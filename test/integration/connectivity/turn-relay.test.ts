/**
 * TURN through a real coturn on loopback: relay-only clients (static and REST credentials), the
 * server's own relay candidates, and a wrong credential failing fast with a clear reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConnectError, type GameClient } from '../../../client/index'
import type { ServerConnection } from '../../../server/index'
import { connectClient, connectPair, startServer, waitFor } from '../../support/real-net'
import { testSchema, type TestSchema } from '../../support/test-schema'
import { canRunTurn, startTurn, type TurnServer } from '../../support/turn'

const turnCheck = canRunTurn()
if (!turnCheck.ok) {
  if (process.env.CI === 'true') throw new Error(`CI=true but ${turnCheck.why}`)
  console.warn(`skipping TURN tests: ${turnCheck.why}`)
}
const SECRET = 'test-static-auth-secret'

const typesIn = (sdp: string | undefined) => [...new Set([...(sdp ?? '').matchAll(/typ (\w+)/g)].map((m) => m[1]!))].sort()

/** Candidate types a Node client's peer connection gathered (node-datachannel's polyfill). */
function clientCandidates(client: GameClient<TestSchema>): string[] {
  const internals = client as unknown as { channel?: { peerConnection?: { localPeerConnection?: RTCPeerConnection } } }
  return typesIn(internals.channel?.peerConnection?.localPeerConnection?.localDescription?.sdp)
}

/** Both channels carry messages both ways. */
async function exchange(client: GameClient<TestSchema>, conn: ServerConnection<TestSchema>): Promise<void> {
  const chats: string[] = []
  const echoes: number[] = []
  const serverChats: string[] = []
  client.on('chat', (m) => chats.push(m.text))
  client.on('echo', (m) => echoes.push(m.seq))
  conn.on('chat', (m) => serverChats.push(m.text))
  conn.on('echo', (m) => conn.send('echo', { seq: m.seq }))
  for (let i = 0; i < 20; i++) {
    conn.send('chat', { seq: i, text: `to client ${i}` })
    client.send('chat', { seq: i, text: `to server ${i}` })
  }
  // Unreliable: keep sending until some come back (a loaded machine may lose the first few).
  await waitFor(() => {
    client.send('echo', { seq: echoes.length + 1 })
    return echoes.length >= 5
  }, 20_000, 'unreliable echoes through the relay')
  await waitFor(() => chats.length === 20 && serverChats.length === 20, 20_000, 'reliable chat through the relay')
  expect(chats).toEqual(Array.from({ length: 20 }, (_, i) => `to client ${i}`))
  expect(serverChats).toEqual(Array.from({ length: 20 }, (_, i) => `to server ${i}`))
}

describe.runIf(turnCheck.ok)('TURN relay through a real coturn', () => {
  let staticTurn: TurnServer
  let restTurn: TurnServer

  beforeAll(async () => {
    ;[staticTurn, restTurn] = await Promise.all([startTurn({ user: 'u', password: 'p:w+/=' }), startTurn({ secret: SECRET })])
  }, 30_000)
  afterAll(async () => {
    await Promise.all([staticTurn?.stop(), restTurn?.stop()])
  })

  // node-datachannel (libjuice) announces only relay candidates under `relay` but still checks from its
  // host socket, so on open loopback the pair may be direct: relay-netns.test.ts blocks the direct path
  // to prove the data runs through coturn. Here: credentials are accepted and both channels work.
  it('a relay-only client with static credentials gets a coturn allocation and uses both channels', async () => {
    const { server, url } = await startServer(testSchema)
    const before = staticTurn.allocations()
    try {
      const { client, conn } = await connectPair(server, testSchema, url, {
        iceServers: [{ urls: staticTurn.url, username: 'u', credential: 'p:w+/=' }],
        iceTransportPolicy: 'relay',
        connectTimeoutMs: 20_000,
      })
      await exchange(client, conn)
      expect(clientCandidates(client)).toEqual(['relay'])
      expect(staticTurn.allocations()).toBeGreaterThan(before)
      client.close()
    } finally {
      await server.close()
    }
  }, 60_000)

  it("the server's own peer connections allocate on coturn with TURN credentials (geckos drops them otherwise)", async () => {
    const before = staticTurn.allocations()
    const { server, url } = await startServer(testSchema, {
      iceServers: [{ urls: staticTurn.url, username: 'u', credential: 'p:w+/=' }],
      iceTransportPolicy: 'relay',
    })
    try {
      const { client, conn } = await connectPair(server, testSchema, url, { connectTimeoutMs: 20_000 })
      await exchange(client, conn)
      // The client has no TURN server: the allocation is the server's, made with its credentials.
      await waitFor(() => staticTurn.allocations() > before, 10_000, "the server's allocation")
      client.close()
    } finally {
      await server.close()
    }
  }, 60_000)

  it('time-limited REST credentials minted by the server reach the client, which relays with them', async () => {
    const { server, url } = await startServer(testSchema, { turn: { urls: [restTurn.url], secret: SECRET, ttlSeconds: 600 } })
    const before = restTurn.allocations()
    try {
      const { client, conn } = await connectPair(server, testSchema, url, { iceTransportPolicy: 'relay', connectTimeoutMs: 20_000 })
      await exchange(client, conn)
      expect(clientCandidates(client)).toEqual(['relay'])
      expect(restTurn.allocations()).toBeGreaterThan(before)
      const [minted] = client.iceServers()
      expect(minted?.urls).toEqual([restTurn.url])
      const expiry = Number(minted?.username?.split(':')[0])
      expect(expiry).toBeGreaterThan(Date.now() / 1000 + 500)
      expect(expiry).toBeLessThanOrEqual(Date.now() / 1000 + 601)
      client.close()
    } finally {
      await server.close()
    }
  }, 60_000)

  it('a wrong TURN credential fails with ConnectError turn-failed, well before the connect timeout', async () => {
    const { server, url } = await startServer(testSchema)
    try {
      const started = Date.now()
      const err = await connectClient(testSchema, url, {
        iceServers: [{ urls: staticTurn.url, username: 'u', credential: 'wrong' }],
        iceTransportPolicy: 'relay',
        connectTimeoutMs: 30_000,
      }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(ConnectError)
      expect((err as ConnectError).reason).toBe('turn-failed')
      expect(Date.now() - started).toBeLessThan(25_000)
    } finally {
      await server.close()
    }
  }, 60_000)

  it('a REST credential signed with another secret is refused by coturn', async () => {
    const { server, url } = await startServer(testSchema, { turn: { urls: [restTurn.url], secret: 'not-the-secret' } })
    try {
      const err = await connectClient(testSchema, url, { iceTransportPolicy: 'relay', connectTimeoutMs: 30_000 }).catch((e: unknown) => e)
      expect((err as ConnectError).reason).toBe('turn-failed')
    } finally {
      await server.close()
    }
  }, 60_000)
})
