/**
 * `npx tsx bench/capacity-js.ts [N] [seconds] [rounds] [arena|large]`: the JavaScript half of the
 * capacity bench, without WebRTC, on simulated time. N ServerConnections (with sessions, as GameServer
 * makes them) in 8-player NetRooms of the bench game (`large`: one room, interest radius 250); each client's netInput frames (60 Hz, acking the newest
 * snapshot) are fed to the connection's unreliable pipe as node-datachannel hands them over, and each
 * send is copied once, as node-datachannel does. Prints the process CPU per client-tick: everything our
 * server adds on the main thread on top of the native send and receive (which bench/capacity.ts
 * measures for real). Noise is far lower than with real WebRTC, so before/after runs compare well.
 */
import { GameServer } from '../server/index'
import { NetRoom } from '../server/netcode/index'
import { ServerConnection } from '../server/transport/server-connection'
import { encodeMessage } from '../shared/schema/index'
import { ManualClock } from '../shared/transport/clock'
import type { DataPipe } from '../shared/transport/pipe'
import { SendBudget } from '../shared/transport/send-budget'
import { DEFAULT_SESSION } from '../shared/transport/session'
import { benchLayout } from './netcode-bytes'
import { BenchWorld, benchNetMessages, benchNetSchema, type BenchInputFields, type BenchNetSchema } from './netcode-game'

const n = Number(process.argv[2] ?? 100)
const seconds = Number(process.argv[3] ?? 10)
const rounds = Number(process.argv[4] ?? 3)
const large = process.argv[5] === 'large'
const ROOM_SIZE = large ? Infinity : 8
const TICK_HZ = 30
const INPUT_HZ = 60

/** What node-datachannel does with a send on the main thread that is ours to count: one copy. */
class SinkPipe implements DataPipe {
  readonly maxMessageSize = 262_144
  sent = 0
  bytes = 0
  private handler: ((f: Uint8Array | string) => void) | undefined
  private readonly scratch = new Uint8Array(262_144)
  send(b: Uint8Array): void {
    this.scratch.set(b)
    this.sent++
    this.bytes += b.byteLength
  }
  bufferedAmount(): number {
    return 0
  }
  onBufferedAmountLow(_threshold: number, onLow: () => void): void {
    queueMicrotask(onLow)
  }
  onMessage(handler: (f: Uint8Array | string) => void): void {
    this.handler = handler
  }
  /** A frame from the peer, in a fresh Buffer as node-datachannel delivers it. */
  deliver(frame: Uint8Array): void {
    this.handler?.(Buffer.from(frame))
  }
}

function run(): { usPerClientTick: number; bytesPerClientTick: number } {
  const clock = new ManualClock()
  const server = new GameServer(benchNetSchema)
  const budget = new SendBudget(64 * 1024 * 1024)
  const rooms: { room: NetRoom<BenchNetSchema, BenchInputFields, typeof benchLayout>; world: BenchWorld }[] = []
  const clients: { conn: ServerConnection<BenchNetSchema>; unreliable: SinkPipe; seq: number; inputSeq: number }[] = []
  for (let i = 0; i < n; i++) {
    if (i % ROOM_SIZE === 0) {
      const world = new BenchWorld()
      const room = new NetRoom(server, { messages: benchNetMessages, game: world, tickRate: TICK_HZ, clock, interest: large ? { radius: 250 } : undefined })
      room.start()
      rooms.push({ room, world })
    }
    const unreliable = new SinkPipe()
    const conn = new ServerConnection(`c${i}`, benchNetSchema, { unreliable, reliable: new SinkPipe() }, { clock, sendBudget: budget }, DEFAULT_SESSION)
    conn.ready = true
    conn.relay = () => undefined
    const r = rooms[rooms.length - 1]!
    r.world.addPlayer(i + 1)
    r.room.add(conn, i + 1)
    clients.push({ conn, unreliable, seq: 0, inputSeq: 0 })
  }
  const spec = benchNetSchema.byName.get('netInput')!
  const input = (c: (typeof clients)[number]) => {
    // As a NetClient sends: the newest tick it decoded, its render time, the last four inputs.
    const tick = Math.floor((clock.now() * TICK_HZ) / 1000) - 1
    const inputs = [0, 1, 2, 3].map((k) => ({ seq: (c.inputSeq - 3 + k) & 0xffff, moveX: 0.5, moveY: -0.5 })).filter((x) => x.seq <= c.inputSeq)
    c.inputSeq++
    const frame = encodeMessage(spec, { ack: tick > 0 ? tick : undefined, renderTime: clock.now() - 100, inputs })
    frame[0] = c.seq & 0xff
    frame[1] = c.seq >> 8
    c.seq = (c.seq + 1) & 0xffff
    return frame
  }
  const warmup = 2000
  const steps = ((seconds * 1000 + warmup) * INPUT_HZ) / 1000
  let cpu = process.cpuUsage()
  let sentAtStart = 0
  let bytesAtStart = 0
  let ticksAtStart = 0
  let inputCpuUs = 0
  for (let s = 0; s < steps; s++) {
    if (s === (warmup * INPUT_HZ) / 1000) {
      cpu = process.cpuUsage()
      sentAtStart = clients.reduce((a, c) => a + c.unreliable.sent, 0)
      bytesAtStart = clients.reduce((a, c) => a + c.unreliable.bytes, 0)
      ticksAtStart = rooms[0]!.room.stats().tick.ticks
      inputCpuUs = 0
    }
    // Making the client's frames is not the server's work: timed and taken out.
    const t0 = process.cpuUsage()
    const frames = clients.map(input)
    const made = process.cpuUsage(t0)
    inputCpuUs += made.user + made.system
    clients.forEach((c, i) => c.unreliable.deliver(frames[i]!))
    clock.advance(1000 / INPUT_HZ)
  }
  const used = process.cpuUsage(cpu)
  const ticks = rooms[0]!.room.stats().tick.ticks - ticksAtStart
  const sent = clients.reduce((a, c) => a + c.unreliable.sent, 0) - sentAtStart
  const bytes = clients.reduce((a, c) => a + c.unreliable.bytes, 0) - bytesAtStart
  for (const r of rooms) r.room.stop()
  for (const c of clients) c.conn.close()
  return { usPerClientTick: (used.user + used.system - inputCpuUs) / (ticks * n), bytesPerClientTick: bytes / Math.max(1, sent) }
}

for (let r = 0; r < rounds; r++) {
  const x = run()
  console.log(`${large ? 'large' : 'arena'} N=${n}: ${x.usPerClientTick.toFixed(2)} us CPU per client-tick (JS, no WebRTC), ${x.bytesPerClientTick.toFixed(0)} B per unreliable send`)
}
