/**
 * The honest players of the live fuzz and flood, in their own process: `clients` GameClients with a
 * NetClient each, moving in circles (inputs at the room's rate) and sending a reliable chat line every
 * `chatEveryMs` ("h<client>:<seq>", relayed by the server to everyone else). Prints `{ ready }` once
 * all have joined; on "stop" (stdin) stops chatting, lets the last lines arrive, prints `{ result }`.
 */
import { createInterface } from 'node:readline'
import type { GameClient } from '../client/index'
import { NetClient } from '../client/netcode/index'
import { connectClient, sleep } from '../test/support/real-net'
import { clientGame, messages, schema, type GameSchema, type InputFields, type Layout } from '../test/integration/netcode/test-game'

export interface HonestConfig {
  url: string
  clients: number
  chatEveryMs: number
}

export interface HonestResult {
  /** Snapshot gaps before the offenders started ("mark"), for comparison. */
  baselineP50: number
  baselineP99: number
  /** Gaps between consecutive snapshot arrivals, all clients (ms). */
  tickIntervalP50: number
  tickIntervalP99: number
  tickIntervalMax: number
  snapshots: number
  chatSent: number
  /** Honest chat lines expected at the other honest clients, and what arrived. */
  chatExpected: number
  chatDelivered: number
  duplicates: number
  outOfOrder: number
  missing: number
  disconnects: string[]
}

const config = JSON.parse(process.argv[2]!) as HonestConfig
const out = (o: unknown) => process.stdout.write(JSON.stringify(o) + '\n')

interface Player {
  client: GameClient<GameSchema>
  net: NetClient<GameSchema, InputFields, Layout>
  sent: number
  /** Per sender: seqs in arrival order. */
  got: Map<number, number[]>
  lastSnapshot: number
  intervals: number[]
}

/** Setup, not play, is what a loaded machine slows most: retried, and not measured. */
async function connectWithRetry(): Promise<GameClient<GameSchema>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await connectClient(schema, config.url, { link: { timeoutMs: 10_000 }, connectTimeoutMs: 30_000 })
    } catch (err) {
      if (attempt >= 3) throw err
    }
  }
}

const players: Player[] = []
const disconnects: string[] = []
for (let i = 0; i < config.clients; i++) {
  const client = await connectWithRetry()
  let phase = i
  const net = new NetClient(client, {
    messages,
    game: clientGame(() => ((phase += 0.05), { moveX: Math.round(Math.cos(phase) * 100) / 100, moveY: Math.round(Math.sin(phase) * 100) / 100 })),
    angles: ['angle'],
  })
  const p: Player = { client, net, sent: 0, got: new Map(), lastSnapshot: 0, intervals: [] }
  client.on('netSnapshot', () => {
    const now = performance.now()
    if (p.lastSnapshot) p.intervals.push(now - p.lastSnapshot)
    p.lastSnapshot = now
  })
  client.on('chat', ({ text }) => {
    const m = /^h(\d+):(\d+)$/.exec(text)
    if (!m) return
    const from = Number(m[1])
    let list = p.got.get(from)
    if (!list) p.got.set(from, (list = []))
    list.push(Number(m[2]))
  })
  client.events.on('disconnect', (reason, detail) => disconnects.push(`${i}: ${reason} ${detail}`))
  players.push(p)
}
while (!players.every((p) => p.net.joined)) await sleep(20)
for (const p of players) {
  p.intervals = []
  p.lastSnapshot = 0
}
out({ ready: true })

let chatting = true
const chatLoop = (async () => {
  while (chatting) {
    players.forEach((p, i) => {
      if (p.client.connected) p.client.send('chat', { text: `h${i}:${p.sent++}` })
    })
    await sleep(config.chatEveryMs)
  }
})()

const rl = createInterface({ input: process.stdin })
let baseline: number[] = []
rl.on('line', (line) => {
  if (line.trim() === 'mark') {
    baseline = players.flatMap((p) => p.intervals.splice(0)).sort((a, b) => a - b)
    out({ marked: true })
  }
  if (line.trim() === 'stop') void finish()
})
const quantile = (xs: number[], f: number) => xs[Math.min(xs.length - 1, Math.floor(f * xs.length))] ?? NaN

async function finish(): Promise<void> {
  chatting = false
  await chatLoop
  const snapshotsUntil = players.map((p) => p.intervals.length)
  await sleep(2000)
  const intervals = players.flatMap((p, i) => p.intervals.slice(0, snapshotsUntil[i])).sort((a, b) => a - b)
  const q = (f: number) => quantile(intervals, f)
  let expected = 0
  let delivered = 0
  let duplicates = 0
  let outOfOrder = 0
  let missing = 0
  players.forEach((receiver, r) => {
    players.forEach((sender, s) => {
      if (r === s) return
      expected += sender.sent
      const list = receiver.got.get(s) ?? []
      delivered += list.length
      const seen = new Set<number>()
      let last = -1
      for (const seq of list) {
        if (seen.has(seq)) duplicates++
        else if (seq !== last + 1) outOfOrder++
        seen.add(seq)
        last = Math.max(last, seq)
      }
      for (let k = 0; k < sender.sent; k++) if (!seen.has(k)) missing++
    })
  })
  const result: HonestResult = {
    baselineP50: quantile(baseline, 0.5),
    baselineP99: quantile(baseline, 0.99),
    tickIntervalP50: q(0.5),
    tickIntervalP99: q(0.99),
    tickIntervalMax: intervals[intervals.length - 1] ?? NaN,
    snapshots: intervals.length,
    chatSent: players.reduce((a, p) => a + p.sent, 0),
    chatExpected: expected,
    chatDelivered: delivered,
    duplicates,
    outOfOrder,
    missing,
    disconnects,
  }
  out({ result })
  for (const p of players) p.client.close()
  setTimeout(() => process.exit(0), 300)
}
