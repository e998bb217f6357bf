/**
 * Runs only the packet-loss benchmark: `npx tsx bench/loss-only.ts [seconds per level]`.
 * Targets at 5% loss: our unreliable p99 age at most a tenth of WebSocket's, our p99 staleness at most 0.2x.
 */
import { runLossBench, type StallStats } from './loss'

const seconds = Number(process.argv[2] ?? 12)
const stalls = new Map<number, StallStats>()
const result = await runLossBench({ seconds, log: (l) => console.error(l), onStalls: (pct, s) => stalls.set(pct, s) })
console.log(JSON.stringify(result, null, 2))
if ('skipped' in result) {
  console.error(`skipped: ${result.skipped}`)
} else {
  const ws = result['loss.p5.ws'].p99
  const ours = result['loss.p5.unreliable'].p99
  console.error(`5% loss p99 age: ws ${ws} ms, unreliable ${ours} ms (${(ws / ours).toFixed(1)}x); target <= ws/10: ${ours <= ws / 10 ? 'met' : 'NOT met'}`)
  const [wsStale, oursStale] = [result['loss.p5.ws'].stale.p99, result['loss.p5.unreliable'].stale.p99]
  console.error(`5% loss p99 staleness: ws ${wsStale} ms, unreliable ${oursStale} ms (${(oursStale / wsStale).toFixed(2)}x); target <= 0.2x: ${oursStale <= 0.2 * wsStale ? 'met' : 'NOT met'}`)
  const [wsCalm, oursCalm] = [result['loss.p5.ws'].staleSenderOnTime, result['loss.p5.unreliable'].staleSenderOnTime]
  console.error(`5% loss p99 staleness while the sender kept its schedule (${oursCalm.frames} frames): ws ${wsCalm.p99} ms, unreliable ${oursCalm.p99} ms (${(oursCalm.p99 / wsCalm.p99).toFixed(2)}x)`)
  const st = stalls.get(5)
  // A miss during which this machine starved threads of CPU is the machine's, not the transport's:
  // say so (the numbers above stay as measured).
  if (st && st.lateUnreliable > 0)
    console.error(
      `5% loss: ${st.lateDuringStall} of ${st.lateUnreliable} late unreliable updates (> 10 ms) were in flight during a CPU stall ` +
        `(${st.count} stalls, longest ${st.maxMs} ms, ${(st.share * 100).toFixed(1)}% of the time)${st.share > 0.005 ? ': machine busy, rerun on a quiet machine' : ''}`,
    )
}
