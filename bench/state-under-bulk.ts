/**
 * `npm run bench:state-bulk [-- --json FILE] [--rounds N]`: how old unreliable state is on arrival
 * while the reliable channel carries bulk data (20 x 1 MB), against the same stream without bulk.
 * The promise of two channels is that state does not wait behind bulk inside the SCTP association;
 * this tells that apart from the receiving process being busy with the bulk data itself:
 * - `child`: the receiver is its own process (its event loop only receives); ages are receiver
 *   wall clock at arrival minus sender wall clock at send, and the receiver's own loop delay is
 *   reported next to them.
 * - `same`: sender and receiver share one process and event loop, as the integration test does.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { GameClient, installNodeWebRTC } from '../client/node'
import { GameServer, type ServerConnection } from '../server/index'
import { testSchema, type TestSchema } from '../test/support/test-schema'
import { sleep } from './stats'

const BULK_MESSAGES = 20
const big = new Uint8Array(1024 * 1024).map((_, i) => (i * 31 + 7) & 0xff)
const wallNow = () => performance.timeOrigin + performance.now()

export interface PhaseFigures {
  states: number
  ageP50: number
  ageP95: number
  ageMax: number
  /** The receiving process's event-loop delay over the phase, ms. */
  receiverLoopP99: number
  receiverLoopMax: number
  /** The sending process's event-loop delay over the phase, ms. */
  senderLoopP99: number
}

interface Receiver {
  start(): Promise<void>
  stop(): Promise<{ ages: number[]; loopP99: number; loopMax: number }>
  close(): void
}

function pct(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : Number.NaN
}

type Bulk = 'idle' | 'bulk' | 'paced'

/**
 * One phase: 500 ms of state at ~60 Hz (200 B each) and, unless idle, 20 MB of bulk: sent as fast as
 * the reliable channel takes it (`bulk`), or paced at 64 KiB every 4 ms (`paced`, ~12-16 MB/s).
 */
async function phase(conn: ServerConnection<TestSchema>, receiver: Receiver, mode: Bulk): Promise<PhaseFigures> {
  const withBulk = mode !== 'idle'
  const senderLoop = monitorEventLoopDelay({ resolution: 5 })
  await receiver.start()
  senderLoop.enable()
  let bulkDone = !withBulk
  const bulk = (async () => {
    if (!withBulk) return
    if (mode === 'paced')
      for (let i = 0; i < BULK_MESSAGES * 16; i++) {
        conn.send('bulk', { seq: i, data: big.subarray(0, 65536) })
        await sleep(4)
      }
    else for (let i = 0; i < BULK_MESSAGES; i++) if (!conn.send('bulk', { seq: i, data: big })) await conn.drained()
    bulkDone = true
  })()
  const start = performance.now()
  let seq = 0
  while (performance.now() - start < 500 || !bulkDone) {
    conn.send('state', { seq: seq++, sentAt: wallNow(), pad: new Uint8Array(200) })
    await sleep(16)
    if (performance.now() - start > 20_000) break
  }
  await bulk
  await sleep(200) // the last states arrive
  senderLoop.disable()
  const r = await receiver.stop()
  const ages = [...r.ages].sort((a, b) => a - b)
  return {
    states: ages.length,
    ageP50: pct(ages, 0.5),
    ageP95: pct(ages, 0.95),
    ageMax: ages[ages.length - 1] ?? Number.NaN,
    receiverLoopP99: r.loopP99,
    receiverLoopMax: r.loopMax,
    senderLoopP99: senderLoop.percentile(99) / 1e6,
  }
}

async function childReceiver(url: string): Promise<Receiver> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./state-under-bulk-child.ts', import.meta.url)), [url], { execArgv: ['--import', 'tsx'] })
  let failed: ((err: Error) => void) | undefined
  child.once('exit', (code) => failed?.(new Error(`receiver exited (${code})`)))
  const next = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      failed = reject
      const onMessage = (m: { type: string }) => {
        if (m.type !== type) return
        child.off('message', onMessage)
        resolve(m as T)
      }
      child.on('message', onMessage)
    })
  await next('ready')
  return {
    start: async () => {
      child.send({ cmd: 'start' })
      await next('started')
    },
    stop: async () => {
      child.send({ cmd: 'stop' })
      return next<{ ages: number[]; loopP99: number; loopMax: number }>('result')
    },
    close: () => void child.send({ cmd: 'exit' }),
  }
}

async function sameProcessReceiver(url: string): Promise<Receiver> {
  const client = new GameClient(testSchema, { url })
  await client.connect()
  let ages: number[] = []
  const loop = monitorEventLoopDelay({ resolution: 5 })
  client.on('state', (s) => ages.push(wallNow() - s.sentAt))
  return {
    start: async () => {
      ages = []
      loop.reset()
      loop.enable()
    },
    stop: async () => {
      loop.disable()
      return { ages, loopP99: loop.percentile(99) / 1e6, loopMax: loop.max / 1e6 }
    },
    close: () => client.close(),
  }
}

export async function runStateUnderBulk(rounds: number, log: (line: string) => void = console.log, highWater?: number, only?: 'child' | 'same'): Promise<Record<string, PhaseFigures[]>> {
  installNodeWebRTC({ bindAddress: '127.0.0.1' })
  const server = new GameServer(testSchema, { bindAddress: '127.0.0.1', link: { rateLimit: false, ...(highWater ? { reliable: { channelHighWater: highWater, maxQueuedBytes: 32 * 1024 * 1024 } } : {}) } })
  const port = await server.listen(0, '127.0.0.1')
  const url = `http://127.0.0.1:${port}`
  const out: Record<string, PhaseFigures[]> = {}
  try {
    for (const where of only ? [only] : (['child', 'same'] as const)) {
      const accepted = new Promise<ServerConnection<TestSchema>>((resolve) => {
        const off = server.onConnection((c) => (off(), resolve(c)))
      })
      const receiver = where === 'child' ? await childReceiver(url) : await sameProcessReceiver(url)
      const conn = await accepted
      for (let r = 0; r < rounds; r++)
        for (const mode of ['idle', 'bulk', 'paced'] as const) {
          const key = `${where}.${mode}`
          const f = await phase(conn, receiver, mode)
          ;(out[key] ??= []).push(f)
          log(
            `${key.padEnd(11)} states ${String(f.states).padStart(4)}  age p50 ${f.ageP50.toFixed(1).padStart(6)} p95 ${f.ageP95.toFixed(1).padStart(6)} max ${f.ageMax.toFixed(1).padStart(6)} ms` +
              `  receiver loop p99 ${f.receiverLoopP99.toFixed(1).padStart(5)} max ${f.receiverLoopMax.toFixed(1).padStart(6)} ms  sender loop p99 ${f.senderLoopP99.toFixed(1)} ms`,
          )
        }
      receiver.close()
      conn.close()
      await sleep(200)
    }
  } finally {
    await server.close()
  }
  return out
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name)
    return i < 0 ? undefined : process.argv[i + 1]
  }
  const rounds = Number(arg('--rounds') ?? 3)
  const json = arg('--json')
  runStateUnderBulk(rounds, console.log, arg('--high-water') ? Number(arg('--high-water')) : undefined, arg('--only') as 'child' | 'same' | undefined).then(
    (out) => {
      if (json) writeFileSync(json, JSON.stringify(out, null, 2))
      process.exit(0)
    },
    (err: unknown) => {
      console.error(err)
      process.exit(1)
    },
  )
}
