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
import { blackoutSchema, noteText, TICK_RATE, type BlackoutSchema, type ServerState } from './blackout-game'

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
/** The session sequence number of note 0 (sent just before the cut). */
let preCutSeq: number | undefined
const state: ServerState = {
  type: 'state',
  notes: [],
  badText: 0,
  suspendedAt: undefined,
  resumedAt: undefined,
  unackedAtSuspend: undefined,
  preCutUnacked: undefined,
  replayed: undefined,
  closed: '',
  peerId: undefined,
  connId: undefined,
  sameConnection: false,
  room: undefined,
  seat: undefined,
  fullSnapshotsSent: 0,
  resumesAccepted: 0,
}

server.onConnection((conn) => {
  first ??= conn
  conn.session?.events.on('suspended', () => {
    state.suspendedAt = Date.now()
    state.unackedAtSuspend = conn.session!.book.unackedMessages
    state.preCutUnacked = preCutSeq !== undefined && conn.session!.book.acked < preCutSeq
  })
  conn.session?.events.on('resumed', (r) => {
    state.resumedAt = Date.now()
    state.replayed = r.replayed
    resumesAccepted++
  })
  conn.events.on('close', (reason, detail) => (state.closed = `${reason} ${detail}`))
})
server.on('note', (m) => {
  state.notes.push(m.seq)
  if (m.text !== noteText(m.seq)) state.badText++
})
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
    if (cmd.action === 'send') {
      for (let seq = Number(cmd.from); seq < Number(cmd.to); seq++) first?.send('note', { seq, text: noteText(seq) })
      if (Number(cmd.from) === 0) preCutSeq = first?.session?.book.sent
      return { type: 'sent' }
    }
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
