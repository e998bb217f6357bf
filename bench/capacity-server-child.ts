/**
 * Capacity bench, server side (one process, measured with process.cpuUsage). Kinds:
 * - `arena`: GameServer with one 30 Hz NetRoom per 8 players (the demo's room size);
 * - `large`: GameServer with one 30 Hz NetRoom for everyone, interest radius on;
 * - `geckos`: raw geckos.io broadcasting `bytes` per client at 30 Hz (the floor), each message
 *   stamped with its send time so the bots measure update age the same way.
 */
import geckos, { type ServerChannel } from '@geckos.io/server'
import { writeFileSync } from 'node:fs'
import http from 'node:http'
import { Session } from 'node:inspector/promises'
import type { AddressInfo } from 'node:net'
import { installNodeWebRTC } from '../client/node'
import { GameServer, type ServerConnection } from '../server/index'
import { NetRoom } from '../server/netcode/index'
import { BenchWorld, benchNetMessages, benchNetSchema, type BenchNetSchema } from './netcode-game'
import { serveRequests } from './netcode-ipc'

export type CapacityKind = 'arena' | 'large' | 'geckos'
export type CapacityServerRequest = { cmd: 'port' } | { cmd: 'measure'; ms: number; profile?: string } | { cmd: 'exit' }
export interface CapacityServerMeasured {
  clients: number
  ticks: number
  tickHz: number
  cpuUs: number
  rssMb: number
  bytesPerClientTick: number
}

const ROOM_SIZE = 8
const TICK_HZ = 30
const arg = JSON.parse(process.argv[2] ?? '{}') as { kind: CapacityKind; bytes?: number }
installNodeWebRTC()

interface Target {
  port: number
  clients(): number
  ticks(): number
  /** Snapshot bytes per client per tick, now. */
  bytesPerClientTick(): number
  close(): Promise<void>
}

async function startOurs(large: boolean): Promise<Target> {
  // The bots share one source address: the per-address connect rate is not what is measured here.
  const server = new GameServer(benchNetSchema, {
    connectGuard: { connectRate: { perMinute: 100_000, burst: 1000 }, routeRate: { perSecond: 100_000, burst: 10_000 } },
    connectLimits: { maxHandshakes: 1000, maxHandshakesPerAddress: 1000, maxConnections: 5000, maxConnectionsPerAddress: 5000 },
  })
  const makeRoom = (world: BenchWorld) => new NetRoom(server, { messages: benchNetMessages, game: world, tickRate: TICK_HZ, interest: large ? { radius: 250 } : undefined })
  const rooms: { room: ReturnType<typeof makeRoom>; world: BenchWorld; members: number }[] = []
  const newRoom = () => {
    const world = new BenchWorld()
    const room = makeRoom(world)
    room.start()
    const r = { room, world, members: 0 }
    rooms.push(r)
    return r
  }
  let nextId = 1
  const conns = new Set<ServerConnection<BenchNetSchema>>()
  server.onConnection((conn) => {
    const id = nextId++
    const r = (large ? rooms[0] : rooms.find((x) => x.members < ROOM_SIZE)) ?? newRoom()
    r.members++
    r.world.addPlayer(id)
    r.room.add(conn, id)
    conns.add(conn)
    conn.events.on('close', () => {
      r.members--
      r.world.removePlayer(id)
      conns.delete(conn)
    })
  })
  if (large) newRoom()
  const port = await server.listen(0, '127.0.0.1')
  const ticks = () => rooms.reduce((max, r) => Math.max(max, r.room.stats().tick.ticks), 0)
  const bytesPerClientTick = () => {
    let perSec = 0
    for (const r of rooms) for (const conn of conns) perSec += r.room.clientStats(conn)?.snapshotTraffic?.bytesPerSec ?? 0
    return perSec / Math.max(1, conns.size) / TICK_HZ
  }
  return {
    port,
    clients: () => server.connections.size,
    ticks,
    bytesPerClientTick,
    close: async () => {
      for (const r of rooms) r.room.stop()
      await server.close()
    },
  }
}

async function startGeckos(size: number): Promise<Target> {
  const io = geckos({ autoManageBuffering: false })
  const httpServer = http.createServer()
  io.addServer(httpServer)
  const channels = new Set<ServerChannel>()
  io.onConnection((ch) => {
    channels.add(ch)
    ch.onDisconnect(() => channels.delete(ch))
  })
  await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r))
  let ticks = 0
  const payload = Buffer.alloc(Math.max(16, size))
  const start = performance.now()
  const timer = setInterval(() => {
    // Catch up like a fixed-step tick loop: the tick count says whether 30 Hz held.
    const due = Math.floor(((performance.now() - start) * TICK_HZ) / 1000)
    if (ticks >= due) return
    ticks++
    payload.writeDoubleLE(performance.timeOrigin + performance.now(), 0)
    for (const ch of channels) {
      ch.raw.emit(payload)
    }
  }, 1000 / TICK_HZ / 2)
  return {
    port: (httpServer.address() as AddressInfo).port,
    clients: () => channels.size,
    ticks: () => ticks,
    bytesPerClientTick: () => payload.length,
    close: async () => {
      clearInterval(timer)
      for (const ch of channels) await ch.close().catch(() => undefined)
      httpServer.close()
    },
  }
}

const target = arg.kind === 'geckos' ? await startGeckos(arg.bytes ?? 200) : await startOurs(arg.kind === 'large')

/** Measures for `ms`; with `profile`, also writes a CPU profile of the main thread over that window there. */
async function measure(ms: number, profile?: string): Promise<CapacityServerMeasured> {
  const inspector = profile === undefined ? undefined : new Session()
  if (inspector) {
    inspector.connect()
    await inspector.post('Profiler.enable')
    await inspector.post('Profiler.start')
  }
  const t0 = target.ticks()
  const cpu = process.cpuUsage()
  const started = performance.now()
  await new Promise((r) => setTimeout(r, ms))
  const used = process.cpuUsage(cpu)
  const elapsed = (performance.now() - started) / 1000
  const ticks = target.ticks() - t0
  const clients = target.clients()
  if (inspector && profile) {
    const { profile: taken } = await inspector.post('Profiler.stop')
    writeFileSync(profile, JSON.stringify(taken))
    inspector.disconnect()
  }
  return {
    clients,
    ticks,
    tickHz: Math.round((ticks / elapsed) * 10) / 10,
    cpuUs: used.user + used.system,
    rssMb: Math.round((process.memoryUsage().rss / 1048576) * 10) / 10,
    bytesPerClientTick: Math.round(target.bytesPerClientTick()),
  }
}

serveRequests<CapacityServerRequest>(async (req) => (req.cmd === 'measure' ? measure(req.ms, req.profile) : target.port), () => target.close())
