import type { ChatMessage, LeaveReason, LobbyError, PeerInfo, RoomInfo } from '../../shared/lobby/index'
import type { Schema } from '../../shared/schema/index'
import type { DisconnectReason } from '../../shared/transport/index'
import type { GameClient } from '../transport/game-client'
import type { PeerChange } from './state'
import type { NameStorage } from './storage'

export interface LobbyClientOptions<S extends Schema> {
  /** Opens a new, connected GameClient to the same server: used by `resume()` and automatic resume. */
  reconnect?: () => Promise<GameClient<S>>
  /**
   * Resume by itself after a lost connection, until the server's grace period runs out. Default: when
   * there is a way back: `reconnect`, or (on a cluster) `connectTo` and the nodes the server listed.
   * On a cluster it tries our own node first, then every other live node (`LobbyClient.nodes`) in turn.
   */
  autoResume?: boolean
  /** First wait between resume attempts; doubles up to 4 s. Default 250 ms. */
  retryDelayMs?: number
  /** A request without a reply after this long is rejected (`disconnected`). Default 10 s. */
  requestTimeoutMs?: number
  /**
   * Scale-out: opens a connected GameClient to another node of the cluster (the URL a redirect names,
   * or a live node to resume on when ours went away). Without it, joining a room hosted on another
   * node fails, and automatic resume tries only `reconnect`.
   */
  connectTo?: (url: string) => Promise<GameClient<S>>
  /** Where `remember` keeps the name; default `localStorage` when there is one, `null` for none. */
  storage?: NameStorage | null
  /**
   * Where the resume token is kept so a reload of the page can `resumeSession()`; default
   * `sessionStorage` when there is one (per tab), `null` for none.
   */
  sessionStorage?: NameStorage | null
}

export interface LobbyClientEvents {
  /** A welcome arrived: first join, or a resume (`resumed`: same identity; false: a new one). */
  joined: [self: PeerInfo, resumed: boolean]
  peerJoined: [PeerInfo]
  peerLeft: [PeerInfo, LeaveReason]
  peerChanged: [PeerInfo, PeerChange]
  roomsChanged: [ReadonlyMap<string, RoomInfo>]
  chat: [ChatMessage]
  /** Every refusal from the server (the request's promise rejects too). */
  error: [LobbyError]
  /** The room's owner removed us. */
  kicked: [roomId: string, by: string]
  /** The connection went away; an automatic resume may follow. */
  disconnected: [DisconnectReason]
}

export type JoinAs = { name: string } | { email: string }
export interface CreateRoom {
  name: string
  capacity: number
  password?: string
  meta?: Record<string, string>
}
