/**
 * A bot process: starts bots at its share of the ramp, reports pooled measurements once a second
 * and on `stop` makes every bot leave. Started by cli.ts and soak (argv[2]: ChildConfig as JSON).
 */
import { installNodeWebRTC } from '../../client/node'
import { Bot } from './bot'
import type { BotCounts, ChildConfig, FromChild, LinkGauges, ToChild } from './ipc'
import { BotsMeter } from './meter'

installNodeWebRTC()
const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig
const meter = new BotsMeter()
const bots: Bot[] = []
const queue: number[] = []
let stopping = false
/** Bots that ended (failed or left) are dropped from `bots` and only counted, so a long soak stays bounded. */
const ended = { failed: 0, closed: 0 }

const send = (m: FromChild): Promise<void> => new Promise((resolve) => (process.connected ? process.send!(m, undefined, {}, () => resolve()) : resolve()))

// geckos' client logs each failed fetch with console.error before returning the error the bot
// counts (ConnectError): keep the parent's terminal for its live line.
console.error = () => undefined
process.on('unhandledRejection', (err) => meter.error(`unhandled: ${String(err).slice(0, 100)}`))

/**
 * Handshakes in flight per process. On a starved machine connects slow down; without a cap the ramp
 * keeps adding handshakes that compete for the same CPU until all of them time out together.
 */
const MAX_CONNECTING = 8
const handshaking = () => bots.reduce((n, b) => n + (b.handshaking ? 1 : 0), 0)

/** Starts queued bots at the ramp rate, at most MAX_CONNECTING at a time; one loop at a time. */
let ramping = false
async function ramp(): Promise<void> {
  if (ramping) return
  ramping = true
  const gapMs = 1000 / config.ramp
  let next = performance.now()
  while (queue.length > 0 && !stopping) {
    while (handshaking() >= MAX_CONNECTING && !stopping) await new Promise((r) => setTimeout(r, 50))
    next = Math.max(next, performance.now())
    const index = queue.shift()
    if (index === undefined || stopping) break
    const room = Math.floor(index / config.roomSize)
    const bot = new Bot({ ...config, url: config.urls[room % config.urls.length]!, index }, meter)
    bots.push(bot)
    void bot.start()
    next += gapMs
    await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())))
  }
  ramping = false
}

function counts(): BotCounts {
  for (let i = bots.length - 1; i >= 0; i--) {
    const state = bots[i]!.state
    if (state === 'failed' || state === 'closed') {
      ended[state]++
      bots.splice(i, 1)
    }
  }
  const c: BotCounts = { queued: queue.length, connecting: 0, playing: 0, ...ended }
  for (const b of bots) if (b.state === 'connecting' || b.state === 'playing') c[b.state]++
  return c
}

function gauges(): LinkGauges {
  const g: LinkGauges = { bots: 0, jitterMs: 0, lossIn: 0, lossOut: 0, bytesInPerSec: 0, bytesOutPerSec: 0 }
  for (const b of bots) {
    const s = b.linkStats()
    if (!s) continue
    g.bots++
    g.jitterMs += s.jitter
    g.lossIn += s.lossIn
    g.lossOut += s.lossOut
    g.bytesInPerSec += s.bytesIn
    g.bytesOutPerSec += s.bytesOut
  }
  if (g.bots > 0) for (const k of ['jitterMs', 'lossIn', 'lossOut'] as const) g[k] /= g.bots
  return g
}

let lastReport = performance.now()
const report = () => {
  const now = performance.now()
  const c = counts()
  meter.botSeconds += (c.playing * (now - lastReport)) / 1000
  lastReport = now
  return send({ type: 'sample', counts: c, meter: meter.take(), gauges: gauges() })
}
const ticker = setInterval(() => void report(), 1000)

async function stop(): Promise<void> {
  stopping = true
  queue.length = 0
  clearInterval(ticker)
  await report() // the play up to now, before the bots leave
  const leaving = bots.map((b) => Promise.race([b.leave(), new Promise((r) => setTimeout(r, 3000))]))
  await Promise.all(leaving)
  for (const b of bots) b.close()
  await report()
  await send({ type: 'done' })
  // WebRTC's native threads and geckos' polling timers would keep the process alive.
  setTimeout(() => process.exit(0), 300)
}

process.on('message', (m: ToChild) => {
  if (m.cmd === 'add') {
    queue.push(...m.indices)
    void ramp()
  } else if (m.cmd === 'leave') {
    for (const b of bots.filter((x) => x.state === 'playing').slice(0, m.count)) void b.leave()
  } else if (m.cmd === 'stop') void stop()
})
process.on('disconnect', () => void stop())
void send({ type: 'ready' })
