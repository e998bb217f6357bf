import type { Infer } from '../schema/index'
import type { LobbyPayload } from './compat'
import type { peerInfo } from './fields'

/** A peer as every lobby member sees it. */
export type PeerInfo = Infer<ReturnType<typeof peerInfo>>

/** A room as every lobby member sees it; `meta` as a plain map (entries on the wire). */
export interface RoomInfo {
  id: string
  name: string
  /** Peer id of the owner: the creator, then the longest-present member. */
  owner: string
  capacity: number
  size: number
  hasPassword: boolean
  meta: Record<string, string>
}

export type ChatMessage = LobbyPayload<'chatMessage'>
