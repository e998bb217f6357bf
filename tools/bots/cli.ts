/**
 * `npm run bots -- --url URL --n 200 [--procs 3] ...`: real WebRTC bots against a running server
 * (npm start, or any deployment). Connect phase with a progress line, then `--duration` seconds of
 * play with one live line a second, then a report (and --json). Exit code 1 when any bot failed.
 * What each figure means: docs/bots.md.
 */
import { writeFileSync } from 'node:fs'
import { Window } from './aggregate'
import { parseArgs, USAGE, type BotsOptions } from './args'
import { BotFleet } from './fleet'
import { buildReport, liveLine, progressLine, reportText } from './report'

async function main(o: BotsOptions): Promise<number> {
  const say = (line: string) => !o.quiet && console.log(line)
  let connect = new Window()
  let run: Window | undefined
  let live = new Window()
  const fleet = new BotFleet(
    { url: o.url, room: o.room, roomSize: o.roomSize, chatPerSec: o.chat, files: o.files, connectTimeoutMs: o.connectTimeoutS * 1000, ownAddress: o.ownAddresses, ramp: o.ramp / o.procs },
    (s) => {
      ;(run ?? connect).add(s)
      live.add(s)
    },
  )
  await Promise.all(Array.from({ length: o.procs }, () => fleet.spawn()))
  say(`${o.n} bots over ${o.procs} processes at ${o.ramp}/s against ${o.url}${o.ownAddresses ? ', each from its own loopback address' : ''}`)
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
  const runStart = performance.now()
  const seconds = fleet.counts().playing > 0 ? Math.ceil(o.duration) : 0
  for (let s = 1; s <= seconds; s++) {
    await new Promise((r) => setTimeout(r, runStart + s * 1000 - performance.now()))
    say(liveLine(live, fleet.counts(), since()))
    live = new Window()
  }
  const measured = run
  measured.end()
  const counts = fleet.counts()
  await fleet.stop()
  const report = buildReport(o, connect, measured, { ...counts, failed: fleet.counts().failed })
  console.log(reportText(report))
  if (o.json) writeFileSync(o.json, JSON.stringify(report, null, 2) + '\n')
  return report.failed > 0 || report.connected < o.n ? 1 : 0
}

let options: BotsOptions
try {
  options = parseArgs(process.argv.slice(2))
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`)
  process.exit(2)
}
main(options).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err)
    process.exit(1)
  },
)
