/**
 * The lobby and file transfers, unchanged, over the WebSocket fallback: two Node clients forced onto
 * `transport: 'websocket'` (the `ws` package installed as the global WebSocket by installNodeWebRTC)
 * join the lobby, meet in a room, chat, and one sends a real file to the other through the server's
 * FileRelay; the SHA-256 matches and neither connection ever used WebRTC.
 */
import { createHash } from 'node:crypto'
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FileClient } from '../../../client/files/file-client'
import type { ReceivedFile } from '../../../client/files/types'
import type { GameClient } from '../../../client/index'
import { LobbyClient } from '../../../client/lobby/index'
import { FileRelay } from '../../../server/files/file-relay'
import type { GameServer } from '../../../server/index'
import { LobbyServer } from '../../../server/lobby/index'
import { fileMessages } from '../../../shared/files/file-messages'
import { lobbyMessages, type ChatMessage } from '../../../shared/lobby/index'
import { defineSchema } from '../../../shared/schema/index'
import { connectClient, startServer, waitFor } from '../../support/real-net'

const schema = defineSchema({ ...lobbyMessages, ...fileMessages })
type App = typeof schema
const TOKEN = 'ws-lobby-token'

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

describe('lobby, chat and files over the WebSocket fallback', () => {
  let server: GameServer<App>
  let lobbyServer: LobbyServer<App>
  let relay: FileRelay<App>
  let url: string
  const games: GameClient<App>[] = []
  const lobbies: LobbyClient<App>[] = []

  beforeAll(async () => {
    ;({ server, url } = await startServer(schema, { websocket: { token: TOKEN } }))
    lobbyServer = new LobbyServer(server, { chat: { burst: 40, perSecond: 2, history: 50, maxLength: 300 } })
    relay = new FileRelay(server, lobbyServer, { maxFileBytes: 8 * 1024 * 1024 })
  })
  afterAll(async () => {
    for (const l of lobbies) l.close()
    for (const g of games) g.close()
    relay?.close()
    lobbyServer?.close()
    await server?.close()
  })

  async function player(name: string, via = url): Promise<{ game: GameClient<App>; lobby: LobbyClient<App>; files: FileClient<App>; chat: ChatMessage[] }> {
    const game = await connectClient(schema, via, { transport: 'websocket', authorization: `Bearer ${TOKEN}` })
    games.push(game)
    const lobby = new LobbyClient(game, { storage: null })
    lobbies.push(lobby)
    const chat: ChatMessage[] = []
    lobby.events.on('chat', (m) => chat.push(m))
    await lobby.join({ name })
    return { game, lobby, files: new FileClient(game), chat }
  }

  it('two players join, see each other, chat in a room and send a 3 MB file with a matching SHA-256', async () => {
    const [ann, ben] = await Promise.all([player('Ann'), player('Ben')])
    for (const p of [ann, ben]) expect(p.game.stats()).toMatchObject({ transport: 'websocket', transportReason: 'forced' })
    for (const conn of server.connections.values()) expect(conn.stats().transport).toBe('websocket')

    // Presence: each sees the other.
    await waitFor(() => [...ann.lobby.peers.values()].some((p) => p.name === 'Ben') && [...ben.lobby.peers.values()].some((p) => p.name === 'Ann'), 10_000, 'presence both ways')

    // A room, and chat in it, in order, both ways.
    const room = await ann.lobby.createRoom({ name: 'Fallback', capacity: 4 })
    await ben.lobby.joinRoom(room.id)
    const lines = Array.from({ length: 20 }, (_, i) => `ann ${i}`)
    await Promise.all(lines.map((t) => ann.lobby.say(t)))
    await ben.lobby.say('ben here')
    const texts = (p: { chat: ChatMessage[] }) => p.chat.filter((m) => m.room === room.id).map((m) => m.text)
    await waitFor(() => texts(ben).length >= 21 && texts(ann).length >= 21, 10_000, 'room chat both ways')
    for (const p of [ann, ben]) expect(texts(p)).toEqual([...lines, 'ben here'])

    // A real file through the server's FileRelay: offered, accepted, chunked, verified.
    const file = new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 131 + (i >> 11)) & 0xff)
    const received: ReceivedFile[] = []
    const sent: string[] = []
    ben.files.events.on('offer', (o) => o.accept())
    ben.files.events.on('complete', (f) => received.push(f))
    ann.files.events.on('sent', (s) => sent.push(s.transferId))
    const cancelled: unknown[] = []
    for (const p of [ann, ben]) p.files.events.on('cancelled', (c) => cancelled.push(c))
    const started = performance.now()
    const id = ann.files.send({ name: 'level.bin', bytes: file, mime: 'application/octet-stream' }, ben.lobby.self!.id)
    await waitFor(() => (received.length === 1 && sent.includes(id)) || cancelled.length > 0, 30_000, 'file over the WebSocket')
    expect(cancelled).toEqual([])
    const got = received[0]!
    expect(got.bytes.byteLength).toBe(file.byteLength)
    expect(sha(got.bytes)).toBe(sha(file))
    expect(got.sha256).toBe(sha(file))
    expect(got.verified).toBe(true)
    console.log(JSON.stringify({ case: 'websocket-file', bytes: file.byteLength, ms: Math.round(performance.now() - started) }))

    // Still on the fallback throughout.
    for (const p of [ann, ben]) expect(p.game.stats().transport).toBe('websocket')
  }, 90_000)

  it('a cut socket suspends the session and the player resumes on a new socket, lobby seat and room kept', async () => {
    const proxy = await tcpProxy(Number(new URL(url).port))
    try {
      const [cat, dan] = await Promise.all([player('Cat', proxy.url), player('Dan', proxy.url)])
      const room = await cat.lobby.createRoom({ name: 'Cut', capacity: 4 })
      await dan.lobby.joinRoom(room.id)
      const catId = cat.lobby.self!.id
      const resumed: string[] = []
      for (const p of [cat, dan]) p.game.events.on('resumed', () => resumed.push(p.lobby.self!.name))
      // The network cuts both TCP connections (the server sees its sockets close, as after a reset).
      proxy.cut()
      await waitFor(() => resumed.length === 2, 20_000, 'both sessions resumed over new sockets')
      expect(cat.lobby.self!.id).toBe(catId)
      expect(cat.lobby.room?.id).toBe(room.id)
      for (const p of [cat, dan]) expect(p.game.stats().transport).toBe('websocket')
      await cat.lobby.say('after the cut')
      await waitFor(() => dan.chat.some((m) => m.text === 'after the cut'), 10_000, 'chat after the resume')
      // The resumed sockets stay up (a handed-over connection must not close the socket it gave away).
      await new Promise((r) => setTimeout(r, 500))
      await dan.lobby.say('still here')
      await waitFor(() => cat.chat.some((m) => m.text === 'still here'), 10_000, 'chat half a second later')
      // One resume each: no second cut of the new sockets.
      expect(resumed.sort()).toEqual(['Cat', 'Dan'])
      console.log(JSON.stringify({ case: 'websocket-resume', proxiedConnections: proxy.accepted }))
    } finally {
      proxy.close()
    }
  }, 60_000)
})

/** A TCP forwarder to 127.0.0.1:`port` whose `cut()` destroys every connection through it, like a network reset. */
async function tcpProxy(port: number): Promise<{ url: string; accepted: number; cut(): void; close(): void }> {
  const pairs = new Set<[net.Socket, net.Socket]>()
  const state = { accepted: 0 }
  const server = net.createServer((inbound) => {
    state.accepted++
    const outbound = net.connect(port, '127.0.0.1')
    const pair: [net.Socket, net.Socket] = [inbound, outbound]
    pairs.add(pair)
    inbound.pipe(outbound).pipe(inbound)
    const drop = () => {
      pairs.delete(pair)
      inbound.destroy()
      outbound.destroy()
    }
    inbound.on('error', drop).on('close', drop)
    outbound.on('error', drop).on('close', drop)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address() as net.AddressInfo
  const cut = () => {
    for (const [a, b] of pairs) {
      a.resetAndDestroy()
      b.resetAndDestroy()
    }
    pairs.clear()
  }
  return {
    url: `http://127.0.0.1:${address.port}`,
    get accepted() {
      return state.accepted
    },
    cut,
    close() {
      cut()
      server.close()
    },
  }
}
