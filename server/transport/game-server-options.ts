import type { LinkOptions } from '../../shared/transport/index'
import type { SessionOptions } from '../../shared/transport/session'
import type { ConnectGuardOptions } from './connect-guard'
import type { ConnectLimitsOptions } from './connect-limits'
import type { IceConfigOptions } from './ice-config'
import type { WebSocketFallbackOptions } from './websocket-fallback'

/** ICE: `iceServers` (TURN credentials honoured), `iceTransportPolicy`, `turn` (REST credentials minted per connection); see ice-config.ts. */
export interface GameServerOptions extends IceConfigOptions {
  /** Bind WebRTC to one local address (needed inside a network namespace that only has `lo`). */
  bindAddress?: string
  portRange?: { min: number; max: number }
  /** Options for every connection's link (timeouts, rate limit, buffers...). */
  link?: Partial<LinkOptions>
  /** Bytes queued for slow peers across all connections; over it the largest backlogs are dropped. Default 64 MiB. */
  sendBudgetBytes?: number
  /** A peer connection that has not finished WebRTC setup and our hello after this long is closed. */
  handshakeTimeoutMs?: number
  /**
   * Checks on every connection-setup request (origin allowlist, token, body limit, rates); see
   * server/transport/connect-guard.ts. Without it: any origin, no token, default limits.
   */
  connectGuard?: ConnectGuardOptions
  /** Caps on peer connections per address and per server; see server/transport/connect-limits.ts. */
  connectLimits?: Partial<ConnectLimitsOptions>
  /**
   * Both channels over one WebSocket on this HTTP port, for players whose network blocks UDP (see
   * websocket-fallback.ts). Off unless given: `{}` for the default checks, or the same origins and
   * token as `connectGuard` (upgrades do not pass through the request front door).
   */
  websocket?: WebSocketFallbackOptions | false
  /**
   * Resumable sessions (docs/transport.md, "Sessions"): a connection whose transport is cut waits
   * `graceMs` for the client to resume it on a new one, and reliable messages are replayed across.
   * `false` turns them off (a cut then ends the connection at once).
   */
  sessions?: Partial<SessionOptions> | false
}
