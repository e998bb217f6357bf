/** Load bench, server side: a GameServer and a 30 Hz NetRoom; measures tick time on request. */
import { installNodeWebRTC } from '../client/node'
import { GameServer } from '../server/index'
import { NetRoom } from '../server/netcode/index'
import { BenchWorld, benchNetMessages, benchNetSchema } from './netcode-game'
import { serveRequests } from './netcode-ipc'

export type ServerRequest = { cmd: 'port' } | { cmd: 'measure'; ms: number } | { cmd: 'exit' }
export interface Measured {
  clients: number
  entities: number
  tickMs: { mean: number; p95: number; max: number }
  /** Whole-process CPU (JS, GC, WebRTC's native threads) per tick. */
  cpuMsPerTick: number
  ticks: number
  droppedTicks: number
  /** netSnapshot bytes sent per client per second, mean over clients (the link's own counters). */
  snapshotBytesPerSecPerClient: number
  partialSnapshots: number
}

installNodeWebRTC()
const world = new BenchWorld()
const server = new GameServer(benchNetSchema)
const room = new NetRoom(server, { messages: benchNetMessages, game: world, tickRate: 30 })
let nextId = 1
server.onConnection((conn) => {
  const id = nextId++
  world.addPlayer(id)
  room.add(conn, id)
  conn.events.on('close', () => world.removePlayer(id))
})
const port = await server.listen(0, '127.0.0.1')
room.start()

async function measure(ms: number): Promise<Measured> {
  const before = room.stats().tick
  const cpu = process.cpuUsage()
  room.resetTiming()
  await new Promise((r) => setTimeout(r, ms))
  const used = process.cpuUsage(cpu)
  const s = room.stats()
  const ticks = s.tick.ticks - before.ticks
  let bytes = 0
  let partial = 0
  for (const conn of server.connections.values()) {
    const v = room.clientStats(conn)
    bytes += v?.snapshotTraffic?.bytesPerSec ?? 0
    partial += v?.snapshots.partial ?? 0
  }
  const r3 = (x: number) => Math.round(x * 1000) / 1000
  return {
    clients: s.clients,
    entities: s.entities,
    tickMs: { mean: r3(s.tickTime.meanMs), p95: r3(s.tickTime.p95Ms), max: r3(s.tickTime.maxMs) },
    cpuMsPerTick: r3((used.user + used.system) / 1000 / Math.max(1, ticks)),
    ticks,
    droppedTicks: s.tick.droppedTicks - before.droppedTicks,
    snapshotBytesPerSecPerClient: Math.round(bytes / Math.max(1, s.clients)),
    partialSnapshots: partial,
  }
}

serveRequests<ServerRequest>(
  async (req) => (req.cmd === 'measure' ? measure(req.ms) : port),
  async () => {
    room.stop()
    await server.close()
  },
)
