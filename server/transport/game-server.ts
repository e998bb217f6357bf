import type { GeckosServer } from '@geckos.io/server'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { PROTOCOL_VERSION } from '../../shared/protocol/engine'
import type { ClientMessage, Payload, Schema, ServerMessage } from '../../shared/schema/index'
import { Emitter } from '../../shared/transport/emitter'
import { DEFAULT_SERVER_SEND_BUDGET, SendBudget, type LinkError } from '../../shared/transport/index'
import type { DataPipe } from '../../shared/transport/pipe'
import type { TransportInfo } from '../../shared/stats/net-stats'
import { DEFAULT_SESSION } from '../../shared/transport/session'
import { ConnectGuard, type ConnectGuardStats } from './connect-guard'
import { ConnectLimits, type ConnectTicket } from './connect-limits'
import { DataChannelPipe } from './datachannel-pipe'
import { RELIABLE_CHANNEL_ID, RELIABLE_CHANNEL_LABEL, type GeckosConnectionsManager, type GeckosServerChannel } from './geckos-internals'
import { Group, sendToMany } from './group'
import { HARDENED_HTTP_OPTIONS, HttpFrontDoor, type AppHandler } from './http-front-door'
import { connectUserData, geckosWithIce, type ConnectUserData } from './ice-config'
import { createPeerOffer } from './peer-offer'
import { ServerConnection } from './server-connection'
import { ServerSessions } from './server-sessions'
import { releaseOnClose } from './peer-release'
import { publicId, setupId } from './setup-ids'
import { attachWebSocketFallback } from './websocket-fallback'
import type { GameServerOptions } from './game-server-options'

export type { GameServerOptions } from './game-server-options'

/** A peer connection between its offer and the acceptance of its hello, by secret setup id. */
interface Setup<S extends Schema> {
  ticket: ConnectTicket
  reliable: DataChannelPipe
  conn?: ServerConnection<S>
}

export interface GameServerEvents<S extends Schema> {
  /** A client finished the handshake (schema fingerprint matched). */
  connection: [ServerConnection<S>]
  /** A frame from some connection was refused. */
  error: [LinkError, ServerConnection<S>]
  /** `close()` was called: connections are about to end with reason `server-shutdown`. */
  close: []
}

type AnyHandler<S extends Schema> = (data: never, conn: ServerConnection<S>) => void

/**
 * The authoritative end: accepts WebRTC connections through geckos.io's signalling, opens a second,
 * ordered and reliable data channel on each, checks the client's schema fingerprint, then exposes the
 * connection as a typed ServerConnection.
 */
export class GameServer<S extends Schema> {
  readonly events = new Emitter<GameServerEvents<S>>()
  /** Connections that completed the handshake, by public id. */
  readonly connections = new Map<string, ServerConnection<S>>()
  /** geckos, used for its connection manager only: its HTTP layer is replaced by our front door. */
  readonly io: GeckosServer
  /** Counters of the connection-setup guard (refusals by kind). */
  readonly connectGuard: ConnectGuard
  /** Live handshake and connection counts against their caps. */
  readonly connectLimits: ConnectLimits
  private httpServer: http.Server | undefined
  private ownsHttpServer = false
  private handlers = new Map<string, Set<AnyHandler<S>>>()
  private groups = new Map<string, Group<S>>()
  /** Peer connections in setup, by secret setup id: the only ids the setup routes accept. */
  private setups = new Map<string, Setup<S>>()
  /** Connections whose pipes are open but whose hello has not arrived yet (any transport). */
  private handshaking = new Map<string, ServerConnection<S>>()
  private websocket: { close(): void } | undefined
  /** Shared by every connection: bounds what slow peers cost the server in total. */
  readonly sendBudget: SendBudget
  private readonly sessions: ServerSessions<S>

  constructor(
    readonly schema: S,
    private readonly options: GameServerOptions = {},
  ) {
    this.io = geckosWithIce(options, {
      bindAddress: options.bindAddress,
      portRange: options.portRange,
      autoManageBuffering: false,
    })
    this.manager.createId = setupId
    this.connectGuard = new ConnectGuard(options.connectGuard)
    this.connectLimits = new ConnectLimits(options.connectLimits)
    this.sendBudget = new SendBudget(options.sendBudgetBytes ?? DEFAULT_SERVER_SEND_BUDGET)
    this.sessions = new ServerSessions(options.sessions === false ? undefined : { ...DEFAULT_SESSION, ...options.sessions })
  }

  get connectStats(): ConnectGuardStats {
    return this.connectGuard.stats
  }

  /**
   * Listens on `port` (0 picks a free one) with a new HTTP server, which answers connection setup and
   * passes everything else to `app` (or 404); resolves with the port.
   */
  async listen(port = 9208, host?: string, app?: AppHandler): Promise<number> {
    const server = http.createServer(HARDENED_HTTP_OPTIONS)
    this.ownsHttpServer = true
    this.attach(server, app)
    await new Promise<void>((resolve) => server.listen(port, host, resolve))
    return (server.address() as AddressInfo).port
  }

  /**
   * Becomes the request listener of `server`: connection setup is answered here, every other request
   * goes to `app` — by default, to the request listeners `server` already had. Create the server with
   * `HARDENED_HTTP_OPTIONS` so slow senders are cut off.
   */
  attach(server: http.Server, app?: AppHandler): void {
    if (this.httpServer) throw new Error('GameServer is already attached to an HTTP server')
    this.httpServer = server
    if (!app) {
      const existing = server.listeners('request') as ((req: http.IncomingMessage, res: http.ServerResponse) => void)[]
      if (existing.length > 0) app = (req, res) => existing.forEach((l) => l.call(server, req, res))
    }
    server.removeAllListeners('request')
    const door = new HttpFrontDoor(
      this.connectGuard,
      this.connectLimits,
      {
        create: (ticket) => this.createPeer(ticket),
        inSetup: (id) => (this.setups.has(id) ? this.manager.getConnection(id) : undefined),
        alive: (id) => this.manager.connections.has(id),
      },
      app,
    )
    server.on('request', door.listener)
    const ws = this.options.websocket
    if (ws) this.websocket = attachWebSocketFallback(server, (id, pipes) => this.adopt(id, pipes, { kind: 'websocket', reason: 'client fell back to WebSocket' }), ws)
  }

  /** Listens for a message from any connection. */
  on<N extends ClientMessage<S>>(name: N, handler: (data: Payload<S, N>, conn: ServerConnection<S>) => void): () => void {
    let set = this.handlers.get(name)
    if (!set) this.handlers.set(name, (set = new Set()))
    set.add(handler as AnyHandler<S>)
    return () => set.delete(handler as AnyHandler<S>)
  }

  onConnection(listener: (conn: ServerConnection<S>) => void): () => void {
    return this.events.on('connection', listener)
  }

  /** Sends to every connected client (encoded once). */
  broadcast<N extends ServerMessage<S>>(name: N, data: Payload<S, N>, options: { except?: ServerConnection<S> } = {}): void {
    sendToMany(this.schema, this.connections.values(), name, data, options.except)
  }

  /** A named group of connections, created on first use and kept until `deleteGroup`. */
  group(name: string): Group<S> {
    let g = this.groups.get(name)
    if (!g) this.groups.set(name, (g = new Group(name, this.schema)))
    return g
  }

  /** Forgets a group (its members stay connected). */
  deleteGroup(name: string): void {
    this.groups.get(name)?.clear()
    this.groups.delete(name)
  }

  async close(): Promise<void> {
    this.events.emit('close')
    for (const conn of [...this.connections.values(), ...this.handshaking.values()]) conn.close('server-shutdown')
    await new Promise((r) => setTimeout(r, 50))
    await Promise.all([...this.manager.connections.values()].map((c) => c.close().catch(() => undefined)))
    this.websocket?.close()
    if (this.ownsHttpServer && this.httpServer) {
      const server = this.httpServer
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }

  private get manager(): GeckosConnectionsManager {
    return this.io.connectionsManager as unknown as GeckosConnectionsManager
  }

  /**
   * Allocates a peer connection for an admitted request and returns its offer. Before the offer
   * leaves: creates the reliable channel (so it exists here before the client can send on it) and
   * takes over the unreliable channel's open event. geckos' own open handler would install its JSON
   * message parser and announce the connection on a process-wide emitter shared by every geckos
   * server in the process.
   */
  private async createPeer(ticket: ConnectTicket): Promise<{ id: string; localDescription: unknown; candidates: unknown[]; userData: ConnectUserData } | undefined> {
    const manager = this.manager
    const offer = await createPeerOffer(manager)
    if (!offer) return undefined
    const peer = offer.connection
    const id = peer.id
    ticket.id = id
    let reliable: DataChannelPipe | undefined
    releaseOnClose(peer, () => reliable, () => {
      this.setups.delete(id)
      ticket.release()
    })
    const localDescription = offer.localDescription
    const dc = peer.peerConnection.createDataChannel(RELIABLE_CHANNEL_LABEL, { negotiated: true, id: RELIABLE_CHANNEL_ID })
    reliable = new DataChannelPipe(dc)
    this.setups.set(id, { ticket, reliable })
    const channel = peer.channel as unknown as GeckosServerChannel
    channel.dataChannel.onOpen(() => {
      // An exception escaping a node-datachannel callback aborts the whole process.
      try {
        this.accept(channel)
      } catch (err) {
        console.error('[GameServer] could not accept a connection:', err)
        manager.getConnection(id)?.close('closed').catch(() => undefined)
      }
    })
    // Peer connections that never complete WebRTC setup and our handshake are dropped.
    setTimeout(() => {
      const setup = this.setups.get(id)
      if (!setup) return
      this.setups.delete(id)
      if (setup.conn) setup.conn.close('handshake-timeout', 'no hello in time')
      else manager.getConnection(id)?.close('closed').catch(() => undefined)
    }, this.options.handshakeTimeoutMs ?? 10_000).unref()
    return { id, localDescription, candidates: offer.candidates, userData: connectUserData(this.options) }
  }

  private accept(channel: GeckosServerChannel): void {
    const setupKey = channel.id
    const setup = this.setups.get(setupKey)
    if (!setup) return void channel.close()
    const pipes = { unreliable: new DataChannelPipe(channel.dataChannel), reliable: setup.reliable }
    const conn = this.adopt(setupKey, pipes, { kind: 'webrtc', reason: 'direct' }, () => {
      // Setup is over (a hello or a resume): the setup routes no longer accept this connection's id.
      this.setups.delete(setupKey)
      setup.ticket.opened()
    })
    setup.conn = conn
    conn.events.on('close', () => {
      this.setups.delete(setupKey)
      // Its channels now carry a resumed session.
      if (conn.handedOver) return
      // Let the goodbye leave before the peer connection goes: on a loaded machine 100 ms lost ~4% of them
      // (live flood, 2 cores at load ~30), so the peer never learned why; the closed link ignores what arrives meanwhile.
      this.closeChannel(conn.channelId, 1000)
    })
    channel.onDisconnect((state) => {
      const owner = conn.handedOver ?? conn
      // The old connection of a resumed session dying is no news.
      if (owner.channelId === channel.id) owner.connectionLost(state === 'failed' ? 'failed' : 'closed', `WebRTC ${state}`)
    })
  }

  /**
   * Runs the handshake (hello, or a session resume) on a connection's open pipes, whichever transport
   * carries them (`channelId`: its WebRTC setup id or WebSocket id, secret). The connection gets a
   * public id apart from it: showing that id to other players opens no route.
   */
  private adopt(channelId: string, pipes: { unreliable: DataPipe; reliable: DataPipe }, transport: TransportInfo, onReady?: () => void): ServerConnection<S> {
    const conn = new ServerConnection(publicId(), this.schema, pipes, { ...this.options.link, sendBudget: this.sendBudget }, this.sessions.options, channelId)
    conn.meter.transport = transport
    this.handshaking.set(conn.id, conn)
    conn.relay = (name, data) => {
      const handlers = this.handlers.get(name)
      if (handlers) for (const h of handlers) h(data as never, conn)
    }
    conn.events.on('error', (err) => this.events.emit('error', err, conn))
    conn.onEngine('hello', ({ protocol, fingerprint }) => {
      if (conn.ready) return
      if (protocol !== PROTOCOL_VERSION || fingerprint !== this.schema.fingerprint)
        return conn.close('schema-mismatch', `server schema ${this.schema.fingerprint} protocol ${PROTOCOL_VERSION}, client ${fingerprint} protocol ${protocol}`)
      conn.ready = true
      onReady?.()
      this.handshaking.delete(conn.id)
      this.connections.set(conn.id, conn)
      const resumeToken = this.sessions.issue(conn)
      conn.sendEngine('welcome', { id: conn.id, serverTime: conn.options.clock.now(), resumeToken, graceMs: conn.session?.options.graceMs ?? 0 })
      this.events.emit('connection', conn)
    })
    conn.onEngine('resume', (msg) => {
      if (conn.ready || conn.closed) return
      onReady?.()
      this.handshaking.delete(conn.id)
      this.sessions.resume(conn, msg, this.schema.fingerprint, (id) => this.closeChannel(id, 0))
    })
    // A cut session frees its dead WebRTC connection at once; the resume brings a new one.
    conn.session?.events.on('suspended', () => this.closeChannel(conn.channelId, 0))
    conn.events.on('close', () => {
      this.connections.delete(conn.id)
      this.handshaking.delete(conn.id)
      this.sessions.revoke(conn)
    })
    return conn
  }

  private closeChannel(id: string, delayMs: number): void {
    setTimeout(() => void this.manager.getConnection(id)?.close('closed').catch(() => undefined), delayMs).unref()
  }
}

/** Closes a node-datachannel channel in any state: releases the callbacks it holds. */
