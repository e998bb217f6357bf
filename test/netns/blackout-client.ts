/**
 * The client side of the real-blackout test, run in its own network namespace: a Node GameClient,
 * LobbyClient (joins, creates a room, is seated) and NetClient. Prints `ready` once delta snapshots
 * flow, then answers `state` and sends notes on `send`, like blackout-server.ts.
 */
import { GameClient, installNodeWebRTC } from '../../client/node'
import { LobbyClient } from '../../client/lobby/index'
import { NetClient } from '../../client/netcode/index'
import { readDeltaHeader } from '../../shared/netcode/snapshot-delta'
import type { LinkSession } from '../../shared/transport/session'
import { clientGame, messages } from '../integration/netcode/test-game'
import { emit, serveRuns } from '../support/child-protocol'
import { blackoutSchema, noteText, type ClientState } from './blackout-game'

installNodeWebRTC({ bindAddress: process.env.NETPLAY_BIND })
const client = new GameClient(blackoutSchema, { url: process.env.SERVER_URL!, connectTimeoutMs: 20_000 })
await client.connect()
const session = () => client.raw.session as LinkSession

/** The session sequence number of note 0 (sent just before the cut). */
let preCutSeq: number | undefined
const state: ClientState = {
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
  connId: client.id,
  room: undefined,
  seat: undefined,
  handshakeMs: undefined,
  rttMs: 0,
  fullSnapshotsAt: [],
  deltaSnapshots: 0,
}
client.events.on('suspended', () => {
  state.suspendedAt = Date.now()
  state.unackedAtSuspend = session().book.unackedMessages
  state.preCutUnacked = preCutSeq !== undefined && session().book.acked < preCutSeq
})
client.events.on('resumed', (r) => {
  state.resumedAt = Date.now()
  state.replayed = r.replayed
  state.handshakeMs = r.handshakeMs
})
client.events.on('disconnect', (reason, detail) => (state.closed = `${reason} ${detail}`))
client.on('note', (m) => {
  state.notes.push(m.seq)
  if (m.text !== noteText(m.seq)) state.badText++
})
client.on('netSnapshot', (m) => {
  if (readDeltaHeader(m.data).baseTick === undefined) state.fullSnapshotsAt.push(Date.now())
  else state.deltaSnapshots++
})

const lobby = new LobbyClient(client, { storage: null, sessionStorage: null })
await lobby.join({ name: 'Blackout' })
const net = new NetClient(client, { messages, game: clientGame(() => ({ moveX: 0.2, moveY: 0 })), angles: ['angle'] })
await lobby.createRoom({ name: 'dark', capacity: 4 })
const deadline = Date.now() + 20_000
while (state.deltaSnapshots < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
const read = (): ClientState => ({ ...state, peerId: lobby.self?.id, connId: client.id, room: lobby.self?.room, seat: net.entityId, rttMs: client.stats().rtt.smoothed })
emit({ ...read(), type: 'ready' })

serveRuns(
  async (cmd) => {
    if (cmd.action === 'send') {
      for (let seq = Number(cmd.from); seq < Number(cmd.to); seq++) client.send('note', { seq, text: noteText(seq) })
      if (Number(cmd.from) === 0) preCutSeq = session().book.sent
      return { type: 'sent' }
    }
    return { ...read() }
  },
  async (code) => {
    net.stop()
    client.close()
    await new Promise((r) => setTimeout(r, 200))
    process.exit(code)
  },
)
