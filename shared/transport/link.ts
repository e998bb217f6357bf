import { DISCONNECT_REASONS, engineSchema, type DisconnectReason, type EngineSchema } from '../protocol/engine'
import { encodeMessage, encodeMessageView, FIRST_APP_ID, HEADROOM, type MessageName, type MessageSpec, type Payload, type Schema } from '../schema/index'
import type { NetStats } from '../stats/net-stats'
import { seqNext } from '../stats/sequence'
import { Emitter } from './emitter'
import { fragment } from './fragments'
import { LinkConditioner, type LinkConditions } from './link-conditioner'
import { LinkInbound } from './link-inbound'
import { LinkMeter } from './link-meter'
import { defaultLinkOptions, type LinkOptions } from './link-options'
import type { DataPipe } from './pipe'
import type { LinkError } from './reject'
import { ReliableSender } from './reliable-sender'
import { SlowConsumerGuard } from './slow-consumer'
import type { LinkSessionHooks } from './session-hooks'

export type Role = 'server' | 'client'

export interface LinkEvents {
  /** A refused frame or a throwing handler; the link carries on. */
  error: [LinkError]
  stats: [NetStats]
  close: [DisconnectReason, string]
  /** A ping of ours came back: when we sent it, the peer's clock when it answered, when it arrived (ms, our clock). Feeds clock sync. */
  pong: [{ sentAt: number; peerTime: number; receivedAt: number }]
}

/**
 * Payload bytes that fit one SCTP packet over DTLS/UDP with a typical 1,280+ MTU. A larger unreliable
 * message is split, and lost whole if any piece is lost: counted so developers can see it.
 */
const ONE_PACKET = 1200
/** engineSchema's `bye.detail` maxLength: a longer detail would make close() throw. */
const BYE_DETAIL_MAX = 200
type EngineName = MessageName<EngineSchema>

/**
 * One connection's messaging, identical on server and client: typed send/receive over an unreliable
 * pipe (sequence-numbered, for loss stats) and a reliable ordered pipe (fragmented, with
 * backpressure), pings for RTT, a heartbeat timeout, a receive budget and an optional link conditioner.
 * `In` are the messages this end may receive, `Out` the ones it may send.
 */
export class Link<S extends Schema, In extends MessageName<S>, Out extends MessageName<S>> {
  readonly events = new Emitter<LinkEvents>()
  readonly meter: LinkMeter
  /** Impairs what this end sends. */
  readonly outgoing: LinkConditioner
  /** Impairs what this end receives. */
  readonly incoming: LinkConditioner
  /** Application frames are refused until the handshake completes (server side). */
  ready: boolean
  closed = false
  readonly options: LinkOptions
  /** Called for every application message after this link's own handlers (the server's `on`). */
  relay: ((name: string, data: unknown) => void) | undefined
  /** Set by LinkSession.bind: makes the link resumable. */
  session: LinkSessionHooks | undefined

  private seqOut = 0
  private sender: ReliableSender
  private inbound: LinkInbound
  private slow: SlowConsumerGuard
  private timer: unknown
  private lastStats: number

  constructor(
    readonly schema: S,
    private readonly pipes: { unreliable: DataPipe; reliable: DataPipe },
    readonly role: Role,
    options: Partial<LinkOptions> = {},
  ) {
    this.options = { ...defaultLinkOptions(role), ...options }
    const { clock, random } = this.options
    this.ready = role === 'client'
    this.meter = new LinkMeter(clock.now())
    this.outgoing = new LinkConditioner(clock, random)
    this.incoming = new LinkConditioner(clock, random)
    this.sender = new ReliableSender(pipes.reliable, this.options.reliable, (d) => this.slow.account(d))
    this.slow = new SlowConsumerGuard(this.sender, this.options, clock.now(), (detail) => this.close('slow-consumer', detail))
    this.inbound = new LinkInbound(this)
    this.lastStats = clock.now()
    pipes.unreliable.onMessage((f) => this.inbound.receive(f, 'unreliable'))
    pipes.reliable.onMessage((f) => this.inbound.receive(f, 'reliable'))
    this.onEngine('ping', (d) => {
      this.meter.lossOut = d.lossIn / 10000
      this.sendEngine('pong', { t: d.t, time: this.options.clock.now() })
    })
    this.onEngine('pong', (d) => {
      const receivedAt = this.options.clock.now()
      this.meter.rtt.add(receivedAt - d.t)
      this.events.emit('pong', { sentAt: d.t, peerTime: d.time, receivedAt })
    })
    this.onEngine('bye', (d) => this.close(d.reason, d.detail, false))
    this.schedule()
  }

  /** Listens for one message name; returns a function that removes the listener. */
  on<N extends In>(name: N, handler: (data: Payload<S, N>) => void): () => void {
    return this.inbound.on(name, handler as (data: never) => void)
  }

  /**
   * Sends one message on the channel its declaration names. Unreliable: false if dropped because the
   * channel's buffer is full. Reliable: false once our queue holds data (await `drained()` before
   * sending much more). Throws SchemaError if `data` does not match the declaration.
   */
  send<N extends Out>(name: N, data: Payload<S, N>): boolean {
    const spec = this.schema.byName.get(name)
    if (!spec) throw new RangeError(`unknown message ${name}`)
    // An unreliable frame sent at once to a pipe that copies it needs no bytes of its own.
    if (spec.channel === 'unreliable' && this.pipes.unreliable.copiesOnSend && !this.outgoing.active) return this.sendEncoded(spec, encodeMessageView(spec, data))
    return this.sendEncoded(spec, encodeMessage(spec, data))
  }

  /** Sends a frame made by `encodeMessage` (shared by a broadcast: encode once, send many). */
  sendEncoded(spec: MessageSpec, encoded: Uint8Array): boolean {
    if (this.closed) return false
    this.meter.traffic(spec, encoded.byteLength - HEADROOM, 'out')
    if (spec.channel === 'unreliable') return this.sendUnreliable(encoded)
    return this.sendReliable(encoded)
  }

  /** Resolves when the reliable queue has moved into the channel. */
  drained(): Promise<void> {
    if (this.session?.suspended) return this.session.whenRunning().then(() => this.sender.drained())
    return this.sender.drained()
  }

  /** Sets simulated latency, jitter, loss, duplication and reordering, per direction. */
  setConditions(c: { outgoing?: LinkConditions; incoming?: LinkConditions }): void {
    if (c.outgoing) this.outgoing.set(c.outgoing)
    if (c.incoming) this.incoming.set(c.incoming)
  }

  stats(): NetStats {
    return this.meter.snapshot(this.sender.pendingBytes)
  }

  /**
   * Ends the link: tells the peer why (unless the peer told us), stops timers and fires `close`.
   * The transport owning the pipes tears down the connection on that event.
   */
  close(reason: DisconnectReason = 'closed', detail = '', notifyPeer = true): void {
    if (this.closed) return
    // Unsent data is dropped (which also resolves anyone awaiting drained()); the goodbye goes first.
    this.sender.clear()
    if (notifyPeer && DISCONNECT_REASONS.includes(reason)) {
      // Straight out: simulated conditions would hold the goodbye in a timer that clear() cancels below.
      this.outgoing.set({})
      this.sendEngine('bye', { reason, detail: detail.slice(0, BYE_DETAIL_MAX) })
    }
    this.closed = true
    this.slow.leave()
    this.options.clock.clearTimeout(this.timer)
    this.outgoing.clear()
    this.incoming.clear()
    this.events.emit('close', reason, detail)
    this.inbound.clearHandlers()
  }

  /** Session resume: new channels are underneath; what was half sent or half received on the old ones is dropped. */
  restartReliable(): void {
    this.sender.clear()
    this.inbound.restart()
  }

  /** Session resume: sends a kept frame again (not numbered again, not conditioned). */
  replayReliable(frame: Uint8Array): void {
    this.sender.enqueue(fragment(frame, this.options.chunkBytes))
  }

  /** Bytes of reliable data not yet on the wire. */
  get pendingReliableBytes(): number {
    return this.sender.pendingBytes
  }

  // ---- engine messages (used by the server and client wrappers) --------------------------------

  onEngine<N extends EngineName>(name: N, handler: (data: Payload<EngineSchema, N>) => void): void {
    this.inbound.onEngine(name, handler as (data: never) => void)
  }

  sendEngine<N extends EngineName>(name: N, data: Payload<EngineSchema, N>): void {
    const spec = engineSchema.byName.get(name)!
    this.sendEncoded(spec, encodeMessage(spec, data))
  }

  // ---- internals --------------------------------------------------------------------------------

  private sendUnreliable(encoded: Uint8Array): boolean {
    encoded[0] = this.seqOut & 0xff
    encoded[1] = this.seqOut >> 8
    this.seqOut = seqNext(this.seqOut)
    if (encoded.byteLength > ONE_PACKET) this.meter.multiPacketOut++
    if (this.pipes.unreliable.bufferedAmount() > this.options.unreliableHighWater) {
      this.meter.droppedOut++
      return false
    }
    if (this.outgoing.active) this.outgoing.unreliable(encoded.slice(), (b) => this.pipeSend(this.pipes.unreliable, b))
    else this.pipeSend(this.pipes.unreliable, encoded)
    return true
  }

  private sendReliable(encoded: Uint8Array): boolean {
    if (!this.sender.canAccept(encoded.byteLength)) {
      // close() drops the backlog first, so the goodbye fits.
      this.close('slow-consumer', `more than ${this.options.reliable.maxQueuedBytes} bytes queued for a peer that is not keeping up`)
      return false
    }
    const body = encoded.subarray(HEADROOM - 1)
    // A session keeps every application message until acknowledged; while suspended, off the wire.
    if (this.session && encoded[HEADROOM]! >= FIRST_APP_ID && !this.session.outgoing(body)) return false
    const chunks = fragment(body, this.options.chunkBytes)
    const ok = this.outgoing.active || this.sender.enqueue(chunks)
    if (this.outgoing.active) for (const c of chunks) this.outgoing.ordered(c.slice(), (b) => this.sender.enqueue([b]))
    this.slow.afterSend()
    return ok && !this.closed
  }

  private pipeSend(pipe: DataPipe, bytes: Uint8Array): void {
    if (this.closed) return
    try {
      pipe.send(bytes)
    } catch {
      // The channel closed under us; the transport's disconnect event ends the link.
    }
  }

  /** One timer drives pings, the heartbeat timeout and the stats interval. */
  private schedule(): void {
    const { clock, pingIntervalMs, timeoutMs, statsIntervalMs } = this.options
    const tick = () => {
      if (this.closed) return
      const now = clock.now()
      if (this.session?.suspended) {
        // No connection to ping on; the session's grace timer decides.
      } else if (now - this.inbound.lastHeard > timeoutMs) {
        // Silence first: a cut connection (which a session survives) also stops taking reliable data.
        const detail = `nothing heard for ${Math.round(now - this.inbound.lastHeard)} ms`
        if (!this.session?.lost('timeout', detail)) return this.close('timeout', detail)
      } else {
        // Heard from, yet not taking reliable data: a slow consumer, not a dead link.
        const stalled = this.slow.stalled(now)
        if (stalled) return this.close('slow-consumer', stalled)
        this.sendEngine('ping', { t: now, lossIn: Math.round(this.meter.loss.loss() * 10000) })
        this.session?.tick()
      }
      if (now - this.lastStats >= statsIntervalMs - 1) {
        this.lastStats = now
        this.meter.tick(now)
        this.events.emit('stats', this.stats())
      }
      this.timer = clock.setTimeout(tick, Math.min(pingIntervalMs, statsIntervalMs))
    }
    this.timer = clock.setTimeout(tick, Math.min(pingIntervalMs, statsIntervalMs))
  }
}
