/**
 * Server time per tick with 1, 10 and 50 real WebRTC clients. The server and the bots run in two
 * child processes, so the bots' decoding and the parent's work do not land in the server's ticks
 * (on 2 cores they still compete for CPU: the numbers are an upper bound).
 */
import type { BotStats, BotsRequest } from './netcode-bots-child'
import { BenchChild } from './netcode-ipc'
import type { Measured, ServerRequest } from './netcode-server-child'

const MEASURE_MS = 3000
const SETTLE_MS = 1500

export async function measureTickLoad(counts: readonly number[] = [1, 10, 50], log: (line: string) => void = console.log): Promise<Record<string, unknown>> {
  const server = await BenchChild.start<ServerRequest>('./netcode-server-child.ts', {})
  let bots: BenchChild<BotsRequest> | undefined
  const tickMs: Record<string, number> = {}
  const tickP95: Record<string, number> = {}
  const cpu: Record<string, number> = {}
  const perClient: Record<string, number> = {}
  try {
    const port = await server.request<number>({ cmd: 'port' })
    bots = await BenchChild.start<BotsRequest>('./netcode-bots-child.ts', { url: `http://127.0.0.1:${port}` })
    for (const n of counts) {
      const started = performance.now()
      await bots.request<number>({ cmd: 'grow', total: n })
      log(`  ${n} client(s) connected in ${((performance.now() - started) / 1000).toFixed(1)} s`)
      await new Promise((r) => setTimeout(r, SETTLE_MS))
      const m = await server.request<Measured>({ cmd: 'measure', ms: MEASURE_MS })
      const b = await bots.request<BotStats>({ cmd: 'stats' })
      log(
        `  ${m.clients} clients, ${m.entities} entities: tick ${m.tickMs.mean} ms mean, ${m.tickMs.p95} p95, ${m.tickMs.max} max; process CPU ${m.cpuMsPerTick} ms/tick;` +
          ` ${m.ticks} ticks (${m.droppedTicks} dropped); ${m.snapshotBytesPerSecPerClient} B/s per client; bots decode ${b.snapshotsPerSec} snapshots/s (${b.droppedNoBase} without base)`,
      )
      tickMs[String(n)] = m.tickMs.mean
      tickP95[String(n)] = m.tickMs.p95
      cpu[String(n)] = m.cpuMsPerTick
      perClient[String(n)] = m.snapshotBytesPerSecPerClient
    }
  } finally {
    await bots?.close()
    await server.close()
  }
  return { 'netcode.tickMs': tickMs, 'netcode.tickMsP95': tickP95, 'netcode.serverCpuMsPerTick': cpu, 'netcode.snapshotBytesPerSecPerClient': perClient }
}
