/**
 * `npm run flood -- [--frames N] [--json FILE]`: the live fuzz and flood, full size by default
 * (100,000 bad frames, 8 honest players at 30 Hz, a 10,000 msg/s flood on each channel). Offender
 * processes run at nice 19 (they stand in for other machines) unless `--no-nice`.
 */
import { writeFileSync } from 'node:fs'
import { runFlood, type FloodFigures } from './flood-run'

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}
const frames = Number(arg('frames') ?? 100_000)
const json = arg('json')
const rounds = Number(arg('rounds') ?? 5)
const badProcesses = Number(arg('bad-processes') ?? 3)

const f: FloodFigures = await runFlood({ honestClients: 8, badFrames: frames, badProcesses, floodRounds: rounds, maxMs: 240_000, baselineMs: 5000, chatEveryMs: 200, niceOffenders: !process.argv.includes('--no-nice') })
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : 'never')
const lines = [
  `live fuzz and flood: ${f.offenders.serverReceivedBad} bad frames received by the server (${f.offenders.serverRejected} refused as bad, the rest dropped over budget; ${f.offenders.badFramesSent} sent), ${f.offenders.connections} offender connections, ${(f.durationMs / 1000).toFixed(1)} s`,
  `offender disconnect latency: p50 ${ms(f.offenders.latencyP50Ms)}, max ${ms(f.offenders.latencyMaxMs)}; with a reason ${f.offenders.withReason}/${f.offenders.connections} ${JSON.stringify(f.offenders.reasons)}`,
  `server side: ${f.serverSide.closes} offender connections closed ${JSON.stringify(f.serverSide.reasons)}, first offence to disconnect p50 ${ms(f.serverSide.latencyP50Ms)}, max ${ms(f.serverSide.latencyMaxMs)}`,
  ...Object.entries(f.byMode).map(([m, b]) => `  ${m}: ${b.connections} connections, p50 ${ms(b.latencyP50Ms)}, max ${ms(b.latencyMaxMs)} ${JSON.stringify(b.reasons)}`),
  `honest snapshot interval (nominal 33.3 ms): p50 ${ms(f.honest.tickIntervalP50)}, p99 ${ms(f.honest.tickIntervalP99)}, max ${ms(f.honest.tickIntervalMax)} over ${f.honest.snapshots} snapshots (before the offenders: p50 ${ms(f.honest.baselineP50)}, p99 ${ms(f.honest.baselineP99)})`,
  `server tick interval: p50 ${ms(f.server.tickIntervalP50)}, p99 ${ms(f.server.tickIntervalP99)}; ${f.server.ticks} ticks, ${f.server.droppedTicks} dropped; event-loop delay p99 ${ms(f.server.eventLoopDelayP99Ms)}, max ${ms(f.server.eventLoopDelayMaxMs)}`,
  `honest reliable chat: ${f.honest.chatDelivered}/${f.honest.chatExpected} delivered, ${f.honest.duplicates} duplicates, ${f.honest.outOfOrder} out of order, ${f.honest.missing} missing; honest disconnects ${f.honest.disconnects.length}`,
  `server: alive ${f.server.alive}, RSS ${f.server.rssBaselineMb.toFixed(0)} MB before offenders, peak ${f.server.rssPeakMb.toFixed(0)} MB; send budget peak ${f.server.sendBudgetPeakBytes} B`,
]
if (f.offenders.errors.length) lines.push(`offender connect errors: ${f.offenders.errors.length} (${f.offenders.errors.slice(0, 3).join('; ')})`)
console.log(lines.join('\n'))
if (json) writeFileSync(json, JSON.stringify(f, (_k, v: unknown) => (v === Infinity ? null : v), 2))
process.exit(0)
