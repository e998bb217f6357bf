/**
 * Runs inside a lossy network namespace (see bench/loss.ts): one process holds a GameServer + Node
 * GameClient and a plain `ws` server + client, so sender and receiver share one monotonic clock and
 * one event loop, and both transports see the same conditions. On `{ cmd: 'run', seconds, label }` it
 * streams ~200-byte state updates server-to-client at 60 Hz over both and prints the age of each
 * update on arrival, the share delivered, and the staleness of what the receiver holds at each 60 Hz
 * frame (which counts the updates that never arrived). `{ cmd: 'exit' }` ends it.
 */
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { ServerConnection } from '../server/index'
import { emit, serveRuns } from '../test/support/child-protocol'
import { connectClient, startServer } from '../test/support/real-net'
import { testSchema, type TestSchema } from '../test/support/test-schema'
import { openWsPair } from './ws-pair'

export interface AgeStats {
  /** Age on arrival (arrival - sentAt), ms. */
  p50: number
  p99: number
  max: number
  /** Share of updates that arrived (0..1). */
  delivered: number
  /**
   * At every 60 Hz frame of the receiver, the age of the newest update it holds (frame time - that
   * update's sentAt), ms. Unlike the age on arrival, a lost update counts: the frame shows older state.
   */
  stale: { p50: number; p99: number }
  /**
   * The same over the frames at which the sender had kept its schedule (the last three updates sent
   * within SENDER_SLACK_MS of their 60 Hz slots). Sender, receiver and both transports share one
   * process here, so when this shared machine starves it of CPU the sender stops too and every
   * transport looks stale alike; these frames measure the transports.
   */
  staleSenderOnTime: { p50: number; p99: number; frames: number }
}

/**
 * What an independent probe saw of this machine's CPU scheduling during the level. Two worker
 * threads each sleep STALL_SLEEP_MS in a loop; a wake-up more than STALL_MS late means runnable
 * threads were not getting a CPU. On a shared 2-core machine this happens in bursts of 50-250 ms;
 * the data channel's receive path (ICE/DTLS/SCTP native threads, then the JS thread) is hit by it,
 * while loopback TCP is processed inside the sender's own system call and is not.
 */
export interface StallStats {
  /** Probe wake-ups later than STALL_MS. */
  count: number
  /** Longest one, ms. */
  maxMs: number
  /** Share of the level's time covered by them (0..1). */
  share: number
  /** Unreliable updates older than LATE_MS on arrival, and how many of them were in flight during a stall. */
  lateUnreliable: number
  lateDuringStall: number
}

export interface StreamResult {
  type: 'result'
  label: string
  sent: number
  ws: AgeStats
  unreliable: AgeStats
  stalls: StallStats
}

const HZ = 60
const WS_BYTES = 200
/** seq (u32) + sentAt (f64) + this pad + id/length/sequence bytes come to ~200 bytes on the wire. */
const PAD = new Uint8Array(184).fill(7)
/** After the last update, wait this long for stragglers (TCP may still be retransmitting). */
const GRACE_MS = 1500
const STALL_SLEEP_MS = 2
const STALL_MS = 15
const LATE_MS = 10

const { server, url } = await startServer(testSchema)
const accepted = new Promise<ServerConnection<TestSchema>>((r) => server.onConnection(r))
const client = await connectClient(testSchema, url)
const conn = await accepted

const { wss, wsClient, wsServer } = await openWsPair()
emit({ type: 'ready' })

// Scheduling-stall probe (see StallStats): one sleeping thread per core, times in epoch ms.
const stalls: [number, number][] = []
const PROBE = `
  const { parentPort } = require('node:worker_threads')
  const cell = new Int32Array(new SharedArrayBuffer(4))
  const now = () => performance.timeOrigin + performance.now()
  let last = now()
  for (;;) {
    Atomics.wait(cell, 0, 0, ${STALL_SLEEP_MS})
    const t = now()
    if (t - last > ${STALL_MS}) parentPort.postMessage([last, t])
    last = t
  }`
const probes = Array.from({ length: Math.max(2, availableParallelism()) }, () => {
  const w = new Worker(PROBE, { eval: true })
  w.on('message', (m: [number, number]) => stalls.push(m))
  w.unref()
  return w
})
const epoch = (t: number) => performance.timeOrigin + t

// Receivers: one slot per sequence number (a stream never repeats seq), age written on first arrival.
let wsAges: Float64Array = new Float64Array(0)
let udpAges: Float64Array = new Float64Array(0)
let sentTimes: Float64Array = new Float64Array(0)
wsClient.on('message', (data: Buffer) => {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  const seq = view.getUint32(0)
  if (seq < wsAges.length && Number.isNaN(wsAges[seq]!)) wsAges[seq] = performance.now() - view.getFloat64(4)
})
client.on('state', (d) => {
  if (d.seq < udpAges.length && Number.isNaN(udpAges[d.seq]!)) udpAges[d.seq] = performance.now() - d.sentAt
})

const ms = (v: number) => Math.round(v * 100) / 100
const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN

function summarize(ages: Float64Array, start: number, end: number): AgeStats {
  const got = [...ages].filter((a) => !Number.isNaN(a)).sort((a, b) => a - b)
  const frames = staleness(ages, start, end)
  const stale = frames.map((f) => f.stale).sort((a, b) => a - b)
  const calm = frames.filter((f) => senderOnTime(f.at, start)).map((f) => f.stale)
  calm.sort((a, b) => a - b)
  return {
    p50: ms(quantile(got, 0.5)),
    p99: ms(quantile(got, 0.99)),
    max: ms(got[got.length - 1] ?? Number.NaN),
    delivered: Math.round((got.length / ages.length) * 10000) / 10000,
    stale: { p50: ms(quantile(stale, 0.5)), p99: ms(quantile(stale, 0.99)) },
    staleSenderOnTime: { p50: ms(quantile(calm, 0.5)), p99: ms(quantile(calm, 0.99)), frames: calm.length },
  }
}

const SENDER_SLACK_MS = 4

/** Whether the updates due by `frame` (the last three slots) went out on schedule. */
function senderOnTime(frame: number, start: number): boolean {
  const period = 1000 / HZ
  const due = Math.floor((frame - start) / period)
  for (let seq = Math.max(0, due - 2); seq <= due; seq++) {
    const sent = sentTimes[seq]
    if (sent === undefined || sent === 0 || sent - (start + seq * period) > SENDER_SLACK_MS) return false
  }
  return true
}

/** Frame phases pooled: the receiver's 60 Hz display is not in step with the sender's ticks. */
const FRAME_PHASES = 4

/**
 * Staleness at the receiver's frames, from the recorded arrival times (sentAt + age, one clock):
 * frames every 1000/60 ms from the first send to the last, at FRAME_PHASES phase offsets; at each,
 * the newest update (highest seq) that had arrived by then, and how old it was. Frames before the
 * first arrival are left out (nothing to show yet).
 */
function staleness(ages: Float64Array, start: number, end: number): { at: number; stale: number }[] {
  const arrivals: [number, number][] = []
  for (let seq = 0; seq < ages.length; seq++) if (!Number.isNaN(ages[seq]!)) arrivals.push([sentTimes[seq]! + ages[seq]!, seq])
  arrivals.sort((a, b) => a[0] - b[0])
  const period = 1000 / HZ
  const out: { at: number; stale: number }[] = []
  let next = 0
  let newest = -1
  for (let k = 0; start + k * period <= end; k++) {
    for (let p = 0; p < FRAME_PHASES; p++) {
      const frame = start + (k + p / FRAME_PHASES) * period
      while (next < arrivals.length && arrivals[next]![0] <= frame) newest = Math.max(newest, arrivals[next++]![1])
      if (newest >= 0) out.push({ at: frame, stale: frame - sentTimes[newest]! })
    }
  }
  return out
}

function stallStats(start: number, end: number, total: number): StallStats {
  const [from, to] = [epoch(start), epoch(end)]
  const inLevel = stalls.filter(([a, b]) => b > from && a < to)
  stalls.length = 0
  let covered = 0
  let edge = from
  for (const [a, b] of [...inLevel].sort((x, y) => x[0] - y[0])) {
    const lo = Math.max(a, edge)
    const hi = Math.min(b, to)
    if (hi > lo) covered += hi - lo
    edge = Math.max(edge, hi)
  }
  let lateUnreliable = 0
  let lateDuringStall = 0
  for (let seq = 0; seq < total; seq++) {
    const age = udpAges[seq]!
    if (Number.isNaN(age) || age <= LATE_MS) continue
    lateUnreliable++
    const sent = epoch(sentTimes[seq]!)
    if (inLevel.some(([a, b]) => a < sent + age + 1 && b > sent - 1)) lateDuringStall++
  }
  return {
    count: inLevel.length,
    maxMs: Math.round(Math.max(0, ...inLevel.map(([a, b]) => b - a))),
    share: Math.round((covered / (to - from)) * 1000) / 1000,
    lateUnreliable,
    lateDuringStall,
  }
}

async function stream(label: string, seconds: number): Promise<StreamResult> {
  const total = Math.round(seconds * HZ)
  wsAges = new Float64Array(total).fill(Number.NaN)
  udpAges = new Float64Array(total).fill(Number.NaN)
  sentTimes = new Float64Array(total)
  const wsFrame = Buffer.alloc(WS_BYTES, 7)
  const start = performance.now()
  for (let seq = 0; seq < total; seq++) {
    // Paced against the start time, so a late tick does not shift every later one.
    const wait = start + (seq * 1000) / HZ - performance.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    const sentAt = performance.now()
    sentTimes[seq] = sentAt
    const viaWs = () => {
      wsFrame.writeUInt32BE(seq, 0)
      wsFrame.writeDoubleBE(sentAt, 4)
      wsServer.send(wsFrame)
    }
    const viaUs = () => conn.send('state', { seq, sentAt, pad: PAD })
    // Alternate which goes first, so neither always gets the head start.
    if (seq % 2) viaWs(), viaUs()
    else viaUs(), viaWs()
  }
  const end = performance.now()
  await new Promise((r) => setTimeout(r, GRACE_MS))
  const ws = summarize(wsAges, start, end)
  const unreliable = summarize(udpAges, start, end)
  return { type: 'result', label, sent: total, ws, unreliable, stalls: stallStats(start, end, total) }
}

async function shutdown(code: number): Promise<never> {
  for (const p of probes) void p.terminate()
  wsClient.terminate()
  wss.close()
  client.close()
  await Promise.race([server.close(), new Promise((r) => setTimeout(r, 3000))])
  process.exit(code)
}

serveRuns(async (cmd) => ({ ...(await stream(String(cmd.label), Number(cmd.seconds))) }), shutdown)
