/**
 * Runs inside a lossy network namespace (see test/support/netns.ts): a real GameServer and a real Node
 * GameClient in this one process. Prints `ready` once connected (the parent adds loss after that),
 * then for each `{ cmd: 'run', direction, count, bigAt }` sends `count` reliable messages one way
 * (one of them a 1 MB `bulk`, the rest `chat`) and prints a `result` line; `{ cmd: 'exit' }` ends it.
 */
import type { GameClient } from '../../client/index'
import type { ServerConnection } from '../../server/index'
import { emit, serveRuns } from '../support/child-protocol'
import { connectClient, startServer } from '../support/real-net'
import { testSchema, type TestSchema } from '../support/test-schema'

export type Direction = 'c2s' | 's2c'

export interface TransferResult {
  type: 'result'
  direction: Direction
  sent: number
  received: number
  outOfOrder: number
  duplicates: number
  badText: number
  bigBytesOk: boolean
  /** Until every message was handed to send() (backpressure included). */
  sendMs: number
  /** Until the last message arrived (or the deadline passed). */
  elapsedMs: number
  connected: boolean
  rttP50Ms: number
  /** Unreliable loss the sender measured (its pings and pongs), a check that the drop rule is on. */
  lossIn: number
  rejected: Record<string, number>
}

// 20% loss costs SCTP retransmissions and timeouts; the heartbeat must not mistake that for a dead peer.
const LINK_TIMEOUT_MS = 160_000
const BIG = new Uint8Array(1024 * 1024).map((_, i) => (i * 31 + 7) & 0xff)
const text = (seq: number) => `message ${seq} `.padEnd(40, '.')

const t0 = performance.now()
const { server, url } = await startServer(testSchema, {
  handshakeTimeoutMs: 20_000,
  // 10,000 messages arrive in bursts after each retransmission: far above the default budget.
  link: {
    timeoutMs: LINK_TIMEOUT_MS,
    rateLimit: { messagesPerSecond: 100_000, messageBurst: 100_000, bytesPerSecond: 64 << 20, byteBurst: 64 << 20, disconnectAfter: 1_000_000 },
  },
})
const accepted = new Promise<ServerConnection<TestSchema>>((r) => server.onConnection(r))
const client: GameClient<TestSchema> = await connectClient(testSchema, url, { link: { timeoutMs: LINK_TIMEOUT_MS }, connectTimeoutMs: 20_000 })
const conn = await accepted
let disconnected = ''
client.events.on('disconnect', (reason, detail) => (disconnected = `client: ${reason} ${detail}`))
conn.events.on('close', (reason, detail) => (disconnected ||= `server: ${reason} ${detail}`))
emit({ type: 'ready', connectMs: Math.round(performance.now() - t0) })

type Ends = {
  send: (seq: number, big: boolean) => boolean
  drained: () => Promise<void>
  listen: (onChat: (d: { seq: number; text: string }) => void, onBulk: (d: { seq: number; data: Uint8Array }) => void) => () => void
}

const ends: Record<Direction, Ends> = {
  c2s: {
    send: (seq, big) => (big ? client.send('bulk', { seq, data: BIG }) : client.send('chat', { seq, text: text(seq) })),
    drained: () => client.drained(),
    listen: (onChat, onBulk) => {
      const a = conn.on('chat', onChat)
      const b = conn.on('bulk', onBulk)
      return () => (a(), b())
    },
  },
  s2c: {
    send: (seq, big) => (big ? conn.send('bulk', { seq, data: BIG }) : conn.send('chat', { seq, text: text(seq) })),
    drained: () => conn.drained(),
    listen: (onChat, onBulk) => {
      const a = client.on('chat', onChat)
      const b = client.on('bulk', onBulk)
      return () => (a(), b())
    },
  },
}

async function transfer(direction: Direction, count: number, bigAt: number, deadlineMs: number): Promise<TransferResult> {
  const end = ends[direction]
  let received = 0
  let expected = 0
  let outOfOrder = 0
  let duplicates = 0
  let badText = 0
  let bigBytesOk = false
  const seen = new Uint8Array(count)
  const start = performance.now()
  let done: () => void = () => undefined
  const all = new Promise<void>((r) => (done = r))
  const arrive = (seq: number) => {
    if (seq >= count || seen[seq]) duplicates++
    else seen[seq] = 1
    if (seq !== expected) outOfOrder++
    expected = seq + 1
    if (++received === count) done()
  }
  const stop = end.listen(
    (d) => {
      if (d.text !== text(d.seq) || d.seq === bigAt) badText++
      arrive(d.seq)
    },
    (d) => {
      bigBytesOk = d.seq === bigAt && Buffer.from(d.data).equals(Buffer.from(BIG))
      arrive(d.seq)
    },
  )
  const progress = setInterval(() => process.stderr.write(`${direction}: ${received}/${count} after ${Math.round(performance.now() - start)} ms\n`), 5000)
  let sendMs = 0
  const sending = (async () => {
    for (let seq = 0; seq < count; seq++) if (!end.send(seq, seq === bigAt) && !disconnected) await end.drained()
    sendMs = performance.now() - start
  })()
  let timer: ReturnType<typeof setTimeout> | undefined
  await Promise.race([Promise.all([all, sending]), new Promise((r) => (timer = setTimeout(r, deadlineMs)))])
  clearTimeout(timer)
  clearInterval(progress)
  stop()
  const stats = direction === 'c2s' ? client.stats() : conn.stats()
  const peer = direction === 'c2s' ? conn.stats() : client.stats()
  return {
    type: 'result',
    direction,
    sent: count,
    received,
    outOfOrder,
    duplicates,
    badText,
    bigBytesOk,
    sendMs: Math.round(sendMs || performance.now() - start),
    elapsedMs: Math.round(performance.now() - start),
    connected: !disconnected,
    rttP50Ms: Math.round(stats.rtt.p50),
    lossIn: Number(stats.loss.in.toFixed(3)),
    rejected: peer.rejected,
  }
}

async function shutdown(code: number): Promise<never> {
  client.close()
  await Promise.race([server.close(), new Promise((r) => setTimeout(r, 3000))])
  process.exit(code)
}

serveRuns(async (cmd) => {
  const r = await transfer(cmd.direction === 's2c' ? 's2c' : 'c2s', Number(cmd.count), Number(cmd.bigAt), Number(cmd.deadlineMs))
  return { ...r, ...(disconnected ? { disconnected } : {}) }
}, shutdown)
