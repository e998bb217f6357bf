/**
 * Runs only the packet-loss benchmark: `npx tsx bench/loss-only.ts [seconds per level]`.
 * Target: at 5% loss our unreliable p99 age is at most a tenth of WebSocket's.
 */
import { runLossBench } from './loss'

const seconds = Number(process.argv[2] ?? 12)
const result = await runLossBench({ seconds, log: (l) => console.error(l) })
console.log(JSON.stringify(result, null, 2))
if ('skipped' in result) {
  console.error(`skipped: ${result.skipped}`)
} else {
  const ws = result['loss.p5.ws'].p99
  const ours = result['loss.p5.unreliable'].p99
  console.error(`5% loss p99 age: ws ${ws} ms, unreliable ${ours} ms (${(ws / ours).toFixed(1)}x); target <= ws/10: ${ours <= ws / 10 ? 'met' : 'NOT met'}`)
}
