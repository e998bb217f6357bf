import type { Schema } from '../../shared/schema/index'
import type { ServerConnection } from '../transport/server-connection'

/**
 * What other server parts (file transfer, signalling relay, game rooms) need from the lobby: who a
 * connection is, where a peer is, and when that changes. `LobbyServer` implements it.
 * A peer whose connection was lost is still known (by id, name, room) during its grace period, but
 * has no connection; `onPeerLeft` fires when it is gone for good.
 */
export interface PeerDirectory {
  peerIdOf(conn: ServerConnection<Schema>): string | undefined
  connectionOf(peerId: string): ServerConnection<Schema> | undefined
  roomOf(peerId: string): string | undefined
  nameOf(peerId: string): string | undefined
  /** Scale-out: the peer is connected to another node of the cluster (optional; false when absent). */
  hostedElsewhere?(peerId: string): boolean
  onPeerLeft(listener: (peerId: string) => void): () => void
  /** Fires on every membership change: `undefined` after leaving a room (moving fires twice). */
  onRoomChanged(listener: (peerId: string, roomId: string | undefined) => void): () => void
}
