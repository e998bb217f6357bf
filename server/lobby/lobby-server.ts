import {
  assertLobbySchema,
  LOBBY_LIMITS,
  LobbyError,
  nameFromEmail,
  nameKey,
  normalizeName,
  type LeaveReason,
  type LobbyPayload,
  type LobbySchema,
  type PeerInfo,
  type RoomInfo,
} from '../../shared/lobby/index'
import type { Schema } from '../../shared/schema/index'
import { Emitter } from '../../shared/transport/emitter'
import type { DisconnectReason } from '../../shared/transport/index'
import type { GameServer } from '../transport/game-server'
import type { ServerConnection } from '../transport/server-connection'
import { clusterNodesPayload, type LobbyBackplane } from './backplane'
import { backplaneHost } from './backplane-host'
import { Chat } from './chat'
import type { PeerDirectory } from './directory'
import { resolveOptions, type LobbyServerOptions, type ResolvedLobbyOptions } from './options'
import { newPeer, peerInfo, pingOf, type LobbyConnection, type LobbyServerEvents, type Peer } from './peer'
import { Presence } from './presence'
import { LobbyReplies, NO_ACK } from './replies'
import { GraceTimers, ResumeTokens } from './resume'
import { Rooms } from './rooms'

/**
 * The lobby on top of an application's GameServer: names, presence, rooms, chat and resuming after a
 * lost connection. The application's schema must include `lobbyMessages`.
 *
 * A lost connection (heartbeat timeout, WebRTC failure, a tab closed) does not remove the peer: it
 * shows as `reconnecting` to everyone, keeps its name and room place, and is removed (`disconnected`)
 * when `graceMs` passes without a resume. `lobbyLeave` removes at once.
 */
export class LobbyServer<S extends Schema = Schema> implements PeerDirectory {
  readonly events: Emitter<LobbyServerEvents> = new Emitter<LobbyServerEvents>({ onListenerError: (e) => this.events.emit('error', e) })
  readonly options: ResolvedLobbyOptions
  private readonly server: GameServer<LobbySchema>
  private readonly presence: Presence
  private readonly rooms: Rooms
  private readonly chat: Chat
  private readonly replies: LobbyReplies
  private readonly tokens = new ResumeTokens()
  private readonly grace: GraceTimers
  private readonly offs: (() => void)[]
  private closed = false
  /** Scale-out (see backplane.ts); undefined: this process is the whole lobby. */
  private readonly backplane: LobbyBackplane | undefined
  /** Connections whose clustered join is waiting on the backplane. */
  private joining = new Set<string>()

  constructor(gameServer: GameServer<S>, options: LobbyServerOptions = {}) {
    assertLobbySchema(gameServer.schema)
    // The only cast: the check above proved every lobby message is in this schema, as declared.
    this.server = gameServer as unknown as GameServer<LobbySchema>
    this.options = resolveOptions(options)
    this.grace = new GraceTimers(this.options.clock, this.options.graceMs)
    this.backplane = options.backplane
    this.presence = new Presence(this.server, this.options, this.events, this.backplane && ((b) => this.backplane!.mirror(b)))
    this.chat = new Chat(this.server, this.options, this.presence, this.backplane)
    this.rooms = new Rooms(this.server, this.options, this.events, this.presence, this.chat)
    this.replies = new LobbyReplies(this.presence, this.options, () => this.closed)
    const s = this.server
    this.offs = [
      s.on('lobbyJoin', (d, conn) => this.replies.respond(conn, d.rid, () => this.join(d, conn))),
      s.on('lobbyLeave', (d, conn) => this.replies.request(conn, d.rid, false, (peer) => this.remove(peer, 'left'))),
      s.on('statusSet', (d, conn) => this.replies.request(conn, d.rid, true, (peer) => this.setStatus(peer, d.status))),
      s.on('roomCreate', (d, conn) => this.replies.request(conn, d.rid, true, (peer) => this.rooms.create(peer, d))),
      s.on('roomJoin', (d, conn) =>
        this.backplane?.hostsRoomElsewhere(d.roomId) ? this.redirect(d, conn) : this.replies.request(conn, d.rid, true, (peer) => {
          this.rooms.join(peer, d.roomId, d.password)
          return d.roomId
        }),
      ),
      s.on('roomSeat', (d, conn) => this.takeSeat(d, conn)),
      s.on('roomLeave', (d, conn) => this.replies.request(conn, d.rid, true, (peer) => this.leaveRoom(peer))),
      s.on('roomKick', (d, conn) => this.replies.request(conn, d.rid, true, (peer) => this.rooms.kick(peer, d.peerId))),
      // Chat has its own, tighter budget (spent inside Chat.send).
      s.on('chatSend', (d, conn) => this.replies.request(conn, d.rid, false, (peer) => this.chat.send(peer, d.to, d.text))),
      // A server shutting down ends every connection: that must not start grace periods.
      s.events.on('close', () => this.close()),
    ]
    this.backplane?.attach(backplaneHost(this.server, this.presence, this.rooms, this.grace, this.tokens))
  }

  // ---- reading the lobby (PeerDirectory and more) ------------------------------------------------

  peer(peerId: string): PeerInfo | undefined {
    const p = this.presence.peers.get(peerId)
    return p && peerInfo(p)
  }
  peerList(): PeerInfo[] {
    return this.presence.list()
  }
  room(roomId: string): RoomInfo | undefined {
    return this.rooms.info(roomId)
  }
  /** Member peer ids in join order (the first is the longest present). */
  roomMembers(roomId: string): string[] {
    return this.rooms.members(roomId)
  }
  peerIdOf(conn: ServerConnection<Schema>): string | undefined {
    return this.presence.byConnection(conn.id)?.id
  }
  connectionOf(peerId: string): ServerConnection<Schema> | undefined {
    return this.presence.peers.get(peerId)?.conn
  }
  roomOf(peerId: string): string | undefined {
    return this.presence.peers.get(peerId)?.room
  }
  nameOf(peerId: string): string | undefined {
    return this.presence.peers.get(peerId)?.name
  }
  /** Scale-out: a peer connected to another node of the cluster. */
  hostedElsewhere(peerId: string): boolean {
    return !this.presence.peers.has(peerId) && this.backplane?.remotePeer(peerId) !== undefined
  }
  onPeerLeft(listener: (peerId: string) => void): () => void {
    return this.events.on('peerLeft', (p) => listener(p.id))
  }
  onRoomChanged(listener: (peerId: string, roomId: string | undefined) => void): () => void {
    return this.events.on('peerRoomChanged', listener)
  }

  /** Stops timers and listeners (also done when the GameServer closes). */
  close(): void {
    this.closed = true
    for (const off of this.offs) off()
    this.grace.clear()
    this.presence.stop()
  }

  // ---- requests -----------------------------------------------------------------------------------

  private join(d: LobbyPayload<'lobbyJoin'>, conn: LobbyConnection): void {
    if (this.backplane) return this.joinClustered(d, conn, this.backplane)
    if (this.presence.byConnection(conn.id)) throw new LobbyError('already-joined', 'this connection already joined')
    if (d.resumeToken !== undefined) {
      const peer = this.tokens.find(d.resumeToken)
      if (peer) return this.resume(peer, conn, d.rid)
      // An unknown or expired token with a name: a new identity (the welcome says `resumed: false`).
      if (d.name === undefined && d.email === undefined) throw new LobbyError('resume-failed', 'unknown or expired resume token')
    }
    const wanted = d.name !== undefined ? normalizeName(d.name) : d.email !== undefined ? nameFromEmail(d.email) : undefined
    if (!wanted) throw new LobbyError('invalid-name', 'give a name or an email')
    if (!wanted.ok) throw new LobbyError('invalid-name', wanted.reason)
    if (this.presence.full) throw new LobbyError('lobby-full', `${this.options.maxPeers} peers`)
    const name = this.presence.freeName(wanted.name)
    const peer = newPeer(this.presence.newId(), name, nameKey(name), conn, this.options)
    this.bind(peer, conn)
    this.presence.add(peer)
    this.welcome(conn, peer, d.rid, false)
  }

  /** `join` across a cluster: names are claimed and unknown tokens looked up through the backplane (asynchronously). */
  private joinClustered(d: LobbyPayload<'lobbyJoin'>, conn: LobbyConnection, bp: LobbyBackplane): void {
    if (this.presence.byConnection(conn.id) || this.joining.has(conn.id)) throw new LobbyError('already-joined', 'this connection already joined')
    const local = d.resumeToken !== undefined ? this.tokens.find(d.resumeToken) : undefined
    if (local) return this.resume(local, conn, d.rid)
    const wanted = d.name !== undefined ? normalizeName(d.name) : d.email !== undefined ? nameFromEmail(d.email) : undefined
    if (wanted && !wanted.ok) throw new LobbyError('invalid-name', wanted.reason)
    if (this.presence.full) throw new LobbyError('lobby-full', `${this.options.maxPeers} peers`)
    const taken = (key: string) => this.presence.nameTaken(key)
    this.joining.add(conn.id)
    const run = async (): Promise<void> => {
      const adopted = d.resumeToken !== undefined ? await bp.takeOver(d.resumeToken, taken) : undefined
      if (!adopted && !wanted) throw new LobbyError(d.resumeToken ? 'resume-failed' : 'invalid-name', d.resumeToken ? 'unknown or expired resume token' : 'give a name or an email')
      const id = adopted?.peerId ?? this.presence.newId()
      const name = adopted?.name ?? (await bp.claimName(wanted!.ok ? wanted!.name : '', id, taken))
      if (conn.closed || this.closed) return adopted ? undefined : bp.peerGone(id)
      const peer = newPeer(id, name, nameKey(name), conn, this.options)
      if (adopted) peer.status = peer.lastStatus = adopted.status
      this.bind(peer, conn)
      this.presence.add(peer)
      this.welcome(conn, peer, d.rid, !!adopted)
      if (adopted) this.events.emit('peerResumed', peerInfo(peer))
    }
    this.replies.respondLater(conn, d.rid, run().finally(() => this.joining.delete(conn.id)))
  }

  /** A room on another node: check capacity and password there, answer with a seat to take on that node. */
  private redirect(d: LobbyPayload<'roomJoin'>, conn: LobbyConnection): void {
    this.replies.request(conn, d.rid, true, (peer) => {
      this.replies.respondLater(conn, d.rid, this.backplane!.redirect(peer.id, d.roomId, d.password).then((r) => conn.send('roomRedirect', { rid: d.rid, roomId: d.roomId, ...r })))
      return NO_ACK
    })
  }

  private takeSeat(d: LobbyPayload<'roomSeat'>, conn: LobbyConnection): void {
    this.replies.request(conn, d.rid, true, (peer) => {
      const seated = async () => {
        const roomId = await this.backplane?.takeSeat(d.seat, peer.id)
        if (roomId === undefined) throw new LobbyError('unknown-room', 'no such seat (used, expired, or not yours)')
        if (peer.conn !== conn) return
        this.rooms.join(peer, roomId, undefined, true)
        conn.send('lobbyAck', { rid: d.rid, roomId })
      }
      this.replies.respondLater(conn, d.rid, seated())
      return NO_ACK
    })
  }

  /** Gives the peer back its id, name, status and room on a new connection; a live old one is replaced. */
  private resume(peer: Peer, conn: LobbyConnection, rid: number): void {
    this.grace.cancel(peer.id)
    const old = this.presence.detach(peer)
    old?.close('kicked', 'resumed on another connection')
    this.bind(peer, conn)
    this.rooms.reattach(peer)
    // Everyone else learns it is back; the peer itself gets the same state in its welcome.
    this.presence.change(peer, { status: peer.lastStatus, ping: pingOf(conn) }, conn)
    this.welcome(conn, peer, rid, true)
    if (peer.room !== undefined) this.chat.replay(peer, peer.room)
    this.events.emit('peerResumed', peerInfo(peer))
  }

  /** The full picture for a peer that joined or resumed; on a cluster, then where it can resume. */
  private welcome(conn: LobbyConnection, peer: Peer, rid: number, resumed: boolean): void {
    const resumeToken = this.tokens.issue(peer)
    const { graceMs } = this.options
    const bp = this.backplane
    bp?.tokenIssued(peer.id, resumeToken)
    const peers = bp ? [...this.presence.list(), ...bp.remotePeers()].slice(0, LOBBY_LIMITS.maxPeers) : this.presence.list()
    const rooms = bp ? [...this.rooms.list(), ...bp.remoteRooms()].slice(0, LOBBY_LIMITS.maxRooms) : this.rooms.list()
    conn.send('lobbyWelcome', { rid, peerId: peer.id, name: peer.name, resumeToken, resumed, graceMs, peers, rooms })
    const urls = bp?.nodeUrls?.()
    if (urls) conn.send('clusterNodes', clusterNodesPayload(urls))
  }

  private setStatus(peer: Peer, status: LobbyPayload<'statusSet'>['status']): void {
    peer.lastStatus = status
    if (peer.status !== status) this.presence.change(peer, { status })
  }

  private leaveRoom(peer: Peer): void {
    if (peer.room === undefined) throw new LobbyError('not-in-room', 'not in a room')
    this.rooms.leave(peer, 'left')
  }

  // ---- connections ---------------------------------------------------------------------------------

  private bind(peer: Peer, conn: LobbyConnection): void {
    this.presence.attach(peer, conn)
    conn.events.on('close', (reason) => this.lost(peer, conn, reason))
    // A cut the transport's session rides out: the peer keeps its connection (messages to it are kept
    // and replayed) and shows as reconnecting meanwhile; the session's grace period is the deadline.
    conn.session?.events.on('suspended', () => {
      if (this.closed || peer.conn !== conn || peer.leaving) return
      this.presence.change(peer, { status: 'reconnecting' }, conn) // not to itself: it would be replayed
      this.events.emit('peerDropped', peerInfo(peer))
    })
    conn.session?.events.on('resumed', () => {
      if (this.closed || peer.conn !== conn || peer.leaving) return
      this.presence.change(peer, { status: peer.lastStatus })
      this.events.emit('peerResumed', peerInfo(peer))
    })
  }

  private lost(peer: Peer, conn: LobbyConnection, reason: DisconnectReason): void {
    if (this.closed || peer.conn !== conn) return // replaced by a resume, or already gone
    this.presence.detach(peer)
    // Thrown out by the server (or the application): no way back.
    if (reason === 'kicked' || reason === 'rate-limit') return this.remove(peer, 'removed')
    if (this.options.graceMs <= 0) return this.remove(peer, 'disconnected')
    // Already shown as reconnecting if a session was suspended first.
    if (peer.status !== 'reconnecting') {
      this.presence.change(peer, { status: 'reconnecting' })
      this.events.emit('peerDropped', peerInfo(peer))
    }
    this.grace.start(peer, () => this.remove(peer, 'disconnected'))
  }

  /** Gone for good: the room place, name and token are freed. */
  private remove(peer: Peer, reason: LeaveReason): void {
    if (peer.leaving) return
    peer.leaving = true
    this.grace.cancel(peer.id)
    this.tokens.revoke(peer.id)
    this.rooms.leave(peer, reason)
    this.presence.remove(peer, reason)
    this.backplane?.peerGone(peer.id)
  }
}
