/**
 * Capacity: N bots against one server process, ours (8-player rooms, and one large room with
 * interest) and the raw geckos floor broadcasting the same bytes per client at 30 Hz, in one run;
 * also the duplex floor (the same, with each bot sending a netInput-sized frame 60 times a second, as
 * our bots send their inputs), and, given `baseDir` (another checkout), our two servers from there
 * (before/after a change, measured side by side). The server runs alone in its child; the bots in two
 * other children (they share the cores).
 */
import type { CapacityBotStats, CapacityBotsRequest } from './capacity-bots-child'
import type { CapacityKind, CapacityServerMeasured, CapacityServerRequest } from './capacity-server-child'
import { BenchChild } from './netcode-ipc'

export const CAPACITY_COUNTS = [25, 50, 100, 200] as const
const BOT_PROCS = 2
const SETTLE_MS = 2000
const MEASURE_MS = 10_000

export interface CapacityRow {
  cpuUsPerClientTick: number
  tickHz: number
  rssMbPerConn: number
  updateAgeP99Ms: number
  failed: number
  bytesPerClientTick: number
  connectPerSec: number
}
export type CapacityKindKey = 'ours' | 'oursLarge' | 'geckos' | 'geckosDuplex' | 'oursBefore' | 'oursLargeBefore'
export type CapacityResults = Record<'ours' | 'oursLarge' | 'geckos', Record<string, CapacityRow>> & Partial<Record<'geckosDuplex' | 'oursBefore' | 'oursLargeBefore', Record<string, CapacityRow>>>

/** A netInput frame of the bench game (4 redundant inputs, ack, render time, 2-byte header): what our bots send 60 times a second. */
export const DUPLEX_INPUT_BYTES = 38

interface Variant {
  kind: CapacityKind
  /** Bytes per client-tick for the floor. */
  bytes?: number
  /** Geckos bots also send this many bytes at 60 Hz. */
  inputBytes?: number
  /** Checkout whose server child runs (before/after comparisons); default this one. */
  dir?: string
  label: string
}

/** A child that already died: closing it must not throw an unhandled 'error' from the IPC channel. */
function quietOnDeath<T extends object>(child: T): T {
  ;(child as unknown as { child: { on(e: 'error', cb: () => void): void } }).child.on('error', () => undefined)
  return child
}

async function measureOne(v: Variant, n: number, log: (line: string) => void): Promise<CapacityRow> {
  const { kind, bytes, inputBytes, label } = v
  const serverFile = v.dir ? `${v.dir.replace(/\/$/, '')}/bench/capacity-server-child.ts` : './capacity-server-child.ts'
  const server = quietOnDeath(await BenchChild.start<CapacityServerRequest>(serverFile, { kind, bytes }))
  const bots: BenchChild<CapacityBotsRequest>[] = []
  try {
    const port = await server.request<number>({ cmd: 'port' })
    // RSS with no one connected: what connections add is measured against it.
    const idle = await server.request<CapacityServerMeasured>({ cmd: 'measure', ms: 200 })
    const botKind = kind === 'geckos' ? 'geckos' : 'ours'
    for (let i = 0; i < BOT_PROCS; i++) bots.push(quietOnDeath(await BenchChild.start<CapacityBotsRequest>('./capacity-bots-child.ts', { url: `http://127.0.0.1:${port}`, kind: botKind, inputBytes })))
    const started = performance.now()
    const grown = await Promise.all(bots.map((b, i) => b.request<{ bots: number; failed: number }>({ cmd: 'grow', total: Math.floor(n / BOT_PROCS) + (i < n % BOT_PROCS ? 1 : 0) })))
    const connectSecs = (performance.now() - started) / 1000
    await new Promise((r) => setTimeout(r, SETTLE_MS))
    await Promise.all(bots.map((b) => b.request({ cmd: 'reset' })))
    const m = await server.request<CapacityServerMeasured>({ cmd: 'measure', ms: MEASURE_MS })
    const s = await Promise.all(bots.map((b) => b.request<CapacityBotStats>({ cmd: 'stats' })))
    const failed = grown.reduce((a, g) => a + g.failed, 0)
    const connected = grown.reduce((a, g) => a + g.bots, 0)
    const row: CapacityRow = {
      cpuUsPerClientTick: Math.round((m.cpuUs / Math.max(1, m.ticks * m.clients)) * 10) / 10,
      tickHz: m.tickHz,
      rssMbPerConn: Math.round(((m.rssMb - idle.rssMb) / Math.max(1, m.clients)) * 100) / 100,
      updateAgeP99Ms: Math.max(...s.map((x) => x.updateAgeP99Ms)),
      failed,
      bytesPerClientTick: m.bytesPerClientTick,
      connectPerSec: Math.round((connected / connectSecs) * 10) / 10,
    }
    log(
      `  ${label.padEnd(15)} N=${String(n).padStart(3)}: ${m.clients} connected (${failed} failed, ${row.connectPerSec}/s), ${row.cpuUsPerClientTick} us CPU per client-tick, tick ${m.tickHz} Hz, ` +
        `${row.rssMbPerConn} MB RSS per conn, ${m.bytesPerClientTick} B per client-tick, update age p50 ${s.map((x) => x.updateAgeP50Ms).join('/')} p99 ${row.updateAgeP99Ms} ms, ${s.map((x) => x.messagesPerSecPerBot).join('/')} msg/s per bot`,
    )
    const errors = s.flatMap((x) => Object.entries(x.errors))
    if (errors.length) log(`    failures: ${errors.map(([why, count]) => `${count}x ${why}`).join('; ')}`)
    return row
  } catch (err) {
    // A child that died (e.g. the machine ran out of something) fails this N, not the whole run.
    log(`  ${label} N=${n}: failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`)
    return { cpuUsPerClientTick: NaN, tickHz: 0, rssMbPerConn: NaN, updateAgeP99Ms: NaN, failed: n, bytesPerClientTick: 0, connectPerSec: 0 }
  } finally {
    for (const c of [...bots, server]) await c.close().catch(() => undefined)
  }
}

export async function runCapacityBench(options: { counts?: readonly number[]; log?: (line: string) => void; baseDir?: string } = {}): Promise<CapacityResults> {
  const log = options.log ?? console.log
  const { baseDir } = options
  const out: CapacityResults = { ours: {}, oursLarge: {}, geckos: {}, geckosDuplex: {}, ...(baseDir ? { oursBefore: {}, oursLargeBefore: {} } : {}) }
  for (const n of options.counts ?? CAPACITY_COUNTS) {
    if (baseDir) out.oursBefore![n] = await measureOne({ kind: 'arena', dir: baseDir, label: 'arena (before)' }, n, log)
    out.ours[n] = await measureOne({ kind: 'arena', label: 'arena' }, n, log)
    if (baseDir) out.oursLargeBefore![n] = await measureOne({ kind: 'large', dir: baseDir, label: 'large (before)' }, n, log)
    out.oursLarge[n] = await measureOne({ kind: 'large', label: 'large' }, n, log)
    // The floor sends what our rooms sent per client and tick.
    const bytes = Math.max(16, out.ours[n]!.bytesPerClientTick || out.oursLarge[n]!.bytesPerClientTick)
    out.geckos[n] = await measureOne({ kind: 'geckos', bytes, label: 'geckos' }, n, log)
    out.geckosDuplex![n] = await measureOne({ kind: 'geckos', bytes, inputBytes: DUPLEX_INPUT_BYTES, label: 'geckos duplex' }, n, log)
  }
  return out
}

/** Players one core holds at 30 Hz, from CPU per client-tick (the server's process, all threads). */
export function playersPerCore(row: CapacityRow): number {
  return Math.floor(1_000_000 / 30 / Math.max(0.001, row.cpuUsPerClientTick))
}

const KINDS: CapacityKindKey[] = ['oursBefore', 'ours', 'oursLargeBefore', 'oursLarge', 'geckos', 'geckosDuplex']

export function formatCapacity(r: CapacityResults): string {
  const lines = ['N     kind             CPU us/client-tick  tick Hz  RSS MB/conn  B/client-tick  age p99 ms  failed  conn/s  players/core']
  for (const n of Object.keys(r.ours)) {
    for (const kind of KINDS) {
      const x = r[kind]?.[n]
      if (!x) continue
      lines.push(
        `${n.padEnd(5)} ${kind.padEnd(16)} ${String(x.cpuUsPerClientTick).padStart(18)}  ${String(x.tickHz).padStart(7)}  ${String(x.rssMbPerConn).padStart(11)}  ${String(x.bytesPerClientTick).padStart(13)}  ${String(x.updateAgeP99Ms).padStart(10)}  ${String(x.failed).padStart(6)}  ${String(x.connectPerSec).padStart(6)}  ${String(playersPerCore(x)).padStart(12)}`,
      )
    }
    const ratio = (a: CapacityRow | undefined, b: CapacityRow | undefined) => (a && b ? `${(a.cpuUsPerClientTick / Math.max(0.001, b.cpuUsPerClientTick)).toFixed(2)}x` : '-')
    const g = r.geckos[n]
    const d = r.geckosDuplex?.[n]
    for (const kind of KINDS.filter((k) => !k.startsWith('geckos'))) {
      const x = r[kind]?.[n]
      if (x) lines.push(`      ${kind} CPU per client-tick / floor: ${ratio(x, g)}, / duplex floor: ${ratio(x, d)}`)
    }
  }
  return lines.join('\n')
}
