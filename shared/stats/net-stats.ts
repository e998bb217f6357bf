import type { TrafficRate } from './traffic-counters'

/** Which transport carries a connection, and why that one. */
export interface TransportInfo {
  kind: 'webrtc' | 'websocket'
  /** `direct`, or why WebRTC was not used: `forced`, `webrtc-timeout`, `turn-failed`, `webrtc-failed: ...`. */
  reason: string
}

/** A connection's measurements, as `link.stats()` returns them and the `stats` event carries them. */
export interface NetStats {
  /** Round trip on the unreliable channel, in ms. */
  rtt: { smoothed: number; last: number; p50: number; p95: number; samples: number }
  /** Variation of the round trip, in ms. */
  jitter: number
  /** Fraction (0..1) of unreliable packets lost: `in` measured here, `out` reported by the peer. */
  loss: { in: number; out: number }
  /** Per message name (engine messages are prefixed with `$`). Bytes are whole frames. */
  messagesIn: Record<string, TrafficRate>
  messagesOut: Record<string, TrafficRate>
  bytesInPerSec: number
  bytesOutPerSec: number
  /** Frames refused, by reason: schema error codes, plus `rate-limited`, `text-frame`, `handshake`. */
  rejected: Record<string, number>
  /** Unreliable sends dropped here because the channel's buffer was full. */
  droppedOut: number
  /** Unreliable messages sent over one packet (~1,200 B): SCTP splits them and one lost piece loses all. Keep state smaller. */
  multiPacketOut: number
  /** Unreliable frames that arrived twice / after newer ones. */
  duplicatesIn: number
  lateIn: number
  /** Reliable bytes waiting in our queue and in the channel's buffer. */
  reliableQueuedBytes: number
  /** `webrtc` (data channels over UDP) or `websocket` (the fallback over TCP). */
  transport: TransportInfo['kind']
  transportReason: string
}
