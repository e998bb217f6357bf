/**
 * `npm run bots -- --url URL --n 200 [--procs 3] ...`: real WebRTC bots against a running server
 * (npm start, or any deployment; several comma-separated URLs for a cluster's nodes). Connect phase
 * with a progress line, then `--duration` seconds of play with one live line a second, then a report
 * (and --json). Exit code 1 when any bot failed. What each figure means: docs/bots.md.
 */
import { writeFileSync } from 'node:fs'
import { parseArgs, USAGE, type BotsOptions } from './args'
import { reportText } from './report'
import { runBots } from './run-bots'

async function main(o: BotsOptions): Promise<number> {
  const report = await runBots(o)
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
