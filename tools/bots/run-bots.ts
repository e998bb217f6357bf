/**
 * One load run, as `npm run bots` does it: fork the bot processes, the connect phase (progress line
 * a second), `duration` seconds of measured play (live line a second), every bot leaves, the report.
 * Also used by the cluster capacity bench, which reads the servers' CPU over the measured phase.
 */
import { Window } from './aggregate'
import type { BotsOptions } from './args'
import { BotFleet } from './fleet'
import { buildReport, liveLine, progressLine, type BotsReport } from './report'

export interface RunHooks {
  /** The measured play starts (every bot is playing or has failed). */
  onRunStart?(): void
  /** The measured play ends, before the bots leave. */
  onRunEnd?(): void
}

export async function runBots(o: BotsOptions, hooks: RunHooks = {}): Promise<BotsReport> {
  const say = (line: string) => !o.quiet && console.log(line)
  let connect = new Window()
  let run: Window | undefined
  let live = new Window()
  const fleet = new BotFleet(
    { urls: o.urls, room: o.room, roomSize: o.roomSize, chatPerSec: o.chat, files: o.files, connectTimeoutMs: o.connectTimeoutS * 1000, ownAddress: o.ownAddresses, ramp: o.ramp / o.procs },
    (s) => {
      ;(run ?? connect).add(s)
      live.add(s)
    },
  )
  await Promise.all(Array.from({ length: o.procs }, () => fleet.spawn()))
  say(`${o.n} bots over ${o.procs} processes at ${o.ramp}/s against ${o.urls.join(', ')}${o.ownAddresses ? ', each from its own loopback address' : ''}`)
  const t0 = performance.now()
  const since = () => (performance.now() - t0) / 1000
  fleet.procs.forEach((p, k) => p.send({ cmd: 'add', indices: Array.from({ length: o.n }, (_, i) => i).filter((i) => i % o.procs === k) }))

  // Connect phase: until no bot is queued or connecting (bounded by the ramp and the connect timeout).
  const connectLimitS = o.n / o.ramp + o.connectTimeoutS + 15
  await new Promise((r) => setTimeout(r, 1000))
  for (;;) {
    const c = fleet.counts()
    say(progressLine(c, since()))
    if ((c.queued === 0 && c.connecting === 0 && c.playing + c.failed >= o.n) || since() > connectLimitS) break
    await new Promise((r) => setTimeout(r, 1000))
  }

  // Measured play (none when no bot got to play).
  run = new Window()
  live = new Window()
  hooks.onRunStart?.()
  const runStart = performance.now()
  const seconds = fleet.counts().playing > 0 ? Math.ceil(o.duration) : 0
  for (let s = 1; s <= seconds; s++) {
    await new Promise((r) => setTimeout(r, runStart + s * 1000 - performance.now()))
    say(liveLine(live, fleet.counts(), since()))
    live = new Window()
  }
  const measured = run
  measured.end()
  hooks.onRunEnd?.()
  const counts = fleet.counts()
  await fleet.stop()
  return buildReport(o, connect, measured, { ...counts, failed: fleet.counts().failed })
}
