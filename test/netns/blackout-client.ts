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
import { blackoutSchema, type ClientState } from './blackout-game'
import { BlackoutSide, newSideState } from './blackout-side'

installNodeWebRTC({ bindAddress: process.env.NETPLAY_BIND })
const client = new GameClient(blackoutSchema, { url: process.env.SERVER_URL!, connectTimeoutMs: 20_000 })
await client.connect()
const session = () => client.raw.session as LinkSession

const state: ClientState = {
  ...newSideState(),
  peerId: undefined,
  connId: client.id,
  room: undefined,
  seat: undefined,
  handshakeMs: undefined,
  rttMs: 0,
  fullSnapshotsAt: [],
  deltaSnapshots: 0,
}
const side = new BlackoutSide(state)
client.events.on('suspended', () => side.suspended(session().book))
client.events.on('resumed', (r) => {
  side.resumed(r.replayed)
  state.handshakeMs = r.handshakeMs
})
client.events.on('disconnect', (reason, detail) => (state.closed = `${reason} ${detail}`))
client.on('note', (m) => side.received(m))
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
    if (cmd.action === 'send') return side.send(cmd, (seq, text) => client.send('note', { seq, text }), () => session().book)
    return { ...read() }
  },
  async (code) => {
    net.stop()
    client.close()
    await new Promise((r) => setTimeout(r, 200))
    process.exit(code)
  },
)
