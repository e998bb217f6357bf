import type { LeaveReason, LobbySchema, MemberLeaveReason, PeerInfo, PeerStatus, RoomInfo, SettableStatus } from '../../shared/lobby/index'
import { TokenBucket } from '../../shared/transport/token-bucket'
import type { ListenerError } from '../../shared/transport/emitter'
import type { ServerConnection } from '../transport/server-connection'
import type { ResolvedLobbyOptions } from './options'

export type LobbyConnection = ServerConnection<LobbySchema>

/** Server-side record of one peer; survives its connection for the grace period. */
export interface Peer {
  readonly id: string
  name: string
  /** `nameKey(name)`, what uniqueness is decided on. */
  key: string
  status: PeerStatus
  /** The status to restore when a `reconnecting` peer resumes. */
  lastStatus: SettableStatus
  room: string | undefined
  ping: number
  /** Undefined while reconnecting. */
  conn: LobbyConnection | undefined
  /** Set by an explicit `lobbyLeave`, so the connection's close does not start a grace period. */
  leaving: boolean
  readonly chatBucket: TokenBucket
  readonly requestBucket: TokenBucket
}

export function newPeer(id: string, name: string, key: string, conn: LobbyConnection, o: ResolvedLobbyOptions): Peer {
  const now = o.clock.now()
  return {
    id,
    name,
    key,
    status: 'online',
    lastStatus: 'online',
    room: undefined,
    ping: pingOf(conn),
    conn,
    leaving: false,
    chatBucket: new TokenBucket(o.chat.perSecond, o.chat.burst, now),
    requestBucket: new TokenBucket(o.requests.perSecond, o.requests.burst, now),
  }
}

export function peerInfo(p: Peer): PeerInfo {
  return { id: p.id, name: p.name, room: p.room, status: p.status, ping: p.ping }
}

/** The transport's smoothed round trip, as a whole number of ms that fits the wire. */
export function pingOf(conn: LobbyConnection): number {
  return Math.min(0xffff, Math.max(0, Math.round(conn.stats().rtt.smoothed)))
}

/** Events for game code (netcode rooms, matchmaking) to hook in. Payloads are snapshots. */
export interface LobbyServerEvents {
  peerJoined: [PeerInfo]
  /** Gone for good: left, or not back within the grace period, or removed. */
  peerLeft: [PeerInfo, LeaveReason]
  /** The connection was lost; resumable until the grace period ends. */
  peerDropped: [PeerInfo]
  /** Came back on a new connection with its resume token. */
  peerResumed: [PeerInfo]
  roomCreated: [RoomInfo]
  roomClosed: [RoomInfo]
  memberJoined: [roomId: string, peerId: string]
  memberLeft: [roomId: string, peerId: string, reason: MemberLeaveReason]
  /** After every membership change (what `PeerDirectory.onRoomChanged` listens to). */
  peerRoomChanged: [peerId: string, roomId: string | undefined]
  /** A listener of one of these events threw; the other listeners and the lobby carried on. */
  error: [ListenerError]
}
