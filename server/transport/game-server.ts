import geckos, { type GeckosServer } from '@geckos.io/server'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { PROTOCOL_VERSION } from '../../shared/protocol/engine'
import type { ClientMessage, Payload, Schema, ServerMessage } from '../../shared/schema/index'
import { Emitter } from '../../shared/transport/emitter'
import type { LinkError, LinkOptions } from '../../shared/transport/index'
import { ConnectGuard, type ConnectGuardOptions, type ConnectGuardStats } from './connect-guard'
import { ConnectLimits, type ConnectLimitsOptions, type ConnectTicket } from './connect-limits'
import { DataChannelPipe } from './datachannel-pipe'
import { RELIABLE_CHANNEL_ID, RELIABLE_CHANNEL_LABEL, type GeckosConnectionsManager, type GeckosServerChannel } from './geckos-internals'
import { Group, sendToMany } from './group'
import { HARDENED_HTTP_OPTIONS, HttpFrontDoor, type AppHandler } from './http-front-door'
import { ServerConnection } from './server-connection'
import { publicId, setupId } from './setup-ids'

export interface GameServerOptions {
  /** STUN/TURN servers handed to the server's peer connections. */
  iceServers?: RTCIceServer[]
  /** Bind WebRTC to one local address (needed inside a network namespace that only has `lo`). */
  bindAddress?: string
  portRange?: { min: number; max: number }
  /** Options for every connection's link (timeouts, rate limit, buffers...). */
  link?: Partial<LinkOptions>
  /** A peer connection that has not finished WebRTC setup and our hello after this long is closed. */
  handshakeTimeoutMs?: number
  /**
   * Checks on every connection-setup request (origin allowlist, token, body limit, rates); see
   * server/transport/connect-guard.ts. Without it: any origin, no token, default limits.
   */
  connectGuard?: ConnectGuardOptions
  /** Caps on peer connections per address and per server; see server/transport/connect-limits.ts. */
  connectLimits?: Partial<ConnectLimitsOptions>
}

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

  constructor(
    readonly schema: S,
    private readonly options: GameServerOptions = {},
  ) {
    this.io = geckos({
      iceServers: options.iceServers ?? [],
      bindAddress: options.bindAddress,
      portRange: options.portRange,
      autoManageBuffering: false,
    })
    this.manager.createId = setupId
    this.connectGuard = new ConnectGuard(options.connectGuard)
    this.connectLimits = new ConnectLimits(options.connectLimits)
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
    const conns = [...this.connections.values(), ...[...this.setups.values()].flatMap((s) => (s.conn ? [s.conn] : []))]
    for (const conn of conns) conn.close('server-shutdown')
    await new Promise((r) => setTimeout(r, 50))
    await Promise.all([...this.manager.connections.values()].map((c) => c.close().catch(() => undefined)))
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
  private async createPeer(ticket: ConnectTicket): Promise<{ id: string; localDescription: unknown } | undefined> {
    const manager = this.manager
    const result = await manager.createConnection(undefined, undefined, undefined)
    const id = result.connection?.id
    const peer = id ? manager.getConnection(id) : undefined
    if (result.status !== 200 || !id || !peer) return undefined
    ticket.id = id
    const closePeer = peer.close.bind(peer)
    peer.close = (state) => {
      this.setups.delete(id)
      ticket.release()
      return closePeer(state)
    }
    const localDescription = result.connection?.localDescription
    if (!localDescription) {
      await peer.close().catch(() => undefined)
      return undefined
    }
    const dc = peer.peerConnection.createDataChannel(RELIABLE_CHANNEL_LABEL, { negotiated: true, id: RELIABLE_CHANNEL_ID })
    this.setups.set(id, { ticket, reliable: new DataChannelPipe(dc) })
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
    return { id, localDescription }
  }

  private accept(channel: GeckosServerChannel): void {
    const setupKey = channel.id
    const setup = this.setups.get(setupKey)
    if (!setup) return void channel.close()
    // A public id, apart from the secret setup id: showing it to other players opens no route.
    const conn = new ServerConnection(publicId(), this.schema, { unreliable: new DataChannelPipe(channel.dataChannel), reliable: setup.reliable }, this.options.link ?? {})
    setup.conn = conn
    conn.relay = (name, data) => {
      for (const h of this.handlers.get(name) ?? []) h(data as never, conn)
    }
    conn.events.on('error', (err) => this.events.emit('error', err, conn))
    conn.onEngine('hello', ({ protocol, fingerprint }) => {
      if (conn.ready) return
      if (protocol !== PROTOCOL_VERSION || fingerprint !== this.schema.fingerprint)
        return conn.close('schema-mismatch', `server schema ${this.schema.fingerprint} protocol ${PROTOCOL_VERSION}, client ${fingerprint} protocol ${protocol}`)
      conn.ready = true
      // Setup is over: the setup routes no longer accept this connection's id.
      this.setups.delete(setupKey)
      setup.ticket.opened()
      this.connections.set(conn.id, conn)
      conn.sendEngine('welcome', { id: conn.id, serverTime: conn.options.clock.now() })
      this.events.emit('connection', conn)
    })
    conn.events.on('close', () => {
      this.connections.delete(conn.id)
      this.setups.delete(setupKey)
      // Let the goodbye leave before the peer connection goes.
      setTimeout(() => void this.manager.getConnection(setupKey)?.close('closed').catch(() => undefined), 100).unref()
    })
    channel.onDisconnect((state) => conn.close(state === 'failed' ? 'failed' : 'closed', `WebRTC ${state}`, false))
  }
}
