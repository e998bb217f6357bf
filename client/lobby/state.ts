import { metaToRecord, type LobbyPayload, type PeerInfo, type RoomInfo } from '../../shared/lobby/index'

/** The fields of a peer that changed (`room: undefined` with the key present: left its room). */
export type PeerChange = Partial<Omit<PeerInfo, 'id'>>
type RoomWire = LobbyPayload<'roomAdded'>['room']

/**
 * The client's copy of the lobby, kept current by the server's deltas. Records are replaced, never
 * mutated, so a UI can compare by reference.
 */
export class LobbyState {
  readonly peers = new Map<string, PeerInfo>()
  readonly rooms = new Map<string, RoomInfo>()

  reset(peers: readonly PeerInfo[], rooms: readonly RoomWire[]): void {
    this.peers.clear()
    this.rooms.clear()
    for (const p of peers) this.peers.set(p.id, p)
    for (const r of rooms) this.putRoom(r)
  }

  addPeer(peer: PeerInfo): void {
    this.peers.set(peer.id, peer)
  }

  removePeer(id: string): PeerInfo | undefined {
    const peer = this.peers.get(id)
    this.peers.delete(id)
    return peer
  }

  /** Applies a `presenceChange`; returns the new record and what changed, or undefined for an unknown peer. */
  changePeer(delta: LobbyPayload<'presenceChange'>): { peer: PeerInfo; change: PeerChange } | undefined {
    const old = this.peers.get(delta.id)
    if (!old) return undefined
    const change: PeerChange = {}
    if (delta.name !== undefined) change.name = delta.name
    if (delta.room !== undefined) change.room = delta.room === '' ? undefined : delta.room
    if (delta.status !== undefined) change.status = delta.status
    if (delta.ping !== undefined) change.ping = delta.ping
    const peer: PeerInfo = { ...old, ...change }
    if (peer.room === undefined) delete peer.room
    this.peers.set(peer.id, peer)
    return { peer, change }
  }

  setPings(pings: readonly { id: string; ping: number }[]): PeerInfo[] {
    const changed: PeerInfo[] = []
    for (const { id, ping } of pings) {
      const old = this.peers.get(id)
      if (!old || old.ping === ping) continue
      const peer = { ...old, ping }
      this.peers.set(id, peer)
      changed.push(peer)
    }
    return changed
  }

  putRoom(room: RoomWire): RoomInfo {
    const info: RoomInfo = { ...room, meta: metaToRecord(room.meta) }
    this.rooms.set(info.id, info)
    return info
  }

  removeRoom(id: string): boolean {
    return this.rooms.delete(id)
  }

  clear(): void {
    this.peers.clear()
    this.rooms.clear()
  }
}
