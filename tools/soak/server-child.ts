/**
 * The soak's server: the real demo server (lobby, arena rooms, file relay, signalling) in its own
 * process, reporting ServerStats over IPC once a second and on request.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { writeHeapSnapshot } from 'node:v8'
import type { GeckosConnectionsManager } from '../../server/transport/geckos-internals'
import { startDemoServer } from '../../server/demo/demo-server'
import { ServerStats, type ServerSample } from './server-stats'

export type ToServer = { cmd: 'resetLag' } | { cmd: 'lag' } | { cmd: 'probe'; label: string } | { cmd: 'exit' }
export type FromServer =
  | { type: 'ready'; url: string; pid: number }
  | { type: 'sample'; sample: ServerSample }
  | { type: 'lag'; p99Ms: number; maxMs: number; meanMs: number }
  | { type: 'probe'; probe: ServerProbe }
  | { type: 'error'; message: string }

/** Memory after a forced full GC (run with --expose-gc) at a quiet point: tells a JS leak from native growth. */
export interface ServerProbe {
  label: string
  rssMb: number
  heapUsedMb: number
  externalMb: number
  arrayBuffersMb: number
  /** OS threads of the server process (/proc/self/task). */
  threads: number
  /** Addresses held by the connect guard's rate limiters. */
  guardAddresses: number
  /** Written when SOAK_HEAP_SNAPSHOTS names a directory. */
  snapshot?: string
}

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
  else if (m.cmd === 'probe') send({ type: 'probe', probe: probe(m.label) })
  else if (m.cmd === 'exit') void server.close().finally(() => process.exit(0))
})
process.on('disconnect', () => process.exit(0))
function probe(label: string): ServerProbe {
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  const mem = process.memoryUsage()
  const dir = process.env.SOAK_HEAP_SNAPSHOTS
  const snapshot = dir ? writeHeapSnapshot(join(dir, `soak-${label}.heapsnapshot`)) : undefined
  const g = server.game.connectGuard.trackedAddresses
  return {
    label,
    rssMb: mb(mem.rss),
    heapUsedMb: mb(mem.heapUsed),
    externalMb: mb(mem.external),
    arrayBuffersMb: mb(mem.arrayBuffers),
    threads: readdirSync('/proc/self/task').length,
    guardAddresses: g.creates + g.routes,
    ...(snapshot ? { snapshot } : {}),
  }
}
const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 100) / 100

send({ type: 'ready', url: server.url, pid: process.pid })
