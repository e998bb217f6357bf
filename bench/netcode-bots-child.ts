/** Load bench, client side: NetClient bots on real WebRTC, added on request. */
import { GameClient } from '../client/index'
import { NetClient } from '../client/netcode/index'
import { installNodeWebRTC } from '../client/node'
import { benchLayout } from './netcode-bytes'
import { botGame, benchNetMessages, benchNetSchema, type BenchInputFields, type BenchNetSchema } from './netcode-game'
import { serveRequests } from './netcode-ipc'

export type BotsRequest = { cmd: 'grow'; total: number } | { cmd: 'stats' } | { cmd: 'exit' }
export interface BotStats {
  bots: number
  /** Mean snapshots per second a bot decoded. */
  snapshotsPerSec: number
  droppedNoBase: number
}

installNodeWebRTC()
const url = (JSON.parse(process.argv[2] ?? '{}') as { url: string }).url
const bots: { client: GameClient<BenchNetSchema>; net: NetClient<BenchNetSchema, BenchInputFields, typeof benchLayout> }[] = []

async function connectOne(): Promise<void> {
  const client = new GameClient(benchNetSchema, { url, connectTimeoutMs: 30_000 })
  await client.connect()
  const net = new NetClient(client, { messages: benchNetMessages, game: botGame() })
  bots.push({ client, net })
  const deadline = Date.now() + 10_000
  while (net.render().self === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
}

async function grow(total: number): Promise<number> {
  // Ten at a time: each connection spends most of its ~200 ms setup waiting on timers.
  while (bots.length < total) await Promise.all(Array.from({ length: Math.min(10, total - bots.length) }, connectOne))
  return bots.length
}

function stats(): BotStats {
  let perSec = 0
  let dropped = 0
  for (const b of bots) {
    const s = b.net.stats().snapshots
    perSec += s.perSec
    dropped += s.droppedNoBase
  }
  return { bots: bots.length, snapshotsPerSec: Math.round((perSec / Math.max(1, bots.length)) * 10) / 10, droppedNoBase: dropped }
}

serveRequests<BotsRequest>(
  async (req) => (req.cmd === 'grow' ? grow(req.total) : stats()),
  async () => {
    for (const b of bots) {
      b.net.stop()
      b.client.close()
    }
    await new Promise((r) => setTimeout(r, 200))
  },
)
