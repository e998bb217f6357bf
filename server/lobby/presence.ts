import { LobbyError, nameKey, uniqueName, type LeaveReason, type LobbyPayload, type LobbySchema, type PeerInfo } from '../../shared/lobby/index'
import type { Emitter } from '../../shared/transport/emitter'
import type { GameServer } from '../transport/game-server'
import type { Group } from '../transport/group'
import { mirroredGroup, type Broadcast } from './backplane'
import type { ResolvedLobbyOptions } from './options'
import { peerInfo, pingOf, type LobbyConnection, type LobbyServerEvents, type Peer } from './peer'
import { shortId } from './secrets'

type Change = Omit<LobbyPayload<'presenceChange'>, 'id'>

/**
 * Who is in the lobby, and telling everyone when that changes: deltas only (join, leave, change, a
 * batch of pings every few seconds), pushed to every joined peer over the reliable channel.
 */
export class Presence {
  readonly peers = new Map<string, Peer>()
  private byConnId = new Map<string, Peer>()
  private names = new Map<string, string>()
  /** Connected peers that joined: where presence and room deltas go. */
  readonly everyone: Group<LobbySchema>
  private timer: unknown

  constructor(
    server: GameServer<LobbySchema>,
    private readonly options: ResolvedLobbyOptions,
    private readonly events: Emitter<LobbyServerEvents>,
    /** Scale-out: every lobby-wide delta is also handed to the backplane, for the other nodes. */
    mirror?: (b: Broadcast) => void,
  ) {
    const everyone = server.group('lobby:everyone')
    this.everyone = mirror ? mirroredGroup(everyone, mirror) : everyone
    this.schedulePings()
  }

  newId(): string {
    for (;;) {
      const id = shortId()
      if (!this.peers.has(id)) return id
    }
  }

  /** A free variant of an already normalised name. */
  freeName(name: string): string {
    return uniqueName(name, (key) => this.names.has(key))
  }

  nameTaken(key: string): boolean {
    return this.names.has(key)
  }

  get full(): boolean {
    return this.peers.size >= this.options.maxPeers
  }

  byConnection(connId: string): Peer | undefined {
    return this.byConnId.get(connId)
  }

  list(): PeerInfo[] {
    return [...this.peers.values()].map(peerInfo)
  }

  /** Registers a new peer (already bound to its connection) and tells everyone else. */
  add(peer: Peer): void {
    if (this.names.has(peer.key)) throw new LobbyError('invalid-name', 'name taken') // freeName() was not used
    this.peers.set(peer.id, peer)
    this.names.set(peer.key, peer.id)
    this.everyone.send('presenceJoin', { peer: peerInfo(peer) }, { except: peer.conn })
    this.events.emit('peerJoined', peerInfo(peer))
  }

  /** Binds a (new) connection to the peer: it receives deltas from now on. */
  attach(peer: Peer, conn: LobbyConnection): void {
    peer.conn = conn
    this.byConnId.set(conn.id, peer)
    this.everyone.add(conn)
  }

  /** Unbinds the peer's connection (lost, or replaced on resume); returns it. */
  detach(peer: Peer): LobbyConnection | undefined {
    const conn = peer.conn
    if (!conn) return undefined
    peer.conn = undefined
    this.byConnId.delete(conn.id)
    this.everyone.remove(conn)
    return conn
  }

  /** Applies the fields to the record and sends exactly those to everyone (the peer itself included, unless `except`). */
  change(peer: Peer, change: Change, except?: LobbyConnection): void {
    if (change.name !== undefined) {
      this.names.delete(peer.key)
      peer.name = change.name
      peer.key = nameKey(change.name)
      this.names.set(peer.key, peer.id)
    }
    if (change.room !== undefined) peer.room = change.room === '' ? undefined : change.room
    if (change.status !== undefined) peer.status = change.status
    if (change.ping !== undefined) peer.ping = change.ping
    this.everyone.send('presenceChange', { id: peer.id, ...change }, { except })
  }

  /** Forgets the peer (its room is already left) and tells everyone; `quiet`: it lives on, on another node. */
  remove(peer: Peer, reason: LeaveReason, quiet = false): void {
    if (this.peers.get(peer.id) !== peer) return
    this.detach(peer)
    this.peers.delete(peer.id)
    this.names.delete(peer.key)
    if (!quiet) this.everyone.send('presenceLeave', { id: peer.id, reason })
    this.events.emit('peerLeft', peerInfo(peer), reason)
  }

  /** Re-reads every connected peer's RTT and pushes the ones that moved, in one frame. */
  refreshPings(): void {
    const pings: { id: string; ping: number }[] = []
    for (const peer of this.peers.values()) {
      if (!peer.conn) continue
      const ping = pingOf(peer.conn)
      const moved = Math.abs(ping - peer.ping)
      if (moved === 0 || (moved < this.options.pingThresholdMs && moved < peer.ping * 0.2)) continue
      peer.ping = ping
      pings.push({ id: peer.id, ping })
    }
    if (pings.length > 0) this.everyone.send('presencePings', { pings })
  }

  stop(): void {
    this.options.clock.clearTimeout(this.timer)
  }

  private schedulePings(): void {
    const { clock, pingRefreshMs } = this.options
    this.timer = clock.setTimeout(() => {
      this.refreshPings()
      this.schedulePings()
    }, pingRefreshMs)
  }
}
