/**
 * Capacity bench, bot side: real WebRTC clients, ours (GameClient + NetClient playing the bench game)
 * or raw geckos (receiving the floor's stamped broadcast). Both measure update age: how old the
 * newest state is when it arrives (ours: the snapshot's tick time on the synced server clock, as
 * tools/bots; geckos: the send stamp, same machine clock).
 */
import geckosClient, { type ClientChannel } from '@geckos.io/client'
import { GameClient } from '../client/index'
import { NetClient } from '../client/netcode/index'
import { installNodeWebRTC } from '../client/node'
import { percentile } from './stats'
import { botGame, benchNetMessages, benchNetSchema } from './netcode-game'
import { serveRequests } from './netcode-ipc'

export type CapacityBotsRequest = { cmd: 'grow'; total: number } | { cmd: 'reset' } | { cmd: 'stats' } | { cmd: 'exit' }
export interface CapacityBotStats {
  bots: number
  failed: number
  updateAgeP99Ms: number
  updateAgeP50Ms: number
  messagesPerSecPerBot: number
  errors: Record<string, number>
}

installNodeWebRTC()
/** `inputBytes`: geckos bots also send that many bytes at 60 Hz, as our bots send their inputs (the duplex floor). */
const { url, kind, inputBytes } = JSON.parse(process.argv[2] ?? '{}') as { url: string; kind: 'ours' | 'geckos'; inputBytes?: number }
const INPUT_HZ = 60
const closers: (() => void)[] = []
let failed = 0
const errors: Record<string, number> = {}
let ages: number[] = []
let messages = 0
let since = performance.now()

async function connectOurs(): Promise<void> {
  const client = new GameClient(benchNetSchema, { url, connectTimeoutMs: 30_000, transport: 'webrtc' })
  await client.connect()
  const net = new NetClient(client, { messages: benchNetMessages, game: botGame() })
  let join: { epoch: number; tickRate: number } | undefined
  client.on('netJoin', (j) => (join ??= j))
  client.on('netSnapshot', (m) => {
    messages++
    if (join && net.clockSync.synced) ages.push(Math.max(0, net.serverNow() - (join.epoch + (m.slot * 1000) / join.tickRate)))
  })
  closers.push(() => {
    net.stop()
    client.close()
  })
}

async function connectGeckos(): Promise<void> {
  const u = new URL(url)
  const channel: ClientChannel = geckosClient({ url: `${u.protocol}//${u.hostname}`, port: Number(u.port) })
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), 30_000)
    void channel.onConnect((err) => {
      clearTimeout(timer)
      if (err) reject(err)
      else resolve()
    })
  })
  channel.onRaw((data) => {
    messages++
    const view = Buffer.from(data as ArrayBuffer)
    if (view.length >= 8) ages.push(Math.max(0, performance.timeOrigin + performance.now() - view.readDoubleLE(0)))
  })
  const input = inputBytes ? Buffer.alloc(inputBytes) : undefined
  const sender = input && setInterval(() => channel.raw.emit(input), 1000 / INPUT_HZ)
  closers.push(() => {
    if (sender) clearInterval(sender)
    try {
      channel.close()
    } catch {
      // already closed
    }
  })
}

async function grow(total: number): Promise<{ bots: number; failed: number }> {
  const connectOne = kind === 'ours' ? connectOurs : connectGeckos
  while (closers.length + failed < total) {
    const batch = Math.min(10, total - closers.length - failed)
    await Promise.all(Array.from({ length: batch }, () => connectOne().catch((err: unknown) => {
      failed++
      const why = (err instanceof Error ? err.message : String(err)).slice(0, 80)
      errors[why] = (errors[why] ?? 0) + 1
    })))
  }
  return { bots: closers.length, failed }
}

function stats(): CapacityBotStats {
  const secs = (performance.now() - since) / 1000
  const r1 = (x: number) => Math.round(x * 10) / 10
  return {
    bots: closers.length,
    failed,
    updateAgeP99Ms: ages.length ? r1(percentile(ages, 99)) : -1,
    updateAgeP50Ms: ages.length ? r1(percentile(ages, 50)) : -1,
    messagesPerSecPerBot: r1(messages / Math.max(1, closers.length) / secs),
    errors,
  }
}

serveRequests<CapacityBotsRequest>(
  async (req) => {
    if (req.cmd === 'grow') return grow(req.total)
    if (req.cmd === 'reset') {
      ages = []
      messages = 0
      since = performance.now()
      return null
    }
    return stats()
  },
  async () => {
    for (const close of closers) close()
    await new Promise((r) => setTimeout(r, 200))
  },
)
