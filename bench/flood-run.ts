/**
 * The live fuzz and flood: a real GameServer running a 30 Hz NetRoom (this process), honest players
 * in one child process, offenders in others (bad frames; valid messages at 10,000/s on each channel).
 * Used by `npm run flood` (full) and by test/integration/transport/flood.test.ts (short).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { setPriority } from 'node:os'
import { fileURLToPath } from 'node:url'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import type { ServerConnection } from '../server/index'
import { NetRoom } from '../server/netcode/index'
import { TokenBucket } from '../shared/transport/token-bucket'
import { startServer } from '../test/support/real-net'
import { messages, schema, TestWorld, type GameSchema } from '../test/integration/netcode/test-game'
import type { HonestConfig, HonestResult } from './flood-honest-child'
import type { OffenderConfig, OffenderConn } from './flood-offender-child'

export interface FloodConfig {
  honestClients: number
  /** Bad frames the server must have received (refused, or dropped over budget) from the bad-frame offenders. */
  badFrames: number
  badProcesses: number
  /** Connections per flood offender (one process per channel). */
  floodRounds: number
  maxMs: number
  /** Honest play measured alone before the offenders start (ms). */
  baselineMs: number
  /** Each honest player sends a reliable chat line this often (ms). */
  chatEveryMs: number
  /** Run the offender processes at nice 19 (they stand in for other machines). */
  niceOffenders: boolean
}

export interface FloodFigures {
  config: FloodConfig
  durationMs: number
  offenders: { connections: number; badFramesSent: number; serverReceivedBad: number; serverRejected: number; withReason: number; reasons: Record<string, number>; latencyP50Ms: number; latencyMaxMs: number; errors: string[] }
  byMode: Record<string, { connections: number; latencyP50Ms: number; latencyMaxMs: number; reasons: Record<string, number> }>
  honest: HonestResult
  /** Offender connections as the server saw them: why and how fast it disconnected them. */
  serverSide: { closes: number; reasons: Record<string, number>; latencyP50Ms: number; latencyMaxMs: number }
  server: { rssBaselineMb: number; rssPeakMb: number; sendBudgetPeakBytes: number; ticks: number; droppedTicks: number; alive: boolean; tickIntervalP50: number; tickIntervalP99: number; eventLoopDelayP99Ms: number; eventLoopDelayMaxMs: number }
}

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url))
const quantile = (xs: number[], f: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? s[Math.min(s.length - 1, Math.floor(f * s.length))]! : NaN
}
const count = (xs: string[]) => xs.reduce<Record<string, number>>((m, x) => ((m[x] = (m[x] ?? 0) + 1), m), {})

/** A child speaking JSON lines on stdout. */
function child(script: string, config: unknown): { proc: ChildProcess; lines: unknown[]; next(pred: (o: Record<string, unknown>) => boolean, ms: number): Promise<Record<string, unknown>>; exited: Promise<void> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', here(script), JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'inherit'] })
  const lines: Record<string, unknown>[] = []
  const waiters: (() => void)[] = []
  let buf = ''
  proc.stdout!.on('data', (d: Buffer) => {
    buf += d.toString()
    let nl
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl)
      buf = buf.slice(nl + 1)
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>)
      } catch {
        continue
      }
      for (const w of waiters.splice(0)) w()
    }
  })
  const exited = new Promise<void>((r) => proc.once('exit', () => r()))
  return {
    proc,
    lines,
    exited,
    next(pred, ms) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${script}: no expected line within ${ms} ms`)), ms)
        const check = () => {
          const hit = lines.find(pred)
          if (hit) {
            clearTimeout(timer)
            return resolve(hit)
          }
          waiters.push(check)
        }
        check()
        void exited.then(() => waiters.push(() => undefined))
      })
    },
  }
}

export async function runFlood(config: FloodConfig): Promise<FloodFigures> {
  const started = performance.now()
  const { server, url } = await startServer(schema)
  const world = new TestWorld()
  const room = new NetRoom(server, { messages, game: world, tickRate: 30 })
  let nextEntity = 1
  /** Frames the server refused as bad, and those it dropped over budget, over all closed connections. */
  let refused = 0
  let overBudget = 0
  const serverCloses: { reason: string; latencyMs: number }[] = []
  const chatBudget = new Map<ServerConnection<GameSchema>, TokenBucket>()
  server.onConnection((conn) => {
    const id = nextEntity++
    world.addPlayer(id, (id % 20) - 10, Math.floor(id / 20) % 20)
    room.add(conn, id)
    chatBudget.set(conn, new TokenBucket(50, 100, performance.now()))
    const acceptedAt = performance.now()
    let firstOffence: number | undefined
    conn.events.on('error', () => (firstOffence ??= performance.now()))
    conn.events.on('close', (reason) => {
      // From the first refused frame (or, for a flood of valid messages, from the handshake) to the disconnect.
      serverCloses.push({ reason, latencyMs: performance.now() - (firstOffence ?? acceptedAt) })
      for (const [code, n] of Object.entries(conn.stats().rejected)) {
        if (code === 'rate-limited') overBudget += n
        else if (code !== 'handler-error') refused += n
      }
      world.players.delete(id)
      chatBudget.delete(conn)
    })
  })
  // The game's own chat rule (50 lines/s per player): the transport delivers, the game decides what to relay.
  server.on('chat', (d, conn) => {
    if (chatBudget.get(conn)?.take(1, performance.now())) server.broadcast('chat', d, { except: conn })
  })
  // Server tick intervals, measured on the room's own steps.
  const tickGaps: number[] = []
  let lastStep = 0
  world.onStep = () => {
    const now = performance.now()
    if (lastStep) tickGaps.push(now - lastStep)
    lastStep = now
  }
  room.start()
  const loopDelay = monitorEventLoopDelay({ resolution: 10 })
  // memoryUsage.rss() alone: the full memoryUsage() walks the heap and stalls the loop being measured.
  let rssPeak = process.memoryUsage.rss()
  const rssTimer = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 250)

  const honest = child('./flood-honest-child.ts', { url, clients: config.honestClients, chatEveryMs: config.chatEveryMs } satisfies HonestConfig)
  const offenders: ReturnType<typeof child>[] = []
  let enough: ReturnType<typeof setInterval> | undefined
  try {
    // Offender processes start (and load their code) now, and wait for "go": spawning is not an attack.
    // A client-side cap only; the offenders stop when the server has received `badFrames`.
    const perBad = Math.ceil((10 * config.badFrames) / config.badProcesses)
    const base = { url, quota: 0, rounds: config.floodRounds, maxMs: config.maxMs }
    for (let i = 0; i < config.badProcesses; i++) offenders.push(child('./flood-offender-child.ts', { ...base, mode: 'bad', quota: perBad, seed: 17 + i } satisfies OffenderConfig))
    offenders.push(child('./flood-offender-child.ts', { ...base, mode: 'flood-unreliable', seed: 1 } satisfies OffenderConfig))
    offenders.push(child('./flood-offender-child.ts', { ...base, mode: 'flood-reliable', seed: 2 } satisfies OffenderConfig))
    // Real offenders run on their own machines; here they share the cores, so they yield them first.
    if (config.niceOffenders) for (const o of offenders) if (o.proc.pid) setPriority(o.proc.pid, 19)
    await honest.next((o) => !!o.ready, 60_000)
    await Promise.all(offenders.map((o) => o.next((l) => !!l.waiting, 60_000)))
    await new Promise((r) => setTimeout(r, config.baselineMs))
    honest.proc.stdin!.write('mark\n')
    await honest.next((o) => !!o.marked, 10_000)
    const rssBaseline = process.memoryUsage.rss()
    tickGaps.length = 0
    loopDelay.enable()
    for (const o of offenders) o.proc.stdin!.write('go\n')
    enough = setInterval(() => {
      if (refused + overBudget < config.badFrames) return
      clearInterval(enough)
      for (const o of offenders) o.proc.stdin!.write('stop\n')
    }, 100)
    await Promise.all(offenders.map((o) => o.next((l) => !!l.done, config.maxMs + 30_000)))
    await new Promise((r) => setTimeout(r, 1000))
    const offenderCloses = [...serverCloses] // before the honest players leave
    const alive = await fetch(`${url}/nothing-here`).then((r) => r.status > 0, () => false)
    honest.proc.stdin!.write('stop\n')
    const { result } = (await honest.next((o) => !!o.result, 30_000)) as { result: HonestResult }
    const conns = offenders.flatMap((o) => o.lines.filter((l): l is { conn: OffenderConn } => !!(l as { conn?: unknown }).conn).map((l) => l.conn))
    const errors = offenders.flatMap((o) => o.lines.filter((l): l is { error: string } => !!(l as { error?: unknown }).error).map((l) => l.error))
    const latencies = conns.map((c) => c.latencyMs).filter((x): x is number => x !== null)
    const byMode: FloodFigures['byMode'] = {}
    for (const mode of ['bad', 'flood-unreliable', 'flood-reliable']) {
      const cs = conns.filter((c) => c.mode === mode)
      const ls = cs.map((c) => c.latencyMs).filter((x): x is number => x !== null)
      byMode[mode] = { connections: cs.length, latencyP50Ms: quantile(ls, 0.5), latencyMaxMs: cs.some((c) => c.latencyMs === null) ? Infinity : Math.max(...ls), reasons: count(cs.map((c) => c.reason ?? 'none')) }
    }
    const stats = room.stats()
    return {
      config,
      durationMs: performance.now() - started,
      offenders: {
        connections: conns.length,
        badFramesSent: conns.filter((c) => c.mode === 'bad').reduce((a, c) => a + c.frames, 0),
        serverReceivedBad: refused + overBudget,
        serverRejected: refused,
        withReason: conns.filter((c) => c.reason !== null).length,
        reasons: count(conns.map((c) => c.reason ?? 'none')),
        latencyP50Ms: quantile(latencies, 0.5),
        latencyMaxMs: latencies.length === conns.length ? Math.max(...latencies) : Infinity,
        errors,
      },
      byMode,
      serverSide: {
        closes: offenderCloses.length,
        reasons: count(offenderCloses.map((c) => c.reason)),
        latencyP50Ms: quantile(offenderCloses.map((c) => c.latencyMs), 0.5),
        latencyMaxMs: Math.max(...offenderCloses.map((c) => c.latencyMs)),
      },
      honest: result,
      server: {
        rssBaselineMb: rssBaseline / 2 ** 20,
        rssPeakMb: rssPeak / 2 ** 20,
        sendBudgetPeakBytes: server.sendBudget.peak,
        ticks: stats.tick.ticks,
        droppedTicks: stats.tick.droppedTicks,
        alive,
        tickIntervalP50: quantile(tickGaps, 0.5),
        tickIntervalP99: quantile(tickGaps, 0.99),
        eventLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        eventLoopDelayMaxMs: loopDelay.max / 1e6,
      },
    }
  } finally {
    clearInterval(rssTimer)
    clearInterval(enough)
    loopDelay.disable()
    for (const o of [...offenders, honest]) o.proc.kill('SIGKILL')
    room.stop()
    await server.close()
  }
}
