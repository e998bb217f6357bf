import { ConnectError, isSetupRefusal } from './connect-error'

/**
 * Telling "the server's process is gone" from "the network is cut" after a failed attempt to reach
 * the server again. Sessions live in the server's memory: once its process is gone, waiting out the
 * session's grace period only delays the lobby's own resume on another node.
 *
 * Node's fetch names a refusal (ECONNREFUSED). A browser's fetch says `Failed to fetch` for a refusal
 * and a cut alike; what differs is the time: a refused TCP connection (RST, or a proxy's 502) fails at
 * once, while a cut (packets dropped) leaves the request hanging until the attempt's timeout. So an
 * attempt that failed fast while the browser believes it is online counts as a refusal too. A network
 * change also fails fast for a moment: such inferred refusals must also go on for a while.
 */
export type Failure = 'refused' | 'fast' | 'other'

export interface RefusalRules {
  /** An attempt failing faster than this is taken for a refusal (a cut hangs instead). Default 1500 ms. */
  fastFailMs: number
  /** Consecutive refusals after which the server is taken for gone. Default 3. */
  count: number
  /** Inferred (fast) refusals must also span this long, first to last. Default 2000 ms. */
  inferredForMs: number
}

export const DEFAULT_REFUSAL_RULES: RefusalRules = { fastFailMs: 1500, count: 3, inferredForMs: 2000 }

/** An attempt that ran out of time (never a refusal, however short the timeout). */
export class AttemptTimeout extends Error {
  override readonly name = 'AttemptTimeout'
}

/** `navigator.onLine`, where there is one: false means this device knows it is cut off. */
export function browserOnline(): boolean {
  return (globalThis as { navigator?: { onLine?: unknown } }).navigator?.onLine !== false
}

/** What one failed attempt (all its staggered connections) says about the server. */
export function classifyFailure(err: unknown, tookMs: number, online: boolean, fastFailMs: number): Failure {
  // The server answered (token, origin, caps): it is running.
  if (err instanceof ConnectError && isSetupRefusal(err)) return 'other'
  if (err instanceof AttemptTimeout) return 'other'
  const why = err instanceof Error ? err.message : String(err)
  if (/connection refused|ECONNREFUSED/.test(why)) return 'refused'
  // Offline: we are the ones cut off, whatever the server does.
  return online && tookMs < fastFailMs ? 'fast' : 'other'
}

/** Counts consecutive refusals; `gone()` once they say the server's process is not there. */
export class RefusalCounter {
  private count = 0
  private firstAt = 0
  private inferred = false

  constructor(private readonly rules: RefusalRules = DEFAULT_REFUSAL_RULES) {}

  /** One failed attempt that ended at `now`; true when the server is taken for gone. */
  failed(kind: Failure, now: number): boolean {
    if (kind === 'other') return this.reset(), false
    if (this.count === 0) (this.firstAt = now), (this.inferred = false)
    this.count++
    this.inferred ||= kind === 'fast'
    return this.count >= this.rules.count && (!this.inferred || now - this.firstAt >= this.rules.inferredForMs)
  }

  /** A connection opened (the server runs), or a failure that says nothing. */
  reset(): void {
    this.count = 0
  }
}
