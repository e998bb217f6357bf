import geckos, { type GeckosServer } from '@geckos.io/server'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { PROTOCOL_VERSION } from '../../shared/protocol/engine'
import type { SignallingGuard } from '../http/signalling-guard'
import type { ClientMessage, Payload, Schema, ServerMessage } from '../../shared/schema/index'
import { Emitter } from '../../shared/transport/emitter'
import type { LinkError, LinkOptions } from '../../shared/transport/index'
import { DEFAULT_SESSION, type SessionOptions } from '../../shared/transport/session'
import { DataChannelPipe } from './datachannel-pipe'
import { RELIABLE_CHANNEL_ID, RELIABLE_CHANNEL_LABEL, type GeckosConnectionsManager, type GeckosServerChannel } from './geckos-internals'
import { Group, sendToMany } from './group'
import { ServerConnection } from './server-connection'
import { ServerSessions } from './server-sessions'

export interface GameServerOptions {
  /** STUN/TURN servers handed to the server's peer connections. */
  iceServers?: RTCIceServer[]
  /** Bind WebRTC to one local address (needed inside a network namespace that only has `lo`). */
  bindAddress?: string
  portRange?: { min: number; max: number }
  /** Allowed Origin headers for the signalling routes; default: any. */
  cors?: { origin: string | ((req: http.IncomingMessage) => string) }
  /** Options for every connection's link (timeouts, rate limit, buffers...). */
  link?: Partial<LinkOptions>
  /** A peer connection that has not finished WebRTC setup and our hello after this long is closed. */
  handshakeTimeoutMs?: number
  /**
   * Checks every signalling request before geckos reads it (origin allowlist, body-size limit,
   * token) and answers CORS with the allowed origin instead of `*`; see server/http/signalling-guard.ts.
   * Overrides `cors`.
   */
  signallingGuard?: SignallingGuard
  /**
   * Resumable sessions (docs/transport.md, "Sessions"): a connection whose WebRTC connection is cut
   * waits `graceMs` for the client to resume it on a new one, and reliable messages are replayed
   * across. `false` turns them off (a cut then ends the connection at once).
   */
  sessions?: Partial<SessionOptions> | false
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
  /** Connections that completed the handshake, by id. */
  readonly connections = new Map<string, ServerConnection<S>>()
  /** Connections whose data channels are open but whose hello has not arrived yet. */
  private handshaking = new Map<string, ServerConnection<S>>()
  readonly io: GeckosServer
  private httpServer: http.Server | undefined
  private ownsHttpServer = false
  private handlers = new Map<string, Set<AnyHandler<S>>>()
  private groups = new Map<string, Group<S>>()
  private reliablePipes = new Map<string, DataChannelPipe>()
  private readonly sessions: ServerSessions<S>

  constructor(
    readonly schema: S,
    private readonly options: GameServerOptions = {},
  ) {
    this.io = geckos({
      iceServers: options.iceServers ?? [],
      bindAddress: options.bindAddress,
      portRange: options.portRange,
      cors: options.signallingGuard
        ? { origin: options.signallingGuard.corsOrigin as unknown as string, allowAuthorization: true }
        : options.cors
          ? { origin: options.cors.origin as string, allowAuthorization: true }
          : undefined,
      autoManageBuffering: false,
    })
    this.sessions = new ServerSessions(options.sessions === false ? undefined : { ...DEFAULT_SESSION, ...options.sessions })
    this.hookConnectionCreation()
  }

  /** Listens on `port` (0 picks a free one) with a new HTTP server; resolves with the port. */
  async listen(port = 9208, host?: string): Promise<number> {
    const server = http.createServer((_req, res) => {
      res.statusCode = 404
      res.end()
    })
    this.ownsHttpServer = true
    this.attach(server)
    await new Promise<void>((resolve) => server.listen(port, host, resolve))
    return (server.address() as AddressInfo).port
  }

  /** Serves signalling on an existing HTTP server (which keeps serving everything else). */
  attach(server: http.Server): void {
    this.httpServer = server
    this.options.signallingGuard?.install(server)
    const before = new Set(server.listeners('close'))
    this.io.addServer(server)
    // geckos' close handler calls node-datachannel's process-wide cleanup(), which would also kill
    // other servers' and in-process clients' connections; close() below closes ours instead.
    for (const l of server.listeners('close')) if (!before.has(l)) server.off('close', l as () => void)
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
    const manager = this.io.connectionsManager as unknown as GeckosConnectionsManager
    await Promise.all([...manager.connections.values()].map((c) => c.close().catch(() => undefined)))
    this.options.signallingGuard?.uninstall()
    if (this.ownsHttpServer && this.httpServer) {
      const server = this.httpServer
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }

  /**
   * Right after geckos creates a peer connection, before the offer is answered: creates the reliable
   * channel (so it exists here before the client can send on it) and takes over the unreliable
   * channel's open event. geckos' own open handler would install its JSON message parser and announce
   * the connection on a process-wide emitter shared by every geckos server in the process.
   */
  private hookConnectionCreation(): void {
    const manager = this.io.connectionsManager as unknown as GeckosConnectionsManager
    const create = manager.createConnection.bind(manager)
    const timeoutMs = this.options.handshakeTimeoutMs ?? 10_000
    manager.createConnection = async (auth, req, res) => {
      const result = await create(auth, req, res)
      const id = result.connection?.id
      const conn = id ? manager.getConnection(id) : undefined
      if (result.status !== 200 || !id || !conn) return result
      const dc = conn.peerConnection.createDataChannel(RELIABLE_CHANNEL_LABEL, { negotiated: true, id: RELIABLE_CHANNEL_ID })
      this.reliablePipes.set(id, new DataChannelPipe(dc))
      const channel = conn.channel as unknown as GeckosServerChannel
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
        if (this.connections.has(id) || this.carries(id)) return
        this.reliablePipes.delete(id)
        const pending = this.handshaking.get(id)
        if (pending) pending.close('handshake-timeout', 'no hello in time')
        else manager.getConnection(id)?.close('closed').catch(() => undefined)
      }, timeoutMs).unref()
      return result
    }
  }

  private accept(channel: GeckosServerChannel): void {
    const reliable = this.reliablePipes.get(channel.id)
    if (!reliable) return void channel.close()
    const pipes = { unreliable: new DataChannelPipe(channel.dataChannel), reliable }
    const conn = new ServerConnection(channel.id, this.schema, pipes, this.options.link ?? {}, this.sessions.options)
    this.handshaking.set(conn.id, conn)
    conn.relay = (name, data) => {
      for (const h of this.handlers.get(name) ?? []) h(data as never, conn)
    }
    conn.events.on('error', (err) => this.events.emit('error', err, conn))
    conn.onEngine('hello', ({ protocol, fingerprint }) => {
      if (conn.ready) return
      if (protocol !== PROTOCOL_VERSION || fingerprint !== this.schema.fingerprint)
        return conn.close('schema-mismatch', `server schema ${this.schema.fingerprint} protocol ${PROTOCOL_VERSION}, client ${fingerprint} protocol ${protocol}`)
      conn.ready = true
      this.handshaking.delete(conn.id)
      this.connections.set(conn.id, conn)
      const resumeToken = this.sessions.issue(conn)
      conn.sendEngine('welcome', { id: conn.id, serverTime: conn.options.clock.now(), resumeToken, graceMs: conn.session?.options.graceMs ?? 0 })
      this.events.emit('connection', conn)
    })
    conn.onEngine('resume', (msg) => {
      if (conn.ready || conn.closed) return
      this.handshaking.delete(conn.id)
      this.sessions.resume(conn, msg, this.schema.fingerprint, (id) => this.closeChannel(id, 0))
    })
    // A cut session frees its dead WebRTC connection at once; the resume brings a new one.
    conn.session?.events.on('suspended', () => this.closeChannel(conn.channelId, 0))
    conn.events.on('close', () => {
      this.connections.delete(conn.id)
      this.handshaking.delete(conn.id)
      this.reliablePipes.delete(conn.id)
      this.sessions.revoke(conn)
      // Its channels now carry a resumed session.
      if (conn.handedOver) return
      // Let the goodbye leave before the peer connection goes.
      this.closeChannel(conn.channelId, 100)
    })
    channel.onDisconnect((state) => {
      const owner = conn.handedOver ?? conn
      // The old connection of a resumed session dying is no news.
      if (owner.channelId === channel.id) owner.connectionLost(state === 'failed' ? 'failed' : 'closed', `WebRTC ${state}`)
    })
  }

  /** Whether a resumed session runs on this WebRTC connection. */
  private carries(channelId: string): boolean {
    for (const c of this.connections.values()) if (c.channelId === channelId) return true
    return false
  }

  private closeChannel(id: string, delayMs: number): void {
    const manager = this.io.connectionsManager as unknown as GeckosConnectionsManager
    setTimeout(() => void manager.getConnection(id)?.close('closed').catch(() => undefined), delayMs).unref()
  }
}
