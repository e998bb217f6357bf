import type { ClientChannel } from '@geckos.io/client'
import { PROTOCOL_VERSION } from '../../shared/protocol/engine'
import type { ClientMessage, Payload, Schema, ServerMessage } from '../../shared/schema/index'
import { Emitter } from '../../shared/transport/emitter'
import { Link, type DisconnectReason, type LinkConditions, LinkError, type LinkOptions, type NetStats } from '../../shared/transport/index'
import { DEFAULT_SESSION, LinkSession } from '../../shared/transport/session'
import { resumeSession, type OpenedChannel, type ResumeOptions } from './client-resume'
import { ConnectError } from './connect-error'
import { openTransport, type OpenedTransport, type TransportMode } from './connect-transport'
import { abandonChannel, closeChannel, openWebRtc } from './open-webrtc'

export interface GameClientOptions {
  /** Server origin, e.g. `http://127.0.0.1:9208`. Default: the page's origin. */
  url?: string
  iceServers?: RTCIceServer[]
  /** `relay` keeps the player's IP address hidden behind TURN. */
  iceTransportPolicy?: RTCIceTransportPolicy
  /** Sent as the `Authorization` header of the signalling request. */
  authorization?: string
  /** Gives up connecting after this long. */
  connectTimeoutMs?: number
  /**
   * `auto` (default): WebRTC, or a WebSocket on the same HTTP port if WebRTC has not connected within
   * `fallbackAfterMs` (UDP blocked). A WebRTC handshake still under way then races the WebSocket, and
   * keeps the rest of `connectTimeoutMs` if the server has no fallback (a slow machine, not a blocked
   * network). `webrtc` or `websocket`: that one only. `stats().transport` says which is in use and
   * `stats().transportReason` why.
   */
  transport?: TransportMode
  /** Default 5000 ms. */
  fallbackAfterMs?: number
  link?: Partial<LinkOptions>
  /**
   * Session resume after a cut (heartbeat timeout, transport failure): the same connection carries on
   * over a new transport connection, reliable messages replayed both ways, if the server offers sessions.
   * `false`: a cut ends the connection.
   */
  resume?: ResumeOptions | false
}

export interface GameClientEvents {
  disconnect: [DisconnectReason, string]
  error: [LinkError]
  stats: [NetStats]
  /** The connection was cut; resuming (sends are kept, nothing arrives) until `resumed` or `disconnect`. */
  suspended: [DisconnectReason, string]
  /**
   * Carrying on over a new connection: `replayed` of our reliable messages were sent again, after
   * `suspendedMs` cut; `handshakeMs` from our resume request to the server's answer (one round trip).
   */
  resumed: [{ replayed: number; suspendedMs: number; handshakeMs: number }]
}

/**
 * The client end: connects through geckos.io's signalling (or the WebSocket fallback), opens the
 * negotiated reliable channel, proves it speaks the server's schema (fingerprint), then sends and
 * receives typed messages; a cut connection is resumed as the same session.
 */
export class GameClient<S extends Schema> {
  readonly events: Emitter<GameClientEvents> = new Emitter<GameClientEvents>({ onListenerError: (e) => this.events.emit('error', new LinkError('handler-error', e.message, e.cause)) })
  private link: Link<S, ServerMessage<S>, ClientMessage<S>> | undefined
  /** The transport carrying the link now. */
  private transport: OpenedTransport | undefined
  /** Its WebRTC connection, when it is one (tests and the doctor look at the peer connection). */
  private channel: ClientChannel | undefined
  /** WebRTC connections started and not (yet) carrying the link: a connect race or resume attempts. */
  private attempts = new Set<ClientChannel>()
  private session: LinkSession | undefined
  private token = ''
  private serverIceServers: RTCIceServer[] = []
  /** Server-assigned public connection id. */
  id = ''
  private origin = ''

  constructor(
    readonly schema: S,
    private readonly options: GameClientOptions = {},
  ) {}

  /** True from the welcome until the connection ends, suspended or not. */
  get connected(): boolean {
    return !!this.link && !this.link.closed
  }

  /** Cut and resuming. */
  get suspended(): boolean {
    return this.session?.suspended ?? false
  }

  /** Resolves once both channels are open and the server accepted our schema; rejects with ConnectError. */
  async connect(): Promise<void> {
    const timeoutMs = this.options.connectTimeoutMs ?? 10_000
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ConnectError('timeout', `no connection within ${timeoutMs} ms`)), timeoutMs)
    })
    try {
      await Promise.race([this.open(), timeout])
    } catch (err) {
      this.teardown()
      throw err
    } finally {
      clearTimeout(timer)
    }
  }

  on<N extends ServerMessage<S>>(name: N, handler: (data: Payload<S, N>) => void): () => void {
    return this.requireLink().on(name, handler)
  }

  send<N extends ClientMessage<S>>(name: N, data: Payload<S, N>): boolean {
    return this.requireLink().send(name, data)
  }

  drained(): Promise<void> {
    return this.requireLink().drained()
  }

  stats(): NetStats {
    return this.requireLink().stats()
  }

  setConditions(c: { outgoing?: LinkConditions; incoming?: LinkConditions }): void {
    this.requireLink().setConditions(c)
  }

  /** Our ICE servers plus those the server handed us at connect: for the media mesh. */
  iceServers(): RTCIceServer[] {
    return [...(this.options.iceServers ?? []), ...this.serverIceServers]
  }

  /** The link itself, for engine-level access (clock sync reads its pongs). */
  get raw(): Link<S, ServerMessage<S>, ClientMessage<S>> {
    return this.requireLink()
  }

  close(): void {
    this.link?.close('closed')
    setTimeout(() => this.teardown(), 100)
  }

  private async open(): Promise<void> {
    const transport = await this.openTransport()
    // Always numbered and acknowledged (a server with sessions keeps what we have not acknowledged);
    // resumable only if the server offers it and we want it (graceMs 0: a cut closes).
    const session = new LinkSession(transport.pipes, { ...DEFAULT_SESSION, graceMs: 0 })
    const link = new Link<S, ServerMessage<S>, ClientMessage<S>>(this.schema, session.pipes, 'client', this.options.link)
    session.bind(link)
    this.link = link
    this.use(transport)
    link.events.on('error', (e) => this.events.emit('error', e))
    link.events.on('stats', (s) => this.events.emit('stats', s))
    const accepted = new Promise<void>((resolve, reject) => {
      link.onEngine('welcome', ({ id, resumeToken, graceMs }) => {
        this.id = id
        if (resumeToken === '') link.session = undefined // the server keeps no session: nothing to number or keep
        else if (this.options.resume !== false && graceMs > 0) {
          this.token = resumeToken
          session.options.graceMs = graceMs
          this.session = session
          session.events.on('suspended', (reason, detail) => this.suspend(reason, detail))
        }
        resolve()
      })
      link.events.on('close', (reason, detail) => {
        reject(new ConnectError(reason, detail))
        this.events.emit('disconnect', reason, detail)
        setTimeout(() => this.teardown(), 100)
      })
    })
    link.sendEngine('hello', { protocol: PROTOCOL_VERSION, fingerprint: this.schema.fingerprint })
    await accepted
  }

  /** WebRTC, or the WebSocket fallback, as the options choose (connect and every resume attempt). */
  private openTransport(): Promise<OpenedTransport> {
    const url = new URL(this.options.url ?? globalThis.location.origin)
    this.origin = url.origin
    const o = this.options
    const webrtc = { url, iceServers: o.iceServers ?? [], iceTransportPolicy: o.iceTransportPolicy ?? 'all', authorization: o.authorization, forced: o.transport === 'webrtc' }
    return openTransport(
      { mode: o.transport ?? 'auto', fallbackAfterMs: o.fallbackAfterMs ?? 5000, origin: url.origin, authorization: o.authorization, socketTimeoutMs: o.connectTimeoutMs ?? 10_000 },
      () => openWebRtc(webrtc, (c) => this.attempts.add(c), (servers) => (this.serverIceServers = servers)),
      () => this.abandonAttempts(),
    )
  }

  /** `transport` carries the link from now on; its end is a cut for the session, or the end. */
  private use(transport: OpenedTransport): void {
    this.transport = transport
    this.channel = 'channel' in transport ? (transport.channel as ClientChannel) : undefined
    this.link!.meter.transport = transport.info
    if (this.channel) this.attempts.delete(this.channel)
    transport.onClose((detail) => {
      if (this.transport !== transport || !this.link) return
      if (!this.link.session?.lost('failed', detail)) this.link.close('closed', detail, false)
    })
  }

  /** The session was cut: drop the dead transport and resume on new ones until the grace period ends. */
  private suspend(reason: DisconnectReason, detail: string): void {
    const link = this.link!
    const session = this.session!
    const dead = this.transport
    this.transport = this.channel = undefined
    dead?.close()
    this.events.emit('suspended', reason, detail)
    const opened = new Map<OpenedChannel, OpenedTransport>()
    void resumeSession({
      link,
      session,
      fingerprint: this.schema.fingerprint,
      token: this.token,
      deadline: link.options.clock.now() + session.options.graceMs,
      options: this.options.resume || {},
      open: async (): Promise<OpenedChannel> => {
        const t = await this.openTransport()
        const handle = { pipes: t.pipes, close: () => t.close() }
        opened.set(handle, t)
        return handle
      },
    }).then((outcome) => {
      const winner = outcome.ok ? opened.get(outcome.channel) : undefined
      // Attempts given up on but still connecting (their close waits for them otherwise).
      if (winner && 'channel' in winner) this.attempts.delete(winner.channel as ClientChannel)
      this.abandonAttempts()
      if (outcome.ok && winner) {
        this.token = outcome.token
        this.use(winner)
        this.events.emit('resumed', { replayed: outcome.replayed, suspendedMs: outcome.suspendedMs, handshakeMs: outcome.handshakeMs })
      } else if (!link.closed) link.close('resume-failed', outcome.ok ? 'the resumed transport went missing' : outcome.why, false)
    })
  }

  private abandonAttempts(): void {
    for (const c of this.attempts) abandonChannel(c, this.origin)
    this.attempts.clear()
  }

  /** Closes everything here; a connection that never got its welcome is also freed on the server. */
  private teardown(): void {
    this.abandonAttempts()
    const transport = this.transport
    this.transport = this.channel = undefined
    if (!transport) return
    if (!this.id && 'channel' in transport) abandonChannel(transport.channel as ClientChannel, this.origin)
    else transport.close()
  }

  private requireLink(): Link<S, ServerMessage<S>, ClientMessage<S>> {
    if (!this.link) throw new Error('not connected: await connect() first')
    return this.link
  }
}
