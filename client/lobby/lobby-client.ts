import {
  checkChatText,
  LobbyError,
  nameFromEmail,
  normalizeName,
  recordToMeta,
  type LobbyPayload,
  type LobbySchema,
  type PeerInfo,
  type RoomInfo,
  type SettableStatus,
} from '../../shared/lobby/index'
import type { Schema } from '../../shared/schema/index'
import { Emitter } from '../../shared/transport/emitter'
import type { DisconnectReason } from '../../shared/transport/index'
import type { GameClient } from '../transport/game-client'
import { inTurn, resumeTargets, usableNodeUrls } from './cluster-nodes'
import { LobbyFeed } from './lobby-feed'
import { lobbyView } from './lobby-view'
import { moveToNode, type Mover, type RoomRedirect } from './redirect'
import { autoResume, RESUMABLE } from './resume'
import { PendingRequests } from './requests'
import { LobbyState } from './state'
import { defaultSessionStorage, defaultStorage, NAME_KEY, readSessionToken, SESSION_KEY, type NameStorage } from './storage'
import type { CreateRoom, JoinAs, LobbyClientEvents, LobbyClientOptions } from './types'

/**
 * The lobby as the client sees it: a live copy of peers and rooms, typed events, and requests that
 * resolve when the server acknowledges them (after the deltas they caused have been applied).
 */
export class LobbyClient<S extends Schema = Schema> {
  readonly events = new Emitter<LobbyClientEvents>()
  private readonly state = new LobbyState()
  private readonly feed = new LobbyFeed(this.state, this.events)
  private readonly pending: PendingRequests
  private readonly storage: NameStorage | undefined
  private readonly session: NameStorage | undefined
  private client: GameClient<LobbySchema>
  private offs: (() => void)[] = []
  private selfId: string | undefined
  private token: string | undefined
  private name: string | undefined
  private graceMs = 0
  private stopped = false
  /** Redirects received, by the `roomJoin` they answer (taken at once by `joinRoom`). */
  private redirects = new Map<number, RoomRedirect>()
  /** What the last welcome said: the token was honoured. */
  private resumed = false
  /** Scale-out: the cluster's live nodes, ours first (`clusterNodes`). */
  private nodeUrls: string[] = []
  /** An automatic resume is running: a connection it opens and loses does not start another. */
  private resuming = false

  constructor(
    gameClient: GameClient<S>,
    private readonly options: LobbyClientOptions<S> = {},
  ) {
    this.client = lobbyView(gameClient)
    this.pending = new PendingRequests(options.requestTimeoutMs ?? 10_000)
    this.storage = options.storage === null ? undefined : (options.storage ?? defaultStorage())
    this.session = options.sessionStorage === null ? undefined : (options.sessionStorage ?? defaultSessionStorage())
  }

  /** Every peer in the lobby, ourselves included. */
  get peers(): ReadonlyMap<string, PeerInfo> {
    return this.state.peers
  }
  get rooms(): ReadonlyMap<string, RoomInfo> {
    return this.state.rooms
  }
  get self(): PeerInfo | undefined {
    return this.selfId === undefined ? undefined : this.state.peers.get(this.selfId)
  }
  /** The room we are in. */
  get room(): RoomInfo | undefined {
    const id = this.self?.room
    return id === undefined ? undefined : this.state.rooms.get(id)
  }
  /**
   * Scale-out: the public URLs of the cluster's live nodes, the one we are on first, as the server
   * last listed them; empty outside a cluster. Automatic resume tries them in this order.
   */
  get nodes(): readonly string[] {
    return this.nodeUrls
  }
  /** What `resume()` presents; renewed on every welcome. */
  get resumeToken(): string | undefined {
    return this.token
  }

  /** The name a previous `join(..., { remember: true })` stored, if any. */
  rememberedName(): string | undefined {
    return this.storage?.getItem(NAME_KEY) ?? undefined
  }

  /** Joins with a name (or the part of an email before '@'); resolves with our own record. */
  async join(as: JoinAs, options: { remember?: boolean } = {}): Promise<PeerInfo> {
    const checked = 'name' in as ? normalizeName(as.name) : nameFromEmail(as.email)
    if (!checked.ok) throw new LobbyError('invalid-name', checked.reason)
    this.stopped = false
    this.use(this.client)
    const who = 'name' in as ? { name: as.name } : { email: as.email }
    await this.request((rid) => this.client.send('lobbyJoin', { rid, ...who }))
    if (options.remember && this.name !== undefined) this.storage?.setItem(NAME_KEY, this.name)
    return this.self!
  }

  /**
   * Takes our identity (id, name, status, room) back on a new connection: `client`, or one from the
   * `reconnect` option. Resolves true if the server honoured the token, false if it gave a new identity.
   */
  async resume(client?: GameClient<S>): Promise<boolean> {
    if (this.token === undefined) throw new LobbyError('resume-failed', 'never joined')
    const next = client ?? (await this.options.reconnect?.())
    if (!next) throw new Error('resume() needs a connected GameClient or the reconnect option')
    this.use(lobbyView(next))
    const { token: resumeToken, name } = this
    await this.request((rid) => this.client.send('lobbyJoin', { rid, resumeToken, name }))
    return this.resumed
  }

  /**
   * After a page reload: presents the resume token the previous page kept (see `sessionStorage`) on
   * the current connection. Resolves true if the server gave our id, name and room back; false if there
   * was nothing to resume or the grace period was over (then nothing is joined: call `join`).
   */
  async resumeSession(): Promise<boolean> {
    const saved = readSessionToken(this.session)
    if (!saved) return false
    this.stopped = false
    this.use(this.client)
    try {
      await this.request((rid) => this.client.send('lobbyJoin', { rid, resumeToken: saved.token }))
    } catch (err) {
      this.session?.setItem(SESSION_KEY, '')
      if (err instanceof LobbyError && err.code === 'resume-failed') return false
      throw err
    }
    return this.resumed
  }

  async createRoom(room: CreateRoom): Promise<RoomInfo> {
    const { name, capacity, password } = room
    const meta = recordToMeta(room.meta ?? {})
    const roomId = await this.request((rid) => this.client.send('roomCreate', { rid, name, capacity, password, meta }))
    return this.state.rooms.get(roomId!)!
  }

  /**
   * Joins a room. On a cluster, a room on another node answers with a redirect: the client connects
   * there (`connectTo`), resumes the same identity and takes its seat, then closes the old connection.
   */
  async joinRoom(roomId: string, password?: string): Promise<RoomInfo> {
    let sent = 0
    await this.request((rid) => {
      sent = rid
      this.client.send('roomJoin', { rid, roomId, password })
    })
    const redirect = this.redirects.get(sent)
    this.redirects.delete(sent)
    if (redirect) await moveToNode(redirect, this.mover())
    return this.state.rooms.get(roomId)!
  }

  async leaveRoom(): Promise<void> {
    await this.request((rid) => this.client.send('roomLeave', { rid }))
  }

  /** Owner only. */
  async kick(peerId: string): Promise<void> {
    await this.request((rid) => this.client.send('roomKick', { rid, peerId }))
  }

  /** To our room (default) or to one peer. Resolves once the server accepted it. */
  async say(text: string, to: 'room' | string = 'room'): Promise<void> {
    const checked = checkChatText(text)
    if (!checked.ok) throw new LobbyError('invalid-text', checked.reason)
    await this.request((rid) => this.client.send('chatSend', { rid, to, text: checked.text }))
  }

  async setStatus(status: SettableStatus): Promise<void> {
    await this.request((rid) => this.client.send('statusSet', { rid, status }))
  }

  /** Leaves the lobby for good (no grace period) and stops resuming. The connection stays open. */
  async leave(): Promise<void> {
    this.stopped = true
    this.session?.setItem(SESSION_KEY, '')
    await this.request((rid) => this.client.send('lobbyLeave', { rid }))
    this.reset()
  }

  /** Stops listening and resuming; closes the current connection. */
  close(): void {
    this.stopped = true
    this.detach()
    this.client.close()
    this.pending.failAll(new LobbyError('disconnected', 'closed'))
  }

  // ---- internals -----------------------------------------------------------------------------------

  /** Sends one request with a fresh id; resolves with the ack's room id, rejects with the server's LobbyError. */
  private request(send: (rid: number) => void): Promise<string | undefined> {
    if (!this.client.connected) return Promise.reject(new LobbyError('disconnected', 'not connected'))
    const { rid, reply } = this.pending.open()
    try {
      send(rid)
    } catch (err) {
      // The schema refused the payload (a string too long for the wire...): no request went out.
      this.pending.fail(rid, new LobbyError('invalid-request', err instanceof Error ? err.message : String(err)))
    }
    return reply
  }

  /** What moving to another node needs from this client. */
  private mover(): Mover {
    return {
      connectTo: this.options.connectTo as ((url: string) => Promise<GameClient<Schema>>) | undefined,
      current: () => this.client,
      resume: (next) => this.resume(next as unknown as GameClient<S>),
      seat: (seat) => this.request((rid) => this.client.send('roomSeat', { rid, seat })),
    }
  }

  /** Listens on `client` (a new one after a resume) and forgets the previous one. */
  private use(client: GameClient<LobbySchema>): void {
    this.detach()
    this.client = client
    const c = client
    this.offs = [
      c.on('lobbyWelcome', (d) => this.welcome(d)),
      c.on('lobbyAck', (d) => this.pending.resolve(d.rid, d.roomId)),
      c.on('lobbyError', (d) => {
        const err = new LobbyError(d.code, d.message)
        this.pending.fail(d.rid, err)
        this.events.emit('error', err)
      }),
      c.on('roomRedirect', (d) => {
        this.redirects.set(d.rid, d)
        this.pending.resolve(d.rid, d.roomId)
      }),
      c.on('clusterNodes', ({ urls }) => (this.nodeUrls = usableNodeUrls(urls))),
      ...this.feed.listen(c),
      c.events.on('disconnect', (reason) => this.disconnected(client, reason)),
    ]
  }

  private detach(): void {
    for (const off of this.offs) off()
    this.offs = []
  }

  private welcome(d: LobbyPayload<'lobbyWelcome'>): void {
    const resumed = (this.resumed = d.resumed)
    this.selfId = d.peerId
    this.name = d.name
    this.token = d.resumeToken
    this.graceMs = d.graceMs
    this.session?.setItem(SESSION_KEY, JSON.stringify({ token: d.resumeToken }))
    this.state.reset(d.peers, d.rooms)
    if (!resumed) this.feed.forgetChat()
    this.pending.resolve(d.rid)
    this.events.emit('roomsChanged', this.state.rooms)
    this.events.emit('joined', this.self!, resumed)
  }

  private disconnected(client: GameClient<LobbySchema>, reason: DisconnectReason): void {
    if (client !== this.client) return
    this.pending.failAll(new LobbyError('disconnected', `connection ${reason}`))
    this.events.emit('disconnected', reason)
    // Our node first, then (on a cluster) the others: a dead node's players resume elsewhere.
    const targets = resumeTargets(this.nodeUrls, this.options)
    const wanted = this.options.autoResume ?? targets.length > 0
    if (!wanted || this.resuming || this.stopped || this.token === undefined || !RESUMABLE.has(reason) || targets.length === 0) return
    const next = inTurn(targets)
    this.resuming = true
    void autoResume(async () => this.resume(await next()), {
      deadline: Date.now() + this.graceMs,
      delayMs: this.options.retryDelayMs ?? 250,
      stopped: () => this.stopped || this.client.connected,
      failed: (err) => this.events.emit('error', err),
    }).finally(() => (this.resuming = false))
  }

  private reset(): void {
    this.state.clear()
    this.selfId = this.token = undefined
  }
}
