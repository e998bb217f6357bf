/**
 * The soak's server: the real demo server (lobby, arena rooms, file relay, signalling) in its own
 * process, reporting ServerStats over IPC once a second and on request.
 */
import type { GeckosConnectionsManager } from '../../server/transport/geckos-internals'
import { startDemoServer } from '../../server/demo/demo-server'
import { ServerStats, type ServerSample } from './server-stats'

export type ToServer = { cmd: 'resetLag' } | { cmd: 'lag' } | { cmd: 'exit' }
export type FromServer =
  | { type: 'ready'; url: string; pid: number }
  | { type: 'sample'; sample: ServerSample }
  | { type: 'lag'; p99Ms: number; maxMs: number; meanMs: number }
  | { type: 'error'; message: string }

const send = (m: FromServer) => process.connected && process.send!(m)
// A server that dies of one bad promise is exactly what the soak is for: report it, keep running.
process.on('unhandledRejection', (err) => send({ type: 'error', message: `unhandled rejection: ${String(err).slice(0, 200)}` }))
process.on('uncaughtException', (err) => send({ type: 'error', message: `uncaught: ${String(err).slice(0, 200)}` }))

const server = await startDemoServer({ port: 0, host: '127.0.0.1' })
const manager = server.game.io.connectionsManager as unknown as GeckosConnectionsManager
let rooms = 0
server.lobby.events.on('roomCreated', () => rooms++)
server.lobby.events.on('roomClosed', () => rooms--)
const stats = new ServerStats(() => ({
  connections: server.game.connections.size,
  peerConnections: manager.connections.size,
  lobbyPeers: server.lobby.peerList().length,
  rooms,
}))
setInterval(() => send({ type: 'sample', sample: stats.sample() }), 1000)
process.on('message', (m: ToServer) => {
  if (m.cmd === 'resetLag') stats.resetLag()
  else if (m.cmd === 'lag') send({ type: 'lag', ...stats.lag() })
  else if (m.cmd === 'exit') void server.close().finally(() => process.exit(0))
})
process.on('disconnect', () => process.exit(0))
send({ type: 'ready', url: server.url, pid: process.pid })
