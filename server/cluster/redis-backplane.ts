import type { Redis } from 'ioredis'
import { LobbyError, nameKey, uniqueName, type LobbyPayload, type PeerInfo } from '../../shared/lobby/index'
import { Emitter } from '../../shared/transport/emitter'
import { LOBBY_BROADCASTS, type AdoptedPeer, type BackplaneHost, type Broadcast, type LobbyBackplane, type Redirect, type RoomWire } from '../lobby/backplane'
import { digest, isToken, newToken, sameDigest, shortId } from '../lobby/secrets'
import { commandConnection, K, subscriberConnection, type ClusterRedis } from './redis-keys'
import { NodeMembership } from './redis-membership'
import { RemoteView } from './remote-view'

export interface RedisBackplaneOptions {
  /** `redis://host:port` */
  redisUrl: string
  /** Where players reach this node (`https://eu-1.example.com`): what a redirect to one of its rooms says. */
  publicUrl: string
  nodeId?: string
  /** How often the node renews its heartbeat and checks the others'. Default 1000 ms. */
  heartbeatMs?: number
  /** A heartbeat lives this long: a node silent for it (twice checked) is dead. Default 4000 ms. */
  heartbeatTtlMs?: number
  /** How long a dead node's players may resume elsewhere (their names stay reserved). Default 30 s. */
  graceMs?: number
  /** A seat in a room on another node is valid this long. Default 15 s. */
  seatTtlMs?: number
}

export interface ClusterEvents {
  /** Redis went away (`down`) or came back (`up`): local play goes on meanwhile. */
  redis: ['down' | 'up', detail: string]
  nodeUp: [nodeId: string]
  nodeDown: [nodeId: string]
  /** A peer of another node left the cluster (left, timed out, or its node died). */
  remotePeerLeft: [peerId: string]
  /** A message for a local peer from another node (other than chat, which the backplane delivers itself). */
  delivery: [to: string, name: string, payload: unknown]
}

type Envelope = { t: 'msg'; to: string; name: string; payload: unknown } | { t: 'handoff'; peerId: string }

/**
 * The lobby across server processes on Redis: this node's peers and rooms are written to Redis hashes
 * and their deltas published; the other nodes' are read and subscribed to (RemoteView). Names, resume
 * tokens and seats are claimed atomically in Redis. See docs/scale-out.md.
 */
export class RedisBackplane implements LobbyBackplane {
  readonly events = new Emitter<ClusterEvents>()
  readonly view = new RemoteView()
  readonly nodeId: string
  chatIdBase = 1
  readonly cmd: ClusterRedis
  private readonly sub: Redis
  private readonly membership: NodeMembership
  private host: BackplaneHost | undefined
  private tokenOf = new Map<string, string>()
  private closed = false

  constructor(readonly options: RedisBackplaneOptions) {
    this.nodeId = options.nodeId ?? shortId(10)
    this.cmd = commandConnection(options.redisUrl)
    this.sub = subscriberConnection(options.redisUrl)
    // Outages are reported once, through the command connection (NodeMembership); the subscriber just reconnects.
    this.sub.on('error', () => undefined)
    this.membership = new NodeMembership(this, {
      heartbeatMs: options.heartbeatMs ?? 1000,
      ttlMs: options.heartbeatTtlMs ?? 4000,
      graceMs: options.graceMs ?? 30_000,
    })
  }

  /** Connects both Redis connections and takes a node number; call before creating the LobbyServer. */
  async connect(): Promise<this> {
    await Promise.all([this.cmd.connect(), this.sub.connect()])
    const n = await this.cmd.incr(K.nodeCounter)
    // 255 nodes of 16M chat ids each, within the wire's uint32.
    this.chatIdBase = (((n - 1) % 255) + 1) * 2 ** 24
    this.sub.on('message', (channel: string, text: string) => this.received(channel, text))
    await this.sub.subscribe(K.lobbyChannel, K.toNode(this.nodeId))
    return this
  }

  attach(host: BackplaneHost): void {
    this.host = host
    // Players learn where they can resume if this node goes away (the list follows nodes coming and going).
    const changed = () => host.nodesChanged(this.nodeUrls())
    this.events.on('nodeUp', changed)
    this.events.on('nodeDown', changed)
    void this.membership.start()  // never rejects: failures are reported and retried by the heartbeat
  }

  get lobby(): BackplaneHost {
    if (!this.host) throw new Error('RedisBackplane: not attached to a LobbyServer yet')
    return this.host
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.membership.stop()
    this.sub.disconnect()
    this.cmd.disconnect()
  }

  // ---- reading the cluster -------------------------------------------------------------------------

  remotePeers(): PeerInfo[] {
    return [...this.view.peers.values()].map((p) => p.info)
  }
  remoteRooms(): RoomWire[] {
    return [...this.view.rooms.values()].map((r) => r.room)
  }
  remotePeer(peerId: string): PeerInfo | undefined {
    return this.view.peer(peerId)
  }
  hostsRoomElsewhere(roomId: string): boolean {
    return this.view.nodeOfRoom(roomId) !== undefined
  }
  /** This node's public URL, then every other live node's. */
  nodeUrls(): string[] {
    return [this.options.publicUrl, ...new Set([...this.membership.urls.values()].filter((u) => u !== this.options.publicUrl))]
  }

  // ---- mirroring this node's lobby -----------------------------------------------------------------

  mirror(b: Broadcast): void {
    const n = this.nodeId
    const m = this.cmd.multi()
    const putPeer = (id: string) => {
      const info = this.lobby.peer(id)
      if (info) m.hset(K.peers(n), id, JSON.stringify(info))
    }
    switch (b.name) {
      case 'presenceJoin':
        this.view.forgetPeer(b.payload.peer.id) // taken over from another node: ours now
        putPeer(b.payload.peer.id)
        break
      case 'presenceChange':
        putPeer(b.payload.id)
        break
      case 'presencePings':
        for (const p of b.payload.pings) putPeer(p.id)
        break
      case 'presenceLeave':
        m.hdel(K.peers(n), b.payload.id)
        break
      case 'roomAdded': {
        const secret = this.lobby.roomSecret(b.payload.room.id)
        if (secret) m.set(K.roomPw(b.payload.room.id), JSON.stringify({ salt: secret.salt.toString('hex'), digest: secret.digest.toString('hex') }))
        m.hset(K.rooms(n), b.payload.room.id, JSON.stringify(b.payload.room))
        break
      }
      case 'roomChanged':
        m.hset(K.rooms(n), b.payload.room.id, JSON.stringify(b.payload.room))
        break
      case 'roomRemoved':
        m.hdel(K.rooms(n), b.payload.id).del(K.roomPw(b.payload.id))
        break
    }
    m.publish(K.lobbyChannel, JSON.stringify({ node: n, b }))
    m.exec().catch((err) => this.membership.writeFailed(err))
  }

  // ---- names, tokens, seats -----------------------------------------------------------------------

  async claimName(name: string, peerId: string, localTaken: (key: string) => boolean): Promise<string> {
    const tried = new Set<string>()
    const taken = (key: string) => tried.has(key) || localTaken(key) || this.view.nameTaken(key, nameKey)
    for (let i = 0; i < 200; i++) {
      const candidate = uniqueName(name, taken)
      const key = nameKey(candidate)
      tried.add(key)
      if (!this.membership.up) return candidate // Redis is down: unique on this node; registered when it is back
      if (await this.cmd.claimName(K.name(key), K.names(this.nodeId), peerId, key)) return candidate
    }
    throw new LobbyError('invalid-name', 'no free variant of this name')
  }

  tokenIssued(peerId: string, token: string): void {
    const d = digest(token).toString('hex')
    const old = this.tokenOf.get(peerId)
    this.tokenOf.set(peerId, d)
    const name = this.lobby.peer(peerId)?.name
    const m = this.cmd.multi()
    if (old) m.del(K.tok(old))
    m.set(K.tok(d), JSON.stringify({ peerId, node: this.nodeId, name })).hset(K.toks(this.nodeId), peerId, d)
    m.exec().catch((err) => this.membership.writeFailed(err))
  }

  async takeOver(token: string, localTaken: (key: string) => boolean): Promise<AdoptedPeer | undefined> {
    if (!isToken(token)) return undefined
    const raw = await this.cmd.getdel(K.tok(digest(token).toString('hex')))
    if (!raw) return undefined
    const rec = JSON.parse(raw) as { peerId: string; node: string; name: string }
    const info = this.view.peer(rec.peerId)
    // Still on a live node: that node lets go of it (quietly: it lives on here).
    if (rec.node !== this.nodeId && (await this.cmd.exists(K.alive(rec.node))))
      await this.cmd.publish(K.toNode(rec.node), JSON.stringify({ t: 'handoff', peerId: rec.peerId } satisfies Envelope))
    const name = info?.name ?? rec.name
    const key = nameKey(name)
    const mine = !localTaken(key) && (await this.cmd.reclaimName(K.name(key), K.names(this.nodeId), K.names(rec.node), K.toks(rec.node), rec.peerId, key))
    const status = info && info.status !== 'reconnecting' ? info.status : 'online'
    return { peerId: rec.peerId, name: mine ? name : await this.claimName(name, rec.peerId, localTaken), status }
  }

  peerGone(peerId: string): void {
    const d = this.tokenOf.get(peerId)
    this.tokenOf.delete(peerId)
    void this.release(peerId, d)
  }

  async redirect(peerId: string, roomId: string, password: string | undefined): Promise<Redirect> {
    const entry = this.view.rooms.get(roomId)
    if (!entry) throw new LobbyError('unknown-room', `no room ${roomId}`)
    const { room, node } = entry
    if (room.size >= room.capacity) throw new LobbyError('room-full', `${room.capacity} of ${room.capacity}`)
    if (room.hasPassword) {
      const pw = JSON.parse((await this.cmd.get(K.roomPw(roomId))) ?? 'null') as { salt: string; digest: string } | null
      if (!pw || !sameDigest(Buffer.from(pw.digest, 'hex'), digest(Buffer.from(pw.salt, 'hex'), password ?? '')))
        throw new LobbyError('wrong-password', 'wrong password')
    }
    const url = await this.cmd.hget(K.node(node), 'url')
    if (!url) throw new LobbyError('unknown-room', `room ${roomId} is on a node that is gone`)
    const seat = newToken()
    await this.cmd.set(K.seat(seat), JSON.stringify({ peerId, roomId }), 'PX', this.options.seatTtlMs ?? 15_000)
    return { url, seat }
  }

  async takeSeat(seat: string, peerId: string): Promise<string | undefined> {
    if (!isToken(seat)) return undefined
    const raw = await this.cmd.getdel(K.seat(seat))
    const rec = raw ? (JSON.parse(raw) as { peerId: string; roomId: string }) : undefined
    return rec?.peerId === peerId ? rec.roomId : undefined
  }

  // ---- routing between nodes -----------------------------------------------------------------------

  deliver(peerId: string, name: 'chatMessage', payload: LobbyPayload<'chatMessage'>): boolean {
    return this.send(peerId, name, payload)
  }

  /** Any message for a peer on another node (signalling uses this); false when no node has it. */
  send(peerId: string, name: string, payload: unknown): boolean {
    const node = this.view.nodeOfPeer(peerId)
    if (node === undefined || this.view.peer(peerId)?.status === 'reconnecting') return false
    this.cmd.publish(K.toNode(node), JSON.stringify({ t: 'msg', to: peerId, name, payload } satisfies Envelope)).catch((err) => this.membership.writeFailed(err))
    return true
  }

  /** Pub/sub arrivals. Redis is trusted (nodes only), but a malformed message is dropped, never thrown. */
  private received(channel: string, text: string): void {
    if (!this.host || this.closed) return // not serving yet: the snapshot read on attach covers what is missed
    try {
      const msg = JSON.parse(text) as unknown
      if (channel === K.lobbyChannel) return this.membership.delta(msg as { node: string; b?: Broadcast; hello?: boolean })
      const e = msg as Envelope
      if (e.t === 'handoff') return void this.handedOff(e.peerId).catch((err) => this.membership.writeFailed(err))
      if (e.t !== 'msg' || typeof e.to !== 'string') return
      if (e.name === 'chatMessage') this.lobby.connectionOf(e.to)?.send('chatMessage', e.payload as LobbyPayload<'chatMessage'>)
      else this.events.emit('delivery', e.to, e.name, e.payload)
    } catch (err) {
      console.warn(`cluster ${this.nodeId}: dropped a message on ${channel}:`, err instanceof Error ? err.message : err)
    }
  }

  /** Forwards another node's delta to local clients (what `membership` calls). */
  forward(node: string, b: Broadcast): void {
    if (!(LOBBY_BROADCASTS as readonly string[]).includes(b.name)) return
    const out = this.view.apply(node, b)
    if (out) this.lobby.sendEveryone(out)
    if (b.name === 'presenceLeave' && out) this.events.emit('remotePeerLeft', b.payload.id)
  }

  private async handedOff(peerId: string): Promise<void> {
    this.lobby.handOff(peerId)
    this.tokenOf.delete(peerId)
    const n = this.nodeId
    await this.cmd.multi().hdel(K.peers(n), peerId).hdel(K.names(n), peerId).hdel(K.toks(n), peerId).exec()
  }

  private async release(peerId: string, tokenDigest: string | undefined): Promise<void> {
    try {
      const n = this.nodeId
      const key = await this.cmd.hget(K.names(n), peerId)
      const m = this.cmd.multi().hdel(K.names(n), peerId).hdel(K.toks(n), peerId)
      if (tokenDigest) m.del(K.tok(tokenDigest))
      if (key !== null) m.eval("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", 1, K.name(key), peerId)
      await m.exec()
    } catch (err) {
      this.membership.writeFailed(err)
    }
  }

  /** Token digests of local peers (for re-registering after a Redis restart). */
  localTokens(): ReadonlyMap<string, string> {
    return this.tokenOf
  }
}
