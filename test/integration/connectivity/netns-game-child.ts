/**
 * Runs inside a network namespace (test/support/netns.ts) whose iptables rules the parent set up:
 * a GameServer (WebSocket fallback on, WebRTC on one UDP port), a Node GameClient, a NetRoom game,
 * chat, and a 60 Hz probe stream whose age on arrival is the "update age". Modes (env MODE):
 * `auto` connects with transport auto (the parent may block UDP), `relay` through a coturn started
 * here (relay-only, static credentials). Prints one `result` line, then exits.
 */
import { NetClient } from '../../../client/netcode/index'
import { NetRoom } from '../../../server/netcode/index'
import type { ServerConnection } from '../../../server/index'
import { defineSchema, t } from '../../../shared/schema/index'
import type { GeckosConnectionsManager } from '../../../server/transport/geckos-internals'
import { emit } from '../../support/child-protocol'
import { connectClient, sleep, startServer, waitFor } from '../../support/real-net'
import { startTurn } from '../../support/turn'
import { clientGame, messages, TestWorld } from '../netcode/test-game'

const schema = defineSchema({
  ...messages,
  chat: { channel: 'reliable', fields: { text: t.string({ maxLength: 100 }) } },
  probe: { channel: 'unreliable', direction: 'toClient', fields: { seq: t.uint32(), sentAt: t.float64() } },
  file: { channel: 'reliable', direction: 'toServer', fields: { data: t.binary({ maxLength: 1 << 20 }) } },
  fileAck: { channel: 'reliable', direction: 'toClient', fields: { bytes: t.uint32(), sum: t.uint32() } },
})

const mode = process.env.MODE ?? 'auto'
const udpPort = Number(process.env.UDP_PORT)
const probeMs = Number(process.env.PROBE_MS ?? 8000)
/** How long `auto` gives WebRTC before it tries the WebSocket. */
const fallbackAfterMs = Number(process.env.FALLBACK_MS ?? 3000)

if (mode === 'doctor') {
  const { diagnoseConnectivity } = await import('../../../client/connectivity/index')
  const { server, url } = await startServer(schema, { websocket: {}, portRange: { min: udpPort, max: udpPort } })
  const report = await diagnoseConnectivity(url, { schema, timeoutMs: 3000 })
  emit({ type: 'result', ...report })
  await server.close()
  process.exit(0)
}

try {
  const turn = mode === 'relay' ? await startTurn({ user: 'u', password: 'p' }, { port: Number(process.env.TURN_PORT) }) : undefined
  const { server, url } = await startServer(schema, { websocket: {}, portRange: { min: udpPort, max: udpPort } })
  const accepted = new Promise<ServerConnection<typeof schema>>((r) => server.onConnection(r))
  const started = performance.now()
  const client = await connectClient(schema, url, {
    connectTimeoutMs: 20_000,
    fallbackAfterMs,
    ...(turn ? { iceServers: [{ urls: turn.url, username: 'u', credential: 'p' }], iceTransportPolicy: 'relay' as const, transport: 'webrtc' as const } : {}),
  })
  const connectMs = Math.round(performance.now() - started)
  const conn = await accepted

  // The game: a NetRoom with this player, snapshots to a NetClient.
  const world = new TestWorld()
  world.addPlayer(1, 0, 0)
  const room = new NetRoom(server, { messages, game: world, tickRate: 30, inputRate: 60 })
  room.start()
  room.add(conn, 1)
  const net = new NetClient(client, { messages, game: clientGame(() => ({ moveX: 1, moveY: 0 })), angles: ['angle'] })
  await waitFor(() => net.render().self !== undefined, 10_000, 'the first snapshot')
  await sleep(1000)
  const moved = world.players.get(1)!.x

  // Chat both ways, in order.
  const chats: string[] = []
  client.on('chat', (m) => chats.push(m.text))
  conn.on('chat', (m) => conn.send('chat', { text: `echo ${m.text}` }))
  for (let i = 0; i < 20; i++) client.send('chat', { text: `c${i}` })
  await waitFor(() => chats.length === 20, 10_000, 'chat echoes')

  // A file-sized reliable message (1 MB, checksummed by the server).
  const data = new Uint8Array(1 << 20).map((_, i) => (i * 7) & 0xff)
  let ack: { bytes: number; sum: number } | undefined
  conn.on('file', (m) => conn.send('fileAck', { bytes: m.data.length, sum: m.data.reduce((a, b) => (a + b) >>> 0, 0) }))
  client.on('fileAck', (m) => (ack = m))
  client.send('file', { data })
  await waitFor(() => ack !== undefined, 20_000, 'file ack')

  // Update age: 60 Hz probes, stamped on send, aged on arrival (one process, one clock).
  const ages: number[] = []
  client.on('probe', (m) => ages.push(performance.now() - m.sentAt))
  let seq = 0
  const timer = setInterval(() => conn.send('probe', { seq: seq++, sentAt: performance.now() }), 1000 / 60)
  await sleep(probeMs)
  clearInterval(timer)
  await sleep(200)
  ages.sort((a, b) => a - b)
  const pct = (p: number) => Math.round((ages[Math.min(ages.length - 1, Math.floor((p / 100) * ages.length))] ?? NaN) * 100) / 100

  const manager = server.io.connectionsManager as unknown as GeckosConnectionsManager
  // conn.id is the public id; the peer connection is keyed by the secret setup id. One client here.
  const [peer] = [...manager.connections.values()]
  const pair = peer?.peerConnection.getSelectedCandidatePair()
  const stats = client.stats()
  emit({
    type: 'result',
    connectMs,
    transport: stats.transport,
    transportReason: stats.transportReason,
    serverTransport: conn.stats().transport,
    snapshotsMovedPlayer: moved > 0.5,
    chatsInOrder: chats.every((c, i) => c === `echo c${i}`),
    file: ack,
    fileSum: data.reduce((a, b) => (a + b) >>> 0, 0),
    probesSent: seq,
    probesReceived: ages.length,
    ageP50: pct(50),
    ageP99: pct(99),
    serverPair: pair ? { local: pair.local.type, remote: pair.remote.type, localPort: pair.local.port, remotePort: pair.remote.port } : null,
    turnAllocations: turn?.allocations() ?? 0,
  })
  room.stop()
  client.close()
  await server.close()
  await turn?.stop()
  process.exit(0)
} catch (err) {
  emit({ type: 'error', message: String(err instanceof Error ? err.stack : err) })
  process.exit(1)
}
