/**
 * State updates under REAL packet loss: WebSocket (TCP: every loss stalls everything behind it until
 * retransmitted) against our unreliable channel (a lost update is simply skipped). A 60 Hz stream of
 * ~200-byte updates, server to client, over both at once inside a network namespace dropping 2%, then
 * 5% of packets. Reports the age of each update on arrival and the share delivered.
 * Needs root, `ip` and `iptables` (see test/support/netns.ts); returns `{ skipped }` otherwise.
 */
import { fileURLToPath } from 'node:url'
import { canUseNetns, createNetns } from '../test/support/netns'
import type { AgeStats, StallStats, StreamResult } from './loss-child'

export type { AgeStats, StallStats } from './loss-child'

/** Keys like `loss.p2.ws`, `loss.p5.unreliable` (p = percent of packets dropped). */
export type LossBenchKey = `loss.p${number}.${'ws' | 'unreliable'}`
/** The four keys of the default levels (2%, 5%); other `levels` add keys of their own instead. */
export type LossBenchResult = Record<`loss.p${2 | 5}.${'ws' | 'unreliable'}`, AgeStats> & Partial<Record<LossBenchKey, AgeStats>>

export interface LossBenchOptions {
  /** Drop rates to measure, in order. Default [0.02, 0.05]. */
  levels?: number[]
  /** Streaming time per level. Default 12 s. */
  seconds?: number
  /** Progress lines (default: none). */
  log?: (line: string) => void
  /**
   * Per level: CPU-scheduling stalls seen by a probe in the child during the stream. Late unreliable
   * updates there are the machine's (the native receive threads not getting a CPU), not SCTP's.
   */
  onStalls?: (percent: number, stalls: StallStats) => void
}

const CHILD = fileURLToPath(new URL('./loss-child.ts', import.meta.url))

export async function runLossBench(opts: LossBenchOptions = {}): Promise<LossBenchResult | { skipped: string }> {
  const check = canUseNetns()
  if (!check.ok) return { skipped: check.why }
  const levels = opts.levels ?? [0.02, 0.05]
  const seconds = opts.seconds ?? 12
  const log = opts.log ?? (() => undefined)
  const ns = await createNetns()
  try {
    const child = ns.spawnTs(CHILD)
    // Both connections are made with no loss: we measure the stream, not the handshakes.
    await child.readJson('ready', 30_000)
    // Warm-up, discarded: JIT and first-use costs otherwise land in whichever level runs first.
    child.send({ cmd: 'run', label: 'warmup', seconds: 2 })
    await child.readJson<StreamResult>('result', 30_000)
    const result: Partial<LossBenchResult> = {}
    for (const p of levels) {
      ns.setDropRate(p)
      const pct = Math.round(p * 100)
      log(`loss ${pct}%: streaming ${seconds} s at 60 Hz over ws and unreliable`)
      child.send({ cmd: 'run', label: `p${pct}`, seconds })
      const r = await child.readJson<StreamResult>('result', seconds * 1000 + 30_000)
      const { dropped, accepted } = ns.counters()
      log(`loss ${pct}%: ${dropped} of ${dropped + accepted} packets dropped (${((100 * dropped) / Math.max(1, dropped + accepted)).toFixed(1)}%)`)
      const st = r.stalls
      log(
        `loss ${pct}%: CPU stalls (probe wake-ups > 15 ms late): ${st.count}, longest ${st.maxMs} ms, ${(st.share * 100).toFixed(1)}% of the time; ` +
          `unreliable updates > 10 ms old: ${st.lateUnreliable}, ${st.lateDuringStall} of them during a stall`,
      )
      opts.onStalls?.(pct, st)
      result[`loss.p${pct}.ws`] = r.ws
      result[`loss.p${pct}.unreliable`] = r.unreliable
    }
    ns.setDropRate(0)
    child.send({ cmd: 'exit' })
    await Promise.race([child.exited, new Promise((r) => setTimeout(r, 5000))])
    return result as LossBenchResult
  } finally {
    await ns.destroy()
  }
}
