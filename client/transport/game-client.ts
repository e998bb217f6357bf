import geckos, { type ClientChannel } from '@geckos.io/client'
import { PROTOCOL_VERSION } from '../../shared/protocol/engine'
import type { ClientMessage, Payload, Schema, ServerMessage } from '../../shared/schema/index'
import { Emitter } from '../../shared/transport/emitter'
import { Link, type DisconnectReason, type LinkConditions, LinkError, type LinkOptions, type NetStats } from '../../shared/transport/index'
import { ConnectError } from './connect-error'
import { takeServerIceServers } from './connect-ice'
import { openTransport, type OpenedTransport, type TransportMode } from './connect-transport'
import { watchGathering } from './connect-watch'
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
  /**
   * `auto` (default): WebRTC, or a WebSocket on the same HTTP port if WebRTC has not connected within
   * `fallbackAfterMs` (UDP blocked). `webrtc` or `websocket`: that one only. `stats().transport` says
   * which is in use and `stats().transportReason` why.
   */
  transport?: TransportMode
  /** Default 5000 ms. */
  fallbackAfterMs?: number
  link?: Partial<LinkOptions>
}

export interface GameClientEvents {
  disconnect: [DisconnectReason, string]
  error: [LinkError]
  stats: [NetStats]
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
  readonly events: Emitter<GameClientEvents> = new Emitter<GameClientEvents>({ onListenerError: (e) => this.events.emit('error', new LinkError('handler-error', e.message, e.cause)) })
  private link: Link<S, ServerMessage<S>, ClientMessage<S>> | undefined
  private channel: ClientChannel | undefined
  /** Server-assigned connection id. */
  id = ''
  private origin = ''
  /** TURN credentials the server minted for this connection (its `turn` option). */
  private serverIceServers: RTCIceServer[] = []
  private closeTransport: (() => void) | undefined

  constructor(
    readonly schema: S,
    private readonly options: GameClientOptions = {},
  ) {}

  get connected(): boolean {
    return !!this.link && !this.link.closed
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
    const url = new URL(this.options.url ?? globalThis.location.origin)
    this.origin = url.origin
    const transport = await openTransport(
      {
        mode: this.options.transport ?? 'auto',
        fallbackAfterMs: this.options.fallbackAfterMs ?? 5000,
        origin: url.origin,
        authorization: this.options.authorization,
        socketTimeoutMs: this.options.connectTimeoutMs ?? 10_000,
      },
      () => this.openWebRtc(url),
      () => this.teardown(),
    )
    const { pipes } = transport
    this.closeTransport = transport.close
    const link = new Link<S, ServerMessage<S>, ClientMessage<S>>(this.schema, pipes, 'client', this.options.link)
    link.meter.transport = transport.info
    this.link = link
    link.events.on('error', (e) => this.events.emit('error', e))
    link.events.on('stats', (s) => this.events.emit('stats', s))
    const accepted = new Promise<void>((resolve, reject) => {
      link.onEngine('welcome', ({ id }) => {
        this.id = id
        resolve()
      })
      link.events.on('close', (reason, detail) => {
        reject(new ConnectError(reason, detail))
        this.events.emit('disconnect', reason, detail)
        setTimeout(() => this.teardown(), 100)
      })
    })
    transport.onClose((detail) => link.close('closed', detail, false))
    link.sendEngine('hello', { protocol: PROTOCOL_VERSION, fingerprint: this.schema.fingerprint })
    await accepted
  }

  /** WebRTC through geckos' signalling: resolves once both data channels are open. */
  private async openWebRtc(url: URL): Promise<OpenedTransport> {
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80
    const channel = geckos({
      url: `${url.protocol}//${url.hostname}`,
      port,
      iceServers: this.options.iceServers ?? [],
      iceTransportPolicy: this.options.iceTransportPolicy ?? 'all',
      authorization: this.options.authorization,
    })
    this.channel = channel
    const relayOnly = this.options.iceTransportPolicy === 'relay'
    await new Promise<void>((resolve, reject) => {
      takeServerIceServers(channel, this.options.iceServers ?? [], (servers, pc) => {
        this.serverIceServers = servers
        watchGathering(pc, ({ types }) => {
          if (relayOnly && !types.has('relay')) reject(new ConnectError('turn-failed', 'relay-only, and no TURN server gave us a relay address: check the TURN URL and credentials'))
        })
      })
      void channel.onConnect((err) => (err ? reject(ConnectError.fromSetup(err as { message?: unknown; status?: unknown })) : resolve()))
    })
    const internals = channel as unknown as GeckosClientInternals
    const unreliable = internals.connectionsManager.dataChannel
    const reliable = internals.peerConnection!.localPeerConnection.createDataChannel('reliable', { negotiated: true, id: RELIABLE_CHANNEL_ID })
    if (reliable.readyState !== 'open') await new Promise((resolve) => reliable.addEventListener('open', resolve, { once: true }))
    return {
      pipes: { unreliable: new RtcPipe(unreliable), reliable: new RtcPipe(reliable) },
      info: { kind: 'webrtc', reason: this.options.transport === 'webrtc' ? 'forced' : 'direct' },
      onClose: (cb) => channel.onDisconnect(() => cb('WebRTC connection closed')),
    }
  }

  /**
   * Closes the peer connection ourselves: geckos' own close() posts to the server without catching,
   * which surfaces as an unhandled rejection when the server is already gone.
   */
  private teardown(): void {
    this.closeTransport?.()
    this.closeTransport = undefined
    const channel = this.channel
    this.channel = undefined
    if (!channel) return
    const internals = channel as unknown as GeckosClientInternals
    try {
      internals.peerConnection?.localPeerConnection.close()
    } catch {
      // already closed
    }
    // By the secret setup id, which only this client knows (this.id is the public one). The server
    // accepts it only while the connection is in setup: an abandoned attempt is freed at once.
    const setupId = (internals as { peerConnection?: { id?: string } }).peerConnection?.id
    if (setupId && this.origin && !this.id) fetch(`${this.origin}/.wrtc/v2/connections/${setupId}/close`, { method: 'POST' }).catch(() => undefined)
  }

  private requireLink(): Link<S, ServerMessage<S>, ClientMessage<S>> {
    if (!this.link) throw new Error('not connected: await connect() first')
    return this.link
  }
}
