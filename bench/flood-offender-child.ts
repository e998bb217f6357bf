/**
 * One offender process for the live fuzz and flood (its send loop must not share an event loop with
 * the honest clients). Modes:
 * - `bad`: connects as a raw client, sends bad frames at full speed until the server says goodbye,
 *   reconnects, until told "stop" (the server counted enough) or `quota` frames are sent;
 * - `flood-unreliable` / `flood-reliable`: a real GameClient sending valid messages (netInput / chat)
 *   at 10,000 a second until disconnected, `rounds` times.
 * Prints one JSON line per connection (`{ conn: ... }`) and `{ done: true }`.
 */
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { connectClient, sleep } from '../test/support/real-net'
import { RawClient } from '../test/support/raw-client'
import { engineSchema } from '../shared/protocol/engine'
import { decodeMessage } from '../shared/schema/index'
import { schema } from '../test/integration/netcode/test-game'
import { badFrameSource } from './flood-frames'

export interface OffenderConfig {
  url: string
  mode: 'bad' | 'flood-unreliable' | 'flood-reliable'
  /** bad: frames to send in total. */
  quota: number
  /** flood: connections, one after another. */
  rounds: number
  seed: number
  /** Stop whatever the progress after this long (ms). */
  maxMs: number
}

export interface OffenderConn {
  mode: OffenderConfig['mode']
  /** Frames (or messages) sent on this connection. */
  frames: number
  /** From the first offending send to the server's goodbye (ms); null if none came. */
  latencyMs: number | null
  reason: string | null
}

const config = JSON.parse(process.argv[2]!) as OffenderConfig
const out = (o: unknown) => process.stdout.write(JSON.stringify(o) + '\n')
const tick = () => new Promise<void>((r) => setImmediate(r))
const BYE = engineSchema.byName.get('bye')!.id
const WELCOME = engineSchema.byName.get('welcome')!.id
const RATE = 10_000

function timeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('connect timeout')), ms))])
}

/** Connection setup on a loaded machine can be slow; it is not what is measured. */
async function retried<T>(connect: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await connect()
    } catch (err) {
      if (attempt >= 3) throw err
    }
  }
}

/** The goodbye among what the server sent on the reliable channel, if it came. */
function findBye(raw: RawClient): string | undefined {
  for (const f of raw.received) {
    if (f[0] !== 0 || f[1] !== BYE) continue
    const d = decodeMessage(engineSchema, f.subarray(1), 'toClient')
    if (d.ok) return (d.data as { reason: string }).reason
  }
  return undefined
}

async function badConnection(next: ReturnType<typeof badFrameSource>): Promise<OffenderConn> {
  const raw = await retried(() => timeout(RawClient.connect(config.url, { hello: { fingerprint: schema.fingerprint } }), 30_000))
  const welcomeBy = Date.now() + 10_000
  while (!raw.received.some((f) => f[0] === 0 && f[1] === WELCOME) && Date.now() < welcomeBy) await sleep(5)
  const t0 = performance.now()
  let frames = 0
  let reason: string | undefined
  // Until the server says goodbye: the quota only decides whether to connect again.
  while (!reason && performance.now() - t0 < 10_000) {
    // As fast as the frames reach the server: more would only pile up in our own buffers.
    if (raw.bufferedAmount() > 64 * 1024) {
      await sleep(1)
      reason = findBye(raw)
      continue
    }
    try {
      for (let k = 0; k < 50; k++, frames++) {
        const f = next()
        if (f.channel === 'reliable') raw.sendRawReliable(f.bytes)
        else raw.sendRawUnreliable(f.bytes)
      }
    } catch {
      // The server closed the connection under us; its goodbye may be on the way.
      break
    }
    await tick()
    reason = findBye(raw)
  }
  for (const end = performance.now() + 10_000; !reason && performance.now() < end; await sleep(5)) reason = findBye(raw)
  const latencyMs = reason ? performance.now() - t0 : null
  raw.close()
  return { mode: 'bad', frames, latencyMs, reason: reason ?? null }
}

async function floodConnection(mode: 'flood-unreliable' | 'flood-reliable'): Promise<OffenderConn> {
  const client = await retried(() => connectClient(schema, config.url, { link: { timeoutMs: 20_000 }, connectTimeoutMs: 30_000 }))
  let reason: string | undefined
  let at = 0
  client.events.on('disconnect', (r) => {
    reason = r
    at = performance.now()
  })
  const t0 = performance.now()
  let sent = 0
  let seq = 0
  while (!reason && performance.now() - t0 < 10_000) {
    const due = Math.min(500, Math.floor(((performance.now() - t0) * RATE) / 1000) - sent)
    try {
      for (let k = 0; k < due && !reason; k++, sent++) {
        if (mode === 'flood-reliable') client.send('chat', { text: `x${sent}` })
        else client.send('netInput', { ack: undefined, renderTime: undefined, inputs: [{ seq: seq++ & 0xffff, moveX: 0, moveY: 0 }] })
      }
    } catch {
      break // closed under us: the goodbye may be on the way
    }
    await sleep(1)
  }
  for (const end = performance.now() + 10_000; !reason && performance.now() < end; ) await sleep(5)
  client.close()
  return { mode, frames: sent, latencyMs: reason ? at - t0 : null, reason: reason ?? null }
}

out({ waiting: true })
const stdin = createInterface({ input: process.stdin })
await once(stdin, 'line')
let stopped = false
stdin.on('line', (line) => (stopped = line.trim() === 'stop' || stopped))
const deadline = Date.now() + config.maxMs

if (config.mode === 'bad') {
  const next = badFrameSource(config.seed)
  let total = 0
  while (!stopped && total < config.quota && Date.now() < deadline) {
    try {
      const c = await badConnection(next)
      total += c.frames
      out({ conn: c })
    } catch (err) {
      out({ error: String(err) })
      await sleep(200)
    }
  }
} else {
  for (let r = 0; r < config.rounds && Date.now() < deadline; r++) {
    try {
      out({ conn: await floodConnection(config.mode) })
    } catch (err) {
      out({ error: String(err) })
      await sleep(200)
    }
  }
}
out({ done: true })
setTimeout(() => process.exit(0), 300)
