import type { PeerInfo } from '../../shared/lobby/index'
import type { Broadcast, RoomWire } from '../lobby/backplane'
import type { RedisBackplane } from './redis-backplane'
import { EXPIRE_NAME_IF_OWNER, K, RECLAIM_NAME } from './redis-keys'

/**
 * A node's place in the cluster: registering (again after Redis lost its data), a heartbeat key with a
 * TTL, watching the other nodes' heartbeats, dropping a dead node from the lobby and releasing what it
 * held, and noticing Redis going away and coming back.
 */
export class NodeMembership {
  /** Redis answers. While false, play goes on locally and writes are skipped; all is re-written on return. */
  up = true
  private timer: ReturnType<typeof setTimeout> | undefined
  private known = new Set<string>()
  /** Public URLs of the other live nodes (where their players reach them). */
  readonly urls = new Map<string, string>()
  private misses = new Map<string, number>()
  /** Deltas that arrive while a snapshot is being read are applied after it, in order. */
  private buffered: { node: string; b: Broadcast }[] | undefined
  /** Heartbeats to skip judging others after Redis came back (they are re-registering too). */
  private settling = 0
  private stopped = false

  constructor(
    private readonly bp: RedisBackplane,
    private readonly o: { heartbeatMs: number; ttlMs: number; graceMs: number },
  ) {
    const down = (why: string) => {
      if (!this.up || this.stopped) return
      this.up = false
      console.warn(`cluster ${bp.nodeId}: Redis unreachable (${why}); local play continues, the lobby heals when it is back`)
      bp.events.emit('redis', 'down', why)
    }
    bp.cmd.on('close', () => down('connection closed'))
    bp.cmd.on('error', (err: Error) => down(err.message))
    bp.cmd.on('ready', () => {
      if (this.up || this.stopped) return
      this.up = true
      this.settling = 3
      console.warn(`cluster ${bp.nodeId}: Redis is back; re-registering`)
      bp.events.emit('redis', 'up', 'reconnected')
      void this.register().catch((err) => this.writeFailed(err))
      // Every node re-registers on its own schedule, and hellos sent before we resubscribed are lost: read everyone again, twice.
      for (const ms of [2000, 5000]) setTimeout(() => void this.reloadAll().catch((err) => this.writeFailed(err)), ms).unref?.()
    })
  }

  async start(): Promise<void> {
    // If this first attempt fails, the heartbeat finds our node record missing and registers again.
    await this.register().catch((err) => this.writeFailed(err))
    this.schedule()
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    if (!this.up) return
    // A clean exit: gone from everyone's lobby at once, not after the heartbeat runs out.
    await this.bp.cmd.del(K.alive(this.bp.nodeId)).catch(() => undefined)
  }

  writeFailed(err: unknown): void {
    if (this.up) console.warn(`cluster ${this.bp.nodeId}: Redis write failed:`, err instanceof Error ? err.message : err)
  }

  /** A message on the lobby channel: another node's delta, or its hello after (re-)registering. */
  delta(msg: { node: string; b?: Broadcast; hello?: boolean }): void {
    if (typeof msg.node !== 'string' || msg.node === this.bp.nodeId) return
    if (msg.hello) return void this.load([msg.node]).catch((err) => this.writeFailed(err))
    if (!msg.b) return
    if (this.buffered) this.buffered.push({ node: msg.node, b: msg.b })
    else this.bp.forward(msg.node, msg.b)
  }

  /** Writes everything this node holds (again) and says hello; then reads every other node. */
  async register(): Promise<void> {
    const { cmd, nodeId: n, lobby } = this.bp
    const peers = lobby.localPeers()
    const local = new Set(peers.map((p) => p.info.id))
    const [oldNames, oldToks] = await Promise.all([cmd.hgetall(K.names(n)), cmd.hgetall(K.toks(n))])
    const m = cmd.multi()
    m.hset(K.node(n), 'url', this.bp.options.publicUrl, 'started', String(Date.now())).sadd(K.nodes, n)
    m.set(K.alive(n), '1', 'PX', this.o.ttlMs)
    // Claims left by an earlier run under this node id (a restart with a fixed NODE_ID) go the way a dead node's do.
    for (const [peerId, key] of Object.entries(oldNames)) if (!local.has(peerId)) m.eval(EXPIRE_NAME_IF_OWNER, 1, K.name(key), peerId, this.o.graceMs)
    for (const [peerId, d] of Object.entries(oldToks)) if (!local.has(peerId)) m.pexpire(K.tok(d), this.o.graceMs)
    m.del(K.peers(n), K.rooms(n), K.names(n), K.toks(n))
    const tokens = this.bp.localTokens()
    for (const { info, key } of peers) {
      m.hset(K.peers(n), info.id, JSON.stringify(info))
      // Ours again, without a TTL a reaper may have put on it while we were thought dead.
      m.eval(RECLAIM_NAME, 4, K.name(key), K.names(n), K.names('-'), K.toks('-'), info.id, key)
      const d = tokens.get(info.id)
      if (d) m.set(K.tok(d), JSON.stringify({ peerId: info.id, node: n, name: info.name })).hset(K.toks(n), info.id, d)
    }
    for (const room of lobby.localRooms()) {
      m.hset(K.rooms(n), room.id, JSON.stringify(room))
      const secret = lobby.roomSecret(room.id)
      if (secret) m.set(K.roomPw(room.id), JSON.stringify({ salt: secret.salt.toString('hex'), digest: secret.digest.toString('hex') }))
    }
    m.publish(K.lobbyChannel, JSON.stringify({ node: n, hello: true }))
    await m.exec()
    await this.load(await cmd.smembers(K.nodes))
  }

  private async reloadAll(): Promise<void> {
    if (this.up && !this.stopped) await this.load(await this.bp.cmd.smembers(K.nodes))
  }

  /** Reads other nodes' snapshots and applies the difference to the view (and to local clients). */
  private async load(nodes: string[]): Promise<void> {
    const others = nodes.filter((x) => x !== this.bp.nodeId)
    if (others.length === 0) return
    const outer = !this.buffered
    if (outer) this.buffered = []
    try {
      for (const node of others) {
        const { cmd } = this.bp
        const [alive, peers, rooms, url] = await Promise.all([cmd.exists(K.alive(node)), cmd.hgetall(K.peers(node)), cmd.hgetall(K.rooms(node)), cmd.hget(K.node(node), 'url')])
        if (!alive) continue
        if (url) this.urls.set(node, url)
        const deltas = this.bp.view.applySnapshot(node, parseAll<PeerInfo>(peers), parseAll<RoomWire>(rooms))
        for (const d of deltas) this.bp.lobby.sendEveryone(d)
        if (!this.known.has(node)) (this.known.add(node), this.bp.events.emit('nodeUp', node))
        this.misses.delete(node)
      }
    } finally {
      if (outer) {
        const pending = this.buffered ?? []
        this.buffered = undefined
        for (const { node, b } of pending) this.bp.forward(node, b)
      }
    }
  }

  private schedule(): void {
    if (this.stopped) return
    this.timer = setTimeout(() => {
      this.beat()
        .catch((err) => this.writeFailed(err))
        .finally(() => this.schedule())
    }, this.o.heartbeatMs)
  }

  /** Renews our heartbeat (re-registering if Redis forgot us), then checks everyone else's. */
  private async beat(): Promise<void> {
    if (!this.up) return
    const { cmd, nodeId: n } = this.bp
    const [, registered] = await Promise.all([cmd.set(K.alive(n), '1', 'PX', this.o.ttlMs), cmd.exists(K.node(n))])
    if (!registered) await this.register()
    if (this.settling > 0) return void this.settling--
    const nodes = new Set([...(await cmd.smembers(K.nodes)), ...this.known, ...this.bp.view.nodes()])
    nodes.delete(n)
    const fresh: string[] = []
    for (const node of nodes) {
      if (await cmd.exists(K.alive(node))) {
        this.misses.delete(node)
        if (!this.known.has(node)) fresh.push(node)
        continue
      }
      const missed = (this.misses.get(node) ?? 0) + 1
      this.misses.set(node, missed)
      if (missed >= 2) await this.dead(node)
    }
    if (fresh.length) await this.load(fresh)
  }

  /** A node without a heartbeat: its players and rooms leave every lobby; one survivor releases its claims. */
  private async dead(node: string): Promise<void> {
    this.misses.delete(node)
    this.known.delete(node)
    this.urls.delete(node)
    const { deltas, peers } = this.bp.view.dropNode(node)
    for (const d of deltas) this.bp.lobby.sendEveryone(d)
    for (const id of peers) this.bp.events.emit('remotePeerLeft', id)
    this.bp.events.emit('nodeDown', node)
    const { cmd } = this.bp
    if (!(await cmd.set(K.reap(node), this.bp.nodeId, 'PX', 30_000, 'NX'))) return
    const [names, toks, rooms] = await Promise.all([cmd.hgetall(K.names(node)), cmd.hgetall(K.toks(node)), cmd.hkeys(K.rooms(node))])
    const m = cmd.multi()
    // Its players may resume on another node within the grace period: names and tokens stay that long.
    for (const [peerId, key] of Object.entries(names)) m.eval(EXPIRE_NAME_IF_OWNER, 1, K.name(key), peerId, this.o.graceMs)
    for (const d of Object.values(toks)) m.pexpire(K.tok(d), this.o.graceMs)
    for (const id of rooms) m.del(K.roomPw(id))
    m.del(K.peers(node), K.rooms(node), K.names(node), K.toks(node), K.node(node)).srem(K.nodes, node)
    await m.exec()
  }
}

function parseAll<T>(hash: Record<string, string>): T[] {
  const out: T[] = []
  for (const v of Object.values(hash)) {
    try {
      out.push(JSON.parse(v) as T)
    } catch {
      // a corrupt entry is skipped; the owner rewrites it on its next change
    }
  }
  return out
}
