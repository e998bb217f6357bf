import type { Schema } from '../../shared/schema/index'
import type { PeerDirectory } from '../lobby/directory'
import type { LobbyServer } from '../lobby/index'
import type { SignalDeclarations } from '../../shared/signalling/signal-messages'
import type { SignalRelay } from '../signalling/signal-relay'
import type { ServerConnection } from '../transport/server-connection'
import type { RedisBackplane } from './redis-backplane'

/** What another node may hand to a local peer: signalling only (chat is delivered by the backplane). */
const SIGNAL_DELIVERIES = new Set(['rtcDescriptionFrom', 'rtcCandidateFrom', 'callIncoming', 'callAnswered', 'callEnded'])

/**
 * The lobby's PeerDirectory widened to the cluster, for the signalling relay: peers on other nodes
 * have a room and a name, and a "connection" that publishes to their node. The relay's rules stay as
 * they are (server-stamped sender; same room or an accepted call), applied on the sender's node.
 * File transfers keep the plain lobby (local connections only) and refuse other nodes' peers.
 */
export class ClusterDirectory implements PeerDirectory {
  constructor(
    private readonly lobby: LobbyServer,
    private readonly bp: RedisBackplane,
  ) {}

  peerIdOf(conn: ServerConnection<Schema>): string | undefined {
    return this.lobby.peerIdOf(conn)
  }
  connectionOf(peerId: string): ServerConnection<Schema> | undefined {
    const local = this.lobby.connectionOf(peerId)
    if (local || !this.lobby.hostedElsewhere(peerId) || this.bp.remotePeer(peerId)?.status === 'reconnecting') return local
    return remoteConnection(peerId, this.bp)
  }
  roomOf(peerId: string): string | undefined {
    return this.lobby.roomOf(peerId) ?? this.bp.remotePeer(peerId)?.room
  }
  nameOf(peerId: string): string | undefined {
    return this.lobby.nameOf(peerId) ?? this.bp.remotePeer(peerId)?.name
  }
  hostedElsewhere(peerId: string): boolean {
    return this.lobby.hostedElsewhere(peerId)
  }
  onPeerLeft(listener: (peerId: string) => void): () => void {
    const offs = [this.lobby.onPeerLeft(listener), this.bp.events.on('remotePeerLeft', listener)]
    return () => offs.forEach((off) => off())
  }
  onRoomChanged(listener: (peerId: string, roomId: string | undefined) => void): () => void {
    return this.lobby.onRoomChanged(listener)
  }

  /**
   * Delivers signalling from other nodes to local peers, keeping this node's call book in step with the
   * other end's (a call between two nodes is recorded on both, so both relays allow its signalling).
   */
  bridge<S extends Schema<SignalDeclarations>>(relay: SignalRelay<S>): () => void {
    return this.bp.events.on('delivery', (to, name, payload) => {
      const conn = this.lobby.connectionOf(to)
      if (!conn || !SIGNAL_DELIVERIES.has(name) || typeof payload !== 'object' || payload === null) return
      const from = (payload as { from?: unknown }).from
      if (typeof from !== 'string') return
      const calls = relay.calls
      if (name === 'callIncoming' && !calls.get(from, to)) calls.ring(from, to, relay.options.now())
      if (name === 'callAnswered') {
        const call = calls.get(to, from)
        if (call?.state === 'ringing' && call.caller === to) (payload as { accept?: unknown }).accept === true ? (call.state = 'accepted') : calls.end(to, from)
      }
      if (name === 'callEnded') calls.end(to, from)
      try {
        // The schema checks every field again on encoding: a malformed delivery throws here, not on the wire.
        ;(conn as ServerConnection<Schema>).send(name as never, payload as never)
      } catch (err) {
        console.warn(`cluster: dropped a ${name} for ${to}:`, err instanceof Error ? err.message : err)
      }
    })
  }
}

/**
 * Stands in for a peer's connection on another node: what the relay sends to it is published to that
 * node. Only `send` and `closed` are used by the relay; the cast is confined to here.
 */
function remoteConnection(peerId: string, bp: RedisBackplane): ServerConnection<Schema> {
  const proxy = { id: `remote:${peerId}`, closed: false, ready: true, send: (name: string, data: unknown) => bp.send(peerId, name, data) }
  return proxy as unknown as ServerConnection<Schema>
}
