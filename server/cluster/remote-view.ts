import type { LobbyPayload, PeerInfo } from '../../shared/lobby/index'
import type { Broadcast, RoomWire } from '../lobby/backplane'

/**
 * This node's copy of the other nodes' peers and rooms, kept current by their deltas (pub/sub) and
 * their snapshots (Redis hashes). Every method returns the deltas this node's own clients need, so a
 * peer on another node looks to them exactly like a local one.
 */
export class RemoteView {
  readonly peers = new Map<string, { info: PeerInfo; node: string }>()
  readonly rooms = new Map<string, { room: RoomWire; node: string }>()

  peer(id: string): PeerInfo | undefined {
    return this.peers.get(id)?.info
  }

  nodeOfPeer(id: string): string | undefined {
    return this.peers.get(id)?.node
  }

  nodeOfRoom(id: string): string | undefined {
    return this.rooms.get(id)?.node
  }

  nameTaken(key: string, nameKey: (name: string) => string): boolean {
    for (const { info } of this.peers.values()) if (nameKey(info.name) === key) return true
    return false
  }

  nodes(): Set<string> {
    const out = new Set<string>()
    for (const { node } of this.peers.values()) out.add(node)
    for (const { node } of this.rooms.values()) out.add(node)
    return out
  }

  /** A delta from `node`: updates the view; returns what to forward to local clients (undefined: nothing). */
  apply(node: string, b: Broadcast): Broadcast | undefined {
    switch (b.name) {
      case 'presenceJoin': {
        const known = this.peers.get(b.payload.peer.id)
        this.peers.set(b.payload.peer.id, { info: b.payload.peer, node })
        // Taken over from another node: the same peer, so a change rather than a second join.
        return known ? { name: 'presenceChange', payload: fullChange(b.payload.peer) } : b
      }
      case 'presenceLeave': {
        const known = this.peers.get(b.payload.id)
        if (!known || known.node !== node) return undefined
        this.peers.delete(b.payload.id)
        return b
      }
      case 'presenceChange': {
        const known = this.peers.get(b.payload.id)
        if (!known || known.node !== node) return undefined
        const { id, ...change } = b.payload
        const info: PeerInfo = { ...known.info }
        if (change.name !== undefined) info.name = change.name
        if (change.room !== undefined) info.room = change.room === '' ? undefined : change.room
        if (change.status !== undefined) info.status = change.status
        if (change.ping !== undefined) info.ping = change.ping
        if (info.room === undefined) delete info.room
        this.peers.set(id, { info, node })
        return b
      }
      case 'presencePings': {
        const pings = b.payload.pings.filter((p) => this.peers.get(p.id)?.node === node)
        for (const p of pings) this.peers.get(p.id)!.info = { ...this.peers.get(p.id)!.info, ping: p.ping }
        return pings.length ? { name: 'presencePings', payload: { pings } } : undefined
      }
      case 'roomAdded':
      case 'roomChanged':
        this.rooms.set(b.payload.room.id, { room: b.payload.room, node })
        return b
      case 'roomRemoved': {
        if (this.rooms.get(b.payload.id)?.node !== node) return undefined
        this.rooms.delete(b.payload.id)
        return b
      }
    }
  }

  /** The peer is now this node's own: forget the remote record without telling anyone. */
  forgetPeer(id: string): void {
    this.peers.delete(id)
  }

  /** Replaces everything known about `node` with its snapshot; returns the difference as deltas. */
  applySnapshot(node: string, peers: PeerInfo[], rooms: RoomWire[]): Broadcast[] {
    const out: Broadcast[] = []
    const roomIds = new Set(rooms.map((r) => r.id))
    const peerIds = new Set(peers.map((p) => p.id))
    // Rooms first, then peers moving into them, then peers leaving, then rooms closing: a client never sees a peer in an unknown room.
    for (const room of rooms) {
      const old = this.rooms.get(room.id)
      if (!old || JSON.stringify(old.room) !== JSON.stringify(room)) out.push({ name: old ? 'roomChanged' : 'roomAdded', payload: { room } })
      this.rooms.set(room.id, { room, node })
    }
    for (const info of peers) {
      const old = this.peers.get(info.id)
      if (!old) out.push({ name: 'presenceJoin', payload: { peer: info } })
      else if (JSON.stringify(old.info) !== JSON.stringify(info)) out.push({ name: 'presenceChange', payload: fullChange(info) })
      this.peers.set(info.id, { info, node })
    }
    for (const [id, p] of this.peers)
      if (p.node === node && !peerIds.has(id)) (this.peers.delete(id), out.push({ name: 'presenceLeave', payload: { id, reason: 'disconnected' } }))
    for (const [id, r] of this.rooms) if (r.node === node && !roomIds.has(id)) (this.rooms.delete(id), out.push({ name: 'roomRemoved', payload: { id } }))
    return out
  }

  /** A dead node: its peers leave (`disconnected`) and its rooms close. */
  dropNode(node: string): { deltas: Broadcast[]; peers: string[] } {
    const deltas = this.applySnapshot(node, [], [])
    const peers = deltas.flatMap((d) => (d.name === 'presenceLeave' ? [d.payload.id] : []))
    return { deltas, peers }
  }
}

function fullChange(info: PeerInfo): LobbyPayload<'presenceChange'> {
  return { id: info.id, name: info.name, room: info.room ?? '', status: info.status, ping: info.ping }
}
