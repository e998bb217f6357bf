/** Shapes of the numbers the bench reports, and the small statistics they need. */

export interface Percentiles {
  p50: number
  p99: number
}

export interface SizeSpeed {
  /** Encoded size of the 100-entity snapshot. */
  bytes: number
  /** Encode + decode round trips per second. */
  perSec: number
}

export interface LossRow {
  p50: number
  p99: number
  max: number
  delivered: number
  /** Age of the newest update held at each 60 Hz frame of the receiver (see bench/loss-child.ts). */
  stale?: { p50: number; p99: number }
  /** The same over the frames at which the sender (same process) had kept its schedule. */
  staleSenderOnTime?: { p50: number; p99: number; frames: number }
}

export type LossResult = Record<string, LossRow> | { skipped: string }

/** Exactly the keys of `--json`: nested objects, so `rtt.udp` is `json.rtt.udp`. */
export interface BenchResults {
  rtt: { udp: Percentiles; ws: Percentiles; geckos: Percentiles; unreliable: Percentiles; reliable: Percentiles }
  snapshot: {
    json: SizeSpeed
    msgpackr: SizeSpeed
    msgpackrStructures: SizeSpeed
    schema: SizeSpeed
    schemaQuantized: SizeSpeed
    handpacked: SizeSpeed
  }
  reliable: { mbPerSec: number }
  connect: { geckos: { p50: number }; ours: { p50: number } }
  loss: LossResult
}

/** Nearest-rank percentile of unsorted samples (copied, then sorted). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]!
}

export function percentiles(samples: readonly number[]): Percentiles {
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** Rejects after `ms` so a stuck transport fails the bench instead of hanging it. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms)
  })
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer))
}
