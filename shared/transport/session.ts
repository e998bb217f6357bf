import type { DisconnectReason } from '../protocol/engine'
import { Emitter } from './emitter'
import type { MessageName, Schema } from '../schema/index'
import type { Link } from './link'
import type { DataPipe } from './pipe'
import { DEFAULT_SESSION_LIMITS, SessionBook, type SessionLimits } from './session-book'
import { SwitchablePipe } from './session-pipe'

export interface SessionOptions extends SessionLimits {
  /** How long a cut session waits for a resume before it ends with 'timeout'. */
  graceMs: number
}

export const DEFAULT_SESSION: SessionOptions = { ...DEFAULT_SESSION_LIMITS, graceMs: 60_000 }

export interface SessionEvents {
  /** The connection was lost (heartbeat timeout, WebRTC failure): reliable sends are kept for the resume. */
  suspended: [DisconnectReason, string]
  /** Running again on a new connection; `replayed` of our messages were sent again. */
  resumed: [{ replayed: number; suspendedMs: number }]
}

export type ChannelPipes = { unreliable: DataPipe; reliable: DataPipe }
type AnyLink = Link<Schema, string, string>

/**
 * A link's session: what makes a connection outlive a cut. Application reliable messages are
 * numbered and kept until acknowledged (SessionBook); a heartbeat timeout or a dead channel suspends
 * the link instead of closing it; `attach` swaps in a new connection's channels and `complete`
 * replays what the peer missed. Both ends run one. The handshake (who may resume, with what token)
 * belongs to the server and client transports.
 */
export class LinkSession {
  readonly events = new Emitter<SessionEvents>()
  readonly book: SessionBook
  readonly pipes: { unreliable: SwitchablePipe; reliable: SwitchablePipe }
  suspended = false
  private link: AnyLink | undefined
  private graceTimer: unknown
  private suspendedAt = 0
  private waiters: (() => void)[] = []

  constructor(
    channels: ChannelPipes,
    readonly options: SessionOptions = DEFAULT_SESSION,
  ) {
    this.book = new SessionBook(options)
    this.pipes = { unreliable: new SwitchablePipe(channels.unreliable), reliable: new SwitchablePipe(channels.reliable) }
  }

  /** Hooks into the link built on `this.pipes` (done once, right after constructing it). */
  bind<S extends Schema, I extends MessageName<S>, O extends MessageName<S>>(link: Link<S, I, O>): void {
    const l = link as unknown as AnyLink
    this.link = l
    l.session = this
    l.onEngine('ack', ({ n }) => {
      if (!this.book.peerReceived(n)) l.close('closed', `impossible ack ${n} (sent ${this.book.sent})`)
    })
    l.events.on('close', () => {
      l.options.clock.clearTimeout(this.graceTimer)
      this.suspended = false
      this.flushWaiters()
    })
  }

  // ---- hooks called by the link ----------------------------------------------------------------------

  /** An application reliable message is going out: keep it. False: do not put it on the wire (now). */
  outgoing(frame: Uint8Array): boolean {
    const refused = this.book.record(frame)
    if (refused) {
      this.link?.close('overflow', refused)
      return false
    }
    return !this.suspended
  }

  /** An application reliable message arrived whole. */
  incoming(bytes: number): void {
    if (this.book.noteReceived(bytes)) this.sendAck()
  }

  /** Every ping interval: an ack if anything arrived since the last one. */
  tick(): void {
    if (!this.suspended && this.book.ackDue) this.sendAck()
  }

  /** The connection died. True: the session holds the link open for a resume. */
  lost(reason: DisconnectReason, detail: string): boolean {
    const link = this.link
    if (!link || link.closed || this.options.graceMs <= 0) return false
    if (this.suspended) return true
    this.suspended = true
    this.suspendedAt = link.options.clock.now()
    this.pipes.unreliable.detach()
    this.pipes.reliable.detach()
    this.graceTimer = link.options.clock.setTimeout(
      () => link.close('timeout', `not resumed within ${this.options.graceMs} ms (${reason}: ${detail})`, false),
      this.options.graceMs,
    )
    this.events.emit('suspended', reason, detail)
    return true
  }

  /** Resolves when the session is running again (or closed). */
  whenRunning(): Promise<void> {
    if (!this.suspended) return Promise.resolve()
    return new Promise((resolve) => this.waiters.push(resolve))
  }

  // ---- resuming --------------------------------------------------------------------------------------

  /** Puts a new connection's channels under the link; half-sent data of the old one is dropped (replayed later). */
  attach(channels: ChannelPipes): void {
    if (!this.suspended) this.lost('closed', 'replaced by a resume')
    this.pipes.unreliable.attach(channels.unreliable)
    this.pipes.reliable.attach(channels.reliable)
    this.link?.restartReliable()
  }

  /** Back to the suspended state after a resume attempt that did not complete. */
  detach(): void {
    this.pipes.unreliable.detach()
    this.pipes.reliable.detach()
  }

  /**
   * The peer has received `peerReceived` of our messages: sends it the rest, in order, and runs again.
   * False if the count is impossible (the session cannot continue).
   */
  complete(peerReceived: number): boolean {
    const link = this.link
    if (!link || link.closed) return false
    if (!this.book.peerReceived(peerReceived)) return false
    const replay = this.book.unacked()
    for (const frame of replay) link.replayReliable(frame)
    link.options.clock.clearTimeout(this.graceTimer)
    this.suspended = false
    const suspendedMs = link.options.clock.now() - this.suspendedAt
    this.flushWaiters()
    this.events.emit('resumed', { replayed: replay.length, suspendedMs })
    return true
  }

  private sendAck(): void {
    this.link?.sendEngine('ack', { n: this.book.takeAck() })
  }

  private flushWaiters(): void {
    const w = this.waiters
    this.waiters = []
    for (const resolve of w) resolve()
  }
}
