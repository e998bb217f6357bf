import { TokenBucket } from './token-bucket'

/** Per-connection budget for what a peer sends us. */
export interface RateLimitOptions {
  messagesPerSecond: number
  messageBurst: number
  bytesPerSecond: number
  byteBurst: number
  /** Frames over budget (dropped or, if reliable, let through) within one second before the peer is disconnected. */
  disconnectAfter: number
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = {
  messagesPerSecond: 600,
  messageBurst: 1200,
  bytesPerSecond: 16 * 1024 * 1024,
  byteBurst: 32 * 1024 * 1024,
  // Half a second of the sustained rate beyond the burst: enough slack for a legitimate spike, little work for a flood.
  disconnectAfter: 300,
}

export type RateVerdict = 'ok' | 'throttled' | 'disconnect'

/**
 * First throttles a flooding peer, then asks for it to be dropped. The caller decides what
 * 'throttled' means per channel: an unreliable frame is dropped whole; a reliable chunk is still
 * delivered (dropping one would corrupt the ordered stream), but counts toward the disconnect.
 */
export class RateLimiter {
  private messages: TokenBucket
  private bytes: TokenBucket
  private windowStart: number
  private throttledInWindow = 0

  constructor(
    private readonly options: RateLimitOptions,
    now: number,
  ) {
    this.messages = new TokenBucket(options.messagesPerSecond, options.messageBurst, now)
    this.bytes = new TokenBucket(options.bytesPerSecond, options.byteBurst, now)
    this.windowStart = now
  }

  /** `messages`: 0 for a non-final fragment, so a big reliable message costs bytes, not many messages. */
  check(frameBytes: number, now: number, messages = 1): RateVerdict {
    if (this.messages.take(messages, now) && this.bytes.take(frameBytes, now)) return 'ok'
    if (now - this.windowStart >= 1000) {
      this.windowStart = now
      this.throttledInWindow = 0
    }
    return ++this.throttledInWindow > this.options.disconnectAfter ? 'disconnect' : 'throttled'
  }
}
