/**
 * `npm run soak -- --minutes M`: a real demo server process under churning bots (join, play, chat,
 * files, leave, SIGKILL) for M minutes. Quiet points check that the server's connection maps match
 * the live bots; at the end, with every bot gone, maps are empty and file descriptors back to the
 * baseline; after warm-up the RSS slope (least squares) and event-loop lag p99 stay under limits.
 * Exit code 1 on any failed check. Figures: docs/reliability.md, "Soak".
 */
import { writeFileSync } from 'node:fs'
import { BotFleet } from '../bots/fleet'
import { parseSoakArgs, USAGE, type SoakOptions } from './args'
import { check, checksText, leastSquaresSlope, type Check } from './checks'
import { Churn } from './churn'
import { SoakServer } from './server-handle'
import type { ServerProbe } from './server-child'
import type { ServerSample } from './server-stats'

const ROOM_SIZE = 4
/**
 * A killed bot's peer connection ends on the link timeout (8 s); its GameServer connection then waits
 * out the transport session's resume grace (60 s by default), and its lobby peer the lobby's (15 s):
 * 83 s, plus margin for a loaded machine.
 */
const SETTLE_MS = 120_000
/** Quiet points may take that long, so they are spaced to leave most of the run to churn. */
const QUIET_EVERY_S = 180
const WARMUP_HOLD_MS = 40_000
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

type Maps = Pick<ServerSample, 'connections' | 'peerConnections' | 'lobbyPeers' | 'rooms'>
interface QuietPoint {
  atS: number
  liveBots: number
  server: Maps | undefined
  settledMs: number | null
  probe: ServerProbe | undefined
}

async function soak(o: SoakOptions): Promise<{ ok: boolean; report: Record<string, unknown> }> {
  const say = (line: string) => !o.quiet && console.log(line)
  const server = await SoakServer.start()
  const botErrors: Record<string, number> = {}
  const t0 = performance.now()
  const since = () => (performance.now() - t0) / 1000
  const fleet = new BotFleet({ urls: [server.url], room: 'soak', roomSize: ROOM_SIZE, chatPerSec: 0.5, files: true, connectTimeoutMs: 30_000, ownAddress: true, ramp: 10 }, (sample) => {
    for (const [k, n] of Object.entries(sample.meter.errors)) botErrors[k] = (botErrors[k] ?? 0) + n
  })
  const churn = new Churn(fleet, { roomSize: ROOM_SIZE, minBots: ROOM_SIZE, maxBots: o.maxBots, maxProcs: Math.ceil(o.maxBots / ROOM_SIZE) })
  const totalS = o.minutes * 60
  say(`soak: ${o.minutes} min against the demo server (pid ${server.pid}, ${server.url}), up to ${o.maxBots} bots`)

  const empty = (s: ServerSample) => s.connections === 0 && s.peerConnections === 0 && s.lobbyPeers === 0 && s.rooms === 0
  const matches = (s: ServerSample, live: number) => s.connections === live && s.peerConnections === live && s.lobbyPeers === live

  // Warm-up: the full population plays for a while, then leaves. Lazily opened sockets and threads
  // exist before the fd baseline, and RSS has met its peak load before the slope is taken (RSS climbs
  // to a plateau set by the largest population it has served: ~95 -> ~135 MB here, then flat).
  // The short form warms up with one room: it asserts no slope.
  const full = o.checks === 'all'
  for (let i = 0; i < (full ? Math.floor(o.maxBots / ROOM_SIZE) : 1); i++) await churn.spawn()
  await waitPlaying(churn, 60_000)
  if (full) await sleep(WARMUP_HOLD_MS)
  await churn.stopAll()
  const baseline = await server.waitFor(empty, SETTLE_MS)
  if (baseline) await sleep(2000)
  const baseFds = server.latest()?.fds ?? Number.NaN
  const baseProbe = await server.probe('baseline')
  say(`t=${since().toFixed(0)}s baseline: ${baseFds} fds, rss ${server.latest()?.rssMb} MB | ${probeLine(baseProbe)}`)

  // Churn, with quiet points spread evenly over it: about one per QUIET_EVERY_S, at least one. Slope
  // and lag are taken over the churn.
  const churnStartS = since()
  const warmupEndS = churnStartS
  server.send({ cmd: 'resetLag' })
  const quietCount = Math.max(1, Math.floor(totalS / QUIET_EVERY_S))
  const quietAt = Array.from({ length: quietCount }, (_, k) => churnStartS + ((k + 1) * (totalS - churnStartS)) / (quietCount + 1))
  const quiet: QuietPoint[] = []
  let lastLine = 0
  while (since() < totalS) {
    if (quietAt.length > 0 && since() >= quietAt[0]!) {
      quietAt.shift()
      if (churn.population() < ROOM_SIZE) await churn.spawn() // a quiet point with nobody proves little
      await waitPlaying(churn, 30_000)
      const start = performance.now()
      const settled = await server.waitFor((s) => matches(s, fleet.liveCounts().playing), SETTLE_MS)
      const live = fleet.liveCounts().playing
      const settledMs = settled ? Math.round(performance.now() - start) : null
      const probe = await server.probe(`quiet-${quiet.length + 1}`)
      const point = { atS: Math.round(since()), liveBots: live, server: pickMaps(settled ?? server.latest()), settledMs, probe }
      quiet.push(point)
      say(`t=${since().toFixed(0)}s quiet point: ${live} bots, server ${JSON.stringify(point.server)}${settled ? ` after ${settledMs} ms` : ' — NOT SETTLED'} | ${probeLine(probe)}`)
    } else {
      const did = await churn.step()
      if (!o.quiet && since() - lastLine >= 5) {
        lastLine = since()
        say(`t=${since().toFixed(0)}s ${did} | bots ${churn.population()} | ${serverLine(server.latest())}`)
      }
      await sleep(o.churnEveryS * 1000 * (0.5 + Math.random()))
    }
    if (!server.alive) break
  }
  const lag = await server.lag()
  const churnEndS = since()

  // Everyone leaves; one process is killed instead, so the end also covers vanished peers.
  const live = fleet.procs.filter((p) => p.alive)
  if (live.length > 1) await fleet.kill(live[0]!)
  const failed = fleet.counts().failed
  await churn.stopAll()
  const end = await server.waitFor(empty, SETTLE_MS + 15_000)
  const fdsEnd = (await server.waitFor((s) => s.fds <= baseFds, 15_000))?.fds ?? server.latest()?.fds ?? Number.NaN
  const endProbe = await server.probe('end')
  say(`t=${since().toFixed(0)}s all bots gone: ${serverLine(server.latest())} | ${probeLine(endProbe)}`)

  const after = server.between(t0 + warmupEndS * 1000, t0 + churnEndS * 1000)
  const slope = leastSquaresSlope(after.map((s) => ({ x: s.at / 60_000, y: s.rssMb }))) // MB per minute
  const short = o.checks === 'leaks'
  const checks: Record<string, Check> = {
    rssSlopeMbPerMin: check(slope, 0.3, '<', short),
    eventLoopLagP99Ms: check(lag.p99Ms, 20, '<', short),
    quietPointsMatched: check(quiet.filter((q) => q.settledMs === null).length, 0, '=='),
    mapsEmptyAtEnd: check(end ? 0 : 1, 0, '=='),
    fdsAboveBaseline: check(fdsEnd - baseFds, 0, '<='),
    serverErrors: check(server.errors.length, 0, '=='),
    botsFailed: check(failed, 0, '=='),
  }
  if (quiet.length === 0) checks.quietPointsMatched = { ok: false, value: 'none', limit: '>= 1 quiet point' }
  await server.close()
  const ok = Object.values(checks).every((c) => c.ok)
  const report = {
    minutes: o.minutes,
    ok,
    checks,
    bots: { ...churn.tally, failed, errors: botErrors },
    baseline: { fds: baseFds, rssMb: baseline?.rssMb ?? null, probe: baseProbe },
    endProbe,
    end: pickMaps(server.latest()),
    fdsEnd,
    rss: { warmupEndS, slopeMbPerMin: Math.round(slope * 1000) / 1000, maxMb: Math.max(...server.samples.map((s) => s.rssMb)), lastMb: server.latest()?.rssMb },
    heapUsedMb: { max: Math.max(...server.samples.map((s) => s.heapUsedMb)), last: server.latest()?.heapUsedMb },
    eventLoopLagMs: lag,
    quietPoints: quiet,
    serverErrors: server.errors,
  }
  console.log(`soak ${ok ? 'passed' : 'FAILED'} (${o.minutes} min, ${churn.tally.joined} bots joined, ${churn.tally.left} left, ${churn.tally.killed} killed)\n${checksText(checks)}`)
  return { ok, report }
}

async function waitPlaying(churn: Churn, timeoutMs: number): Promise<void> {
  await sleep(1500) // every process has reported once since the last command
  const deadline = performance.now() + timeoutMs
  while (performance.now() < deadline) {
    const c = churn.fleet.liveCounts()
    if (c.queued === 0 && c.connecting === 0) return
    await sleep(250)
  }
}

function pickMaps(s: ServerSample | undefined): Maps | undefined {
  return s && { connections: s.connections, peerConnections: s.peerConnections, lobbyPeers: s.lobbyPeers, rooms: s.rooms }
}

function probeLine(p: ServerProbe | undefined): string {
  if (!p) return 'probe: no answer'
  return `after GC: rss ${p.rssMb} MB heap ${p.heapUsedMb} MB external ${p.externalMb} MB | threads ${p.threads} | guard addresses ${p.guardAddresses}`
}

function serverLine(s: ServerSample | undefined): string {
  if (!s) return 'server: no sample yet'
  return `server rss ${s.rssMb} MB heap ${s.heapUsedMb} MB | conns ${s.connections} pcs ${s.peerConnections} peers ${s.lobbyPeers} rooms ${s.rooms} | fds ${s.fds} | lag p99 ${s.lagP99Ms} ms`
}

let options: SoakOptions
try {
  options = parseSoakArgs(process.argv.slice(2))
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`)
  process.exit(2)
}
soak(options).then(
  ({ ok, report }) => {
    if (options.json) writeFileSync(options.json, JSON.stringify(report, null, 2) + '\n')
    process.exit(ok ? 0 : 1)
  },
  (err: unknown) => {
    console.error(err)
    process.exit(1)
  },
)
