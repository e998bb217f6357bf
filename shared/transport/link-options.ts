import { realClock, type Clock } from './clock'
import { DEFAULT_CHUNK_BYTES } from './fragments'
import type { Random } from './random'
import { DEFAULT_RATE_LIMIT, type RateLimitOptions } from './rate-limiter'
import { DEFAULT_RELIABLE_SENDER, type ReliableSenderOptions } from './reliable-sender'

export interface LinkOptions {
  /** How often each end pings (RTT, loss report, heartbeat). */
  pingIntervalMs: number
  /** Nothing received for this long: the peer is gone (faster than WebRTC's own ICE/SCTP timeouts). */
  timeoutMs: number
  statsIntervalMs: number
  /** Unreliable sends are dropped (and counted) while the channel holds more than this. */
  unreliableHighWater: number
  reliable: ReliableSenderOptions
  /** Reliable messages are cut into chunks of this size. */
  chunkBytes: number
  /** Cap on one reassembled reliable message, whatever the schema allows. */
  maxReliableMessageBytes: number
  /** Receive budget; `false` turns it off (clients trust their server). */
  rateLimit: RateLimitOptions | false
  clock: Clock
  random: Random
}

export function defaultLinkOptions(role: 'server' | 'client'): LinkOptions {
  return {
    pingIntervalMs: 500,
    timeoutMs: 5000,
    statsIntervalMs: 1000,
    unreliableHighWater: 64 * 1024,
    reliable: DEFAULT_RELIABLE_SENDER,
    chunkBytes: DEFAULT_CHUNK_BYTES,
    maxReliableMessageBytes: 16 * 1024 * 1024,
    rateLimit: role === 'server' ? DEFAULT_RATE_LIMIT : false,
    clock: realClock,
    random: Math.random,
  }
}
