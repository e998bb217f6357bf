import { LOBBY_LIMITS } from '../../shared/lobby/index'
import { realClock, type Clock } from '../../shared/transport/index'
import type { LobbyBackplane } from './backplane'

export interface LobbyServerOptions {
  /** How long a peer whose connection was lost stays resumable (status `reconnecting`). Default 30 s. */
  graceMs?: number
  /** Peers in the lobby at once (at most 1000, what one welcome can list). Default 1000. */
  maxPeers?: number
  /** Rooms at once (at most 256). Default 256. */
  maxRooms?: number
  /** Largest room a client may create (at most 255). Default 64. */
  maxCapacity?: number
  /** How often pings are re-read from the transport and changes pushed. Default 3 s. */
  pingRefreshMs?: number
  /** A ping is pushed when it moved by at least this many ms (or 20%), not on every 1 ms of jitter. Default 5. */
  pingThresholdMs?: number
  chat?: {
    /** UTF-16 units, at most 500 (the schema's cap). */
    maxLength?: number
    /** Token bucket per peer: messages per second and burst. Defaults 2/s, 5. */
    perSecond?: number
    burst?: number
    /** Room messages kept and replayed to a newcomer. Default 50. */
    history?: number
  }
  /** Token bucket per peer for room and status requests. Defaults 5/s, 20. */
  requests?: { perSecond?: number; burst?: number }
  /** Timers and rate limits (monotonic); injectable for tests. */
  clock?: Clock
  /** Chat timestamps (wall clock, ms since 1970). */
  wallClock?: () => number
  /** Scale-out: one lobby across several server processes (e.g. `RedisBackplane`). Default: this process alone. */
  backplane?: LobbyBackplane
}

export interface ResolvedLobbyOptions {
  graceMs: number
  maxPeers: number
  maxRooms: number
  maxCapacity: number
  pingRefreshMs: number
  pingThresholdMs: number
  chat: { maxLength: number; perSecond: number; burst: number; history: number }
  requests: { perSecond: number; burst: number }
  clock: Clock
  wallClock: () => number
}

export function resolveOptions(o: LobbyServerOptions): ResolvedLobbyOptions {
  return {
    graceMs: o.graceMs ?? 30_000,
    maxPeers: Math.min(o.maxPeers ?? LOBBY_LIMITS.maxPeers, LOBBY_LIMITS.maxPeers),
    maxRooms: Math.min(o.maxRooms ?? LOBBY_LIMITS.maxRooms, LOBBY_LIMITS.maxRooms),
    maxCapacity: Math.min(o.maxCapacity ?? 64, LOBBY_LIMITS.maxCapacity),
    pingRefreshMs: o.pingRefreshMs ?? 3000,
    pingThresholdMs: o.pingThresholdMs ?? 5,
    chat: {
      maxLength: Math.min(o.chat?.maxLength ?? LOBBY_LIMITS.chatLength, LOBBY_LIMITS.chatLength),
      perSecond: o.chat?.perSecond ?? 2,
      burst: o.chat?.burst ?? 5,
      history: o.chat?.history ?? 50,
    },
    requests: { perSecond: o.requests?.perSecond ?? 5, burst: o.requests?.burst ?? 20 },
    clock: o.clock ?? realClock,
    wallClock: o.wallClock ?? Date.now,
  }
}
