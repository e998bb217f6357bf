import { FragmentFlag } from './fragments'
import type { LinkOptions } from './link-options'
import { RateLimiter } from './rate-limiter'
import type { RejectCode } from './reject'
import { TokenBucket } from './token-bucket'

/** Error events per second per link; refusals beyond are only counted (`stats().rejected`). */
export const ERRORS_PER_SECOND = 100

export type Admission = 'ok' | 'drop' | 'rate-limit'

/**
 * What a link allows the peer at its end: the receive budget (messages and bytes) and the number of
 * refused frames. Both are off on a client-role link by default (clients trust their server).
 */
export class PeerGuards {
  private limiter: RateLimiter | undefined
  /** Refused frames the peer may still send before it is dropped. */
  private rejectBudget: TokenBucket | undefined
  private errorWindow = -Infinity
  private errorsInWindow = 0

  constructor(options: LinkOptions, now: number) {
    this.limiter = options.rateLimit ? new RateLimiter(options.rateLimit, now) : undefined
    const rl = options.rejectLimit
    this.rejectBudget = rl ? new TokenBucket(rl.perSecond, rl.burst, now) : undefined
  }

  /**
   * The receive budget for one incoming frame. A reliable message costs one message when its last
   * chunk arrives and its bytes chunk by chunk. Over budget, an unreliable frame is dropped whole;
   * a reliable chunk is never dropped (a lost piece would corrupt the ordered stream) but still counts
   * toward the disconnect. Either way a peer far over budget is to be dropped (`rate-limit`).
   */
  admit(bytes: Uint8Array, channel: 'reliable' | 'unreliable', now: number): Admission {
    if (!this.limiter) return 'ok'
    const finalChunk = channel === 'unreliable' || bytes[0] !== FragmentFlag.More
    const verdict = this.limiter.check(bytes.byteLength, now, finalChunk ? 1 : 0)
    if (verdict === 'disconnect') return 'rate-limit'
    return verdict === 'throttled' && channel === 'unreliable' ? 'drop' : 'ok'
  }

  /** Whether one more refusal may be reported as an error event (at most ERRORS_PER_SECOND). */
  reportable(now: number): boolean {
    if (now - this.errorWindow >= 1000) {
      this.errorWindow = now
      this.errorsInWindow = 0
    }
    return ++this.errorsInWindow <= ERRORS_PER_SECOND
  }

  /** A frame was refused: true once the peer has used up its allowance of bad frames. */
  refusedTooMany(code: RejectCode, now: number): boolean {
    // Throttling and our own handlers' errors are not the peer sending bad frames.
    if (!this.rejectBudget || code === 'handler-error' || code === 'rate-limited') return false
    return !this.rejectBudget.take(1, now)
  }
}
