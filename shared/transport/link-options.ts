import { realClock, type Clock } from './clock'
import { DEFAULT_CHUNK_BYTES } from './fragments'
import type { Random } from './random'
import { DEFAULT_RATE_LIMIT, type RateLimitOptions } from './rate-limiter'
import { DEFAULT_RELIABLE_SENDER, type ReliableSenderOptions } from './reliable-sender'
import type { SendBudget } from './send-budget'

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
  /**
   * Refused frames (malformed, unknown id, wrong channel...) a peer may send: a bucket of `burst`
   * refilled at `perSecond`; when it is empty the peer is disconnected with reason `protocol-error`.
   * Our own encoder never produces such frames, so an honest peer never comes near it.
   */
  rejectLimit: { perSecond: number; burst: number } | false
  /** Reliable data pending and none of it taken by the peer for this long: dropped as `slow-consumer`. Default: `timeoutMs`. */
  slowConsumerMs: number | undefined
  /** Shared by every connection of a server: caps the bytes queued for slow peers in total. */
  sendBudget: SendBudget | undefined
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
    rejectLimit: role === 'server' ? { perSecond: 100, burst: 1000 } : false,
    slowConsumerMs: undefined,
    sendBudget: undefined,
    clock: realClock,
    random: Math.random,
  }
}
