/**
 * The server side of the real-blackout test (test/integration/real-blackout.test.ts), run in its own
 * network namespace: GameServer, LobbyServer and a NetRoom that seats every room member. Prints
 * `ready` with its port, then answers `{ cmd: 'run', action: 'state' }` and sends notes on
 * `{ cmd: 'run', action: 'send', from, to }`.
 */
import { GameServer, type ServerConnection } from '../../server/index'
import { LobbyServer } from '../../server/lobby/index'
import { NetRoom } from '../../server/netcode/index'
import { TestWorld, messages, type InputFields, type Layout } from '../integration/netcode/test-game'
import { emit, serveRuns } from '../support/child-protocol'
import { blackoutSchema, TICK_RATE, type BlackoutSchema, type ServerState } from './blackout-game'
import { BlackoutSide, newSideState } from './blackout-side'

const bind = process.env.NETPLAY_BIND!
const server = new GameServer(blackoutSchema, { bindAddress: bind, handshakeTimeoutMs: 20_000 })
const port = await server.listen(0, bind)
const lobby = new LobbyServer(server)
const world = new TestWorld()
const room = new NetRoom<BlackoutSchema, InputFields, Layout>(server, { messages, game: world, tickRate: TICK_RATE })
room.start()

const seats = new Map<string, number>()
let nextSeat = 7
let first: ServerConnection<BlackoutSchema> | undefined
let resumesAccepted = 0
const state: ServerState = {
  ...newSideState(),
  peerId: undefined,
  connId: undefined,
  sameConnection: false,
  room: undefined,
  seat: undefined,
  fullSnapshotsSent: 0,
  resumesAccepted: 0,
}
const side = new BlackoutSide(state)

server.onConnection((conn) => {
  first ??= conn
  conn.session?.events.on('suspended', () => side.suspended(conn.session!.book))
  conn.session?.events.on('resumed', (r) => {
    side.resumed(r.replayed)
    resumesAccepted++
  })
  conn.events.on('close', (reason, detail) => (state.closed = `${reason} ${detail}`))
})
server.on('note', (m) => side.received(m))
lobby.events.on('memberJoined', (_roomId, peerId) => {
  const conn = lobby.connectionOf(peerId) as ServerConnection<BlackoutSchema> | undefined
  if (!conn) return
  const seat = seats.get(peerId) ?? nextSeat++
  seats.set(peerId, seat)
  world.addPlayer(seat)
  room.add(conn, seat)
})

emit({ type: 'ready', port })

serveRuns(
  async (cmd) => {
    if (cmd.action === 'send') return side.send(cmd, (seq, text) => first?.send('note', { seq, text }), () => first?.session?.book)
    const peerId = first ? lobby.peerIdOf(first) : undefined
    const now = peerId ? lobby.connectionOf(peerId) : undefined
    return {
      ...state,
      peerId,
      connId: now?.id,
      sameConnection: !!first && now === first,
      room: peerId ? lobby.roomOf(peerId) : undefined,
      seat: peerId ? seats.get(peerId) : undefined,
      fullSnapshotsSent: first ? (room.clientStats(first)?.snapshots.full ?? 0) : 0,
      resumesAccepted,
    }
  },
  async (code) => {
    room.stop()
    await server.close()
    process.exit(code)
  },
)
