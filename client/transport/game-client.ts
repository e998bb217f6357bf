import geckos, { type ClientChannel } from '@geckos.io/client'
import { PROTOCOL_VERSION } from '../../shared/protocol/engine'
import type { ClientMessage, Payload, Schema, ServerMessage } from '../../shared/schema/index'
import { Emitter } from '../../shared/transport/emitter'
import { Link, type DisconnectReason, type LinkConditions, type LinkError, type LinkOptions, type NetStats } from '../../shared/transport/index'
import { DEFAULT_SESSION, LinkSession } from '../../shared/transport/session'
import { resumeSession, type OpenedChannel, type ResumeOptions } from './client-resume'
import { ConnectError } from './connect-error'
import { RtcPipe } from './rtc-pipe'

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
  link?: Partial<LinkOptions>
  /**
   * Session resume after a cut (heartbeat timeout, WebRTC failure): the same connection carries on over
   * a new WebRTC connection, reliable messages replayed both ways, if the server offers sessions.
   * `false`: a cut ends the connection (as before protocol 2).
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
   * Carrying on over a new WebRTC connection: `replayed` of our reliable messages were sent again,
   * after `suspendedMs` cut; `handshakeMs` from our resume request to the server's answer (one round trip).
   */
  resumed: [{ replayed: number; suspendedMs: number; handshakeMs: number }]
}

/** Same negotiated stream id as the server's (see server/transport/geckos-internals.ts). */
const RELIABLE_CHANNEL_ID = 100

interface GeckosClientInternals {
  peerConnection?: { localPeerConnection: RTCPeerConnection }
  connectionsManager: { dataChannel: RTCDataChannel }
}

/**
 * The client end: connects through geckos.io's signalling, opens the negotiated reliable channel,
 * proves it speaks the server's schema (fingerprint), then sends and receives typed messages.
 */
export class GameClient<S extends Schema> {
  readonly events = new Emitter<GameClientEvents>()
  private link: Link<S, ServerMessage<S>, ClientMessage<S>> | undefined
  private channel: ClientChannel | undefined
  private session: LinkSession | undefined
  private token = ''
  /** Server-assigned connection id. */
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

  /** The link itself, for engine-level access (clock sync reads its pongs). */
  get raw(): Link<S, ServerMessage<S>, ClientMessage<S>> {
    return this.requireLink()
  }

  close(): void {
    this.link?.close('closed')
    setTimeout(() => this.teardown(), 100)
  }

  private async open(): Promise<void> {
    const { channel, pipes } = await this.openChannel(true)
    this.channel = channel
    // Always numbered and acknowledged (a server with sessions keeps what we have not acknowledged);
    // resumable only if the server offers it and we want it (graceMs 0: a cut closes).
    const session = new LinkSession(pipes, { ...DEFAULT_SESSION, graceMs: 0 })
    const link = new Link<S, ServerMessage<S>, ClientMessage<S>>(this.schema, session.pipes, 'client', this.options.link)
    session.bind(link)
    this.link = link
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
    this.watch(channel)
    link.sendEngine('hello', { protocol: PROTOCOL_VERSION, fingerprint: this.schema.fingerprint })
    await accepted
  }

  /** A channel's WebRTC connection ending: a cut for the session if it is the current one. */
  private watch(channel: ClientChannel): void {
    channel.onDisconnect(() => {
      if (this.channel !== channel || !this.link) return
      if (!this.link.session?.lost('failed', 'WebRTC connection closed')) this.link.close('closed', 'WebRTC connection closed', false)
    })
  }

  /** The session was cut: drop the dead connection and resume on new ones until the grace period ends. */
  private suspend(reason: DisconnectReason, detail: string): void {
    const link = this.link!
    const session = this.session!
    this.dropChannel()
    this.events.emit('suspended', reason, detail)
    void resumeSession({
      link,
      session,
      fingerprint: this.schema.fingerprint,
      token: this.token,
      deadline: link.options.clock.now() + session.options.graceMs,
      options: this.options.resume || {},
      open: async (): Promise<OpenedChannel> => {
        const opened = await this.openChannel(false)
        const handle = { pipes: opened.pipes, close: () => closeChannel(opened.channel) }
        this.opened.set(handle, opened.channel)
        return handle
      },
    }).then((outcome) => {
      const winner = outcome.ok ? this.opened.get(outcome.channel) : undefined
      // Attempts given up on but still connecting (their close waits for them otherwise).
      for (const c of this.attempts) if (c !== winner) closeChannel(c)
      this.attempts.clear()
      if (outcome.ok) {
        this.token = outcome.token
        this.channel = winner
        if (this.channel) this.watch(this.channel)
        this.events.emit('resumed', { replayed: outcome.replayed, suspendedMs: outcome.suspendedMs, handshakeMs: outcome.handshakeMs })
      } else if (!link.closed) link.close('resume-failed', outcome.why, false)
      this.opened = new WeakMap()
    })
  }

  /** Channels opened by resume attempts, by what resumeSession saw of them. */
  private opened = new WeakMap<OpenedChannel, ClientChannel>()
  /** Every connection a resume started, opened or not. */
  private attempts = new Set<ClientChannel>()

  /** Closes the current WebRTC connection without telling the server (it is unreachable). */
  private dropChannel(): void {
    const channel = this.channel
    this.channel = undefined
    if (channel) closeChannel(channel)
  }

  /** A new WebRTC connection with both channels open. `first`: the connect() one (its teardown closes it on a timeout). */
  private async openChannel(first: boolean): Promise<{ channel: ClientChannel; pipes: { unreliable: RtcPipe; reliable: RtcPipe } }> {
    const url = new URL(this.options.url ?? globalThis.location.origin)
    this.origin = url.origin
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80
    const channel = geckos({
      url: `${url.protocol}//${url.hostname}`,
      port,
      iceServers: this.options.iceServers ?? [],
      iceTransportPolicy: this.options.iceTransportPolicy ?? 'all',
      authorization: this.options.authorization,
    })
    if (first) this.channel = channel
    else this.attempts.add(channel)
    try {
      await new Promise<void>((resolve, reject) =>
        void channel.onConnect((err) => (err ? reject(new ConnectError('unreachable', String(err.message ?? err))) : resolve())),
      )
      const internals = channel as unknown as GeckosClientInternals
      const unreliable = internals.connectionsManager.dataChannel
      const reliable = internals.peerConnection!.localPeerConnection.createDataChannel('reliable', { negotiated: true, id: RELIABLE_CHANNEL_ID })
      if (reliable.readyState !== 'open') await new Promise((resolve) => reliable.addEventListener('open', resolve, { once: true }))
      return { channel, pipes: { unreliable: new RtcPipe(unreliable), reliable: new RtcPipe(reliable) } }
    } catch (err) {
      closeChannel(channel)
      throw err
    }
  }

  /**
   * Closes the peer connection ourselves: geckos' own close() posts to the server without catching,
   * which surfaces as an unhandled rejection when the server is already gone.
   */
  private teardown(): void {
    const channel = this.channel
    this.channel = undefined
    if (!channel) return
    closeChannel(channel)
    if (channel.id && this.origin) fetch(`${this.origin}/.wrtc/v2/connections/${channel.id}/close`, { method: 'POST' }).catch(() => undefined)
  }

  private requireLink(): Link<S, ServerMessage<S>, ClientMessage<S>> {
    if (!this.link) throw new Error('not connected: await connect() first')
    return this.link
  }
}

function closeChannel(channel: ClientChannel): void {
  const pc = (channel as unknown as GeckosClientInternals).peerConnection?.localPeerConnection
  if (!pc) return
  // geckos keeps polling the server for ICE candidates for ~10 s and adds them without catching: on a
  // closed connection that rejects, unhandled (fatal in Node). Late candidates are ignored instead.
  pc.addIceCandidate = () => Promise.resolve()
  try {
    pc.close()
  } catch {
    // already closed
  }
}
