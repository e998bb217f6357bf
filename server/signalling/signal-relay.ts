import { requireMessages } from '../../shared/schema/require'
import type { Payload, Schema } from '../../shared/schema/index'
import { signalMessages, type SignalDeclarations, type SignalErrorCode } from '../../shared/signalling/signal-messages'
import { TokenBucket } from '../../shared/transport/token-bucket'
import type { PeerDirectory } from '../lobby/directory'
import type { GameServer } from '../transport/game-server'
import type { ServerConnection } from '../transport/server-connection'
import { CallBook, type Call } from './call-book'

type SignalSchema = Schema<SignalDeclarations>
type SignalConn = ServerConnection<SignalSchema>
type Msg<N extends keyof SignalDeclarations & string> = Payload<SignalSchema, N>

/** Per-peer budgets, in messages per second and burst. */
export interface SignalRates {
  descriptions: [perSecond: number, burst: number]
  candidates: [perSecond: number, burst: number]
  calls: [perSecond: number, burst: number]
}

export interface SignalRelayOptions {
  rates: SignalRates
  /** A call not answered by then ends ('timeout'). */
  ringTimeoutMs: number
  /** Calls one peer may have ringing at once. */
  maxRingingPerCaller: number
  now: () => number
}

export const DEFAULT_SIGNAL_RELAY: SignalRelayOptions = {
  // A mesh of 8 trickling ~30 candidates to each peer bursts to ~200.
  rates: { descriptions: [10, 40], candidates: [100, 300], calls: [1, 5] },
  ringTimeoutMs: 30_000,
  maxRingingPerCaller: 3,
  now: () => performance.now(),
}

export interface SignalRelayStats {
  descriptions: number
  candidates: number
  /** Refused signalling messages and call requests, by code. */
  refused: Partial<Record<SignalErrorCode, number>>
}

interface Budget {
  descriptions: TokenBucket
  candidates: TokenBucket
  calls: TokenBucket
}

/**
 * Relays WebRTC offers, answers and ICE candidates between peers, stamping the sender itself.
 * Allowed: two peers in the same room, or two peers with an accepted call. Everything else is refused
 * with a `signalError` and counted. The server never sees media, only these texts.
 */
export class SignalRelay<S extends Schema<SignalDeclarations>> {
  readonly options: SignalRelayOptions
  readonly stats: SignalRelayStats = { descriptions: 0, candidates: 0, refused: {} }
  readonly calls: CallBook
  private readonly server: GameServer<SignalSchema>
  private budgets = new Map<string, Budget>()
  private unsubscribe: (() => void)[]
  private sweeper: ReturnType<typeof setInterval>

  constructor(
    server: GameServer<S>,
    private readonly directory: PeerDirectory,
    options: Partial<SignalRelayOptions> = {},
  ) {
    requireMessages(server.schema, signalMessages, 'SignalRelay')
    // Checked above: the app's schema declares these messages exactly as signalMessages does.
    this.server = server as unknown as GameServer<SignalSchema>
    this.options = { ...DEFAULT_SIGNAL_RELAY, ...options }
    this.calls = new CallBook(this.options.ringTimeoutMs)
    const s = this.server
    this.unsubscribe = [
      s.on('rtcDescription', (d, c) => this.relay(c, d.to, 'descriptions', (to, from) => to.send('rtcDescriptionFrom', { from, type: d.type, sdp: d.sdp }))),
      s.on('rtcCandidate', (d, c) =>
        this.relay(c, d.to, 'candidates', (to, from) =>
          to.send('rtcCandidateFrom', { from, candidate: d.candidate, sdpMid: d.sdpMid, sdpMLineIndex: d.sdpMLineIndex, usernameFragment: d.usernameFragment }),
        ),
      ),
      s.on('callRequest', (d, c) => this.request(d, c)),
      s.on('callAnswer', (d, c) => this.answer(d, c)),
      s.on('callHangup', (d, c) => this.hangup(d, c)),
      directory.onPeerLeft((peer) => this.left(peer)),
    ]
    this.sweeper = setInterval(() => this.expire(), 1000)
    this.sweeper.unref?.()
  }

  close(): void {
    clearInterval(this.sweeper)
    for (const off of this.unsubscribe) off()
  }

  /** Whether `from` may send signalling to `to` right now. */
  allowed(from: string, to: string): boolean {
    if (from === to) return false
    const room = this.directory.roomOf(from)
    return (room !== undefined && room === this.directory.roomOf(to)) || this.calls.accepted(from, to)
  }

  private relay(conn: SignalConn, to: string, kind: 'descriptions' | 'candidates', forward: (target: SignalConn, from: string) => void): void {
    const from = this.peerOf(conn)
    if (from === undefined) return
    if (!this.budget(from)[kind].take(1, this.options.now())) return this.refuse(conn, to, 'rate-limited', `too many ${kind}`)
    const target = this.connOf(to)
    if (!target) return this.refuse(conn, to, 'offline', 'no such peer online')
    if (!this.allowed(from, to)) return this.refuse(conn, to, 'not-allowed', 'not in your room and no accepted call')
    this.stats[kind]++
    forward(target, from)
  }

  private request(d: Msg<'callRequest'>, conn: SignalConn): void {
    const caller = this.peerOf(conn)
    if (caller === undefined) return
    if (!this.budget(caller).calls.take(1, this.options.now())) return this.refuse(conn, d.to, 'rate-limited', 'too many call requests')
    const callee = this.connOf(d.to)
    if (!callee || d.to === caller) return this.refuse(conn, d.to, 'offline', 'no such peer online')
    const existing = this.calls.get(caller, d.to)
    // Both called each other: that is an answer, for both.
    if (existing?.state === 'ringing' && existing.caller === d.to) {
      this.answer({ to: d.to, accept: true }, conn)
      return void conn.send('callAnswered', { from: d.to, accept: true })
    }
    if (existing) return this.refuse(conn, d.to, 'busy', `a call is already ${existing.state}`)
    if (this.calls.ringingFrom(caller) >= this.options.maxRingingPerCaller) return this.refuse(conn, d.to, 'busy', 'too many calls ringing')
    this.calls.ring(caller, d.to, this.options.now())
    callee.send('callIncoming', { from: caller, name: (this.directory.nameOf(caller) ?? caller).slice(0, 64) })
  }

  private answer(d: Msg<'callAnswer'>, conn: SignalConn): void {
    const callee = this.peerOf(conn)
    if (callee === undefined) return
    const call = this.calls.get(callee, d.to)
    if (!call || call.state !== 'ringing' || call.callee !== callee) return this.refuse(conn, d.to, 'invalid', 'no call from this peer is ringing')
    if (d.accept) call.state = 'accepted'
    else this.calls.end(callee, d.to)
    this.connOf(d.to)?.send('callAnswered', { from: callee, accept: d.accept })
  }

  private hangup(d: Msg<'callHangup'>, conn: SignalConn): void {
    const peer = this.peerOf(conn)
    if (peer === undefined || !this.calls.end(peer, d.to)) return
    this.connOf(d.to)?.send('callEnded', { from: peer, reason: 'hangup' })
  }

  private left(peer: string): void {
    this.budgets.delete(peer)
    for (const call of this.calls.endAll(peer)) {
      const other = call.caller === peer ? call.callee : call.caller
      this.connOf(other)?.send('callEnded', { from: peer, reason: 'left' })
    }
  }

  private expire(): void {
    for (const call of this.calls.expire(this.options.now())) this.notifyBoth(call, 'timeout')
  }

  private notifyBoth(call: Call, reason: 'timeout'): void {
    this.connOf(call.caller)?.send('callEnded', { from: call.callee, reason })
    this.connOf(call.callee)?.send('callEnded', { from: call.caller, reason })
  }

  private refuse(conn: SignalConn, to: string, code: SignalErrorCode, detail: string): void {
    this.stats.refused[code] = (this.stats.refused[code] ?? 0) + 1
    conn.send('signalError', { to, code, detail })
  }

  private budget(peer: string): Budget {
    let b = this.budgets.get(peer)
    if (!b) {
      const { rates, now } = this.options
      const bucket = ([rate, burst]: [number, number]) => new TokenBucket(rate, burst, now())
      this.budgets.set(peer, (b = { descriptions: bucket(rates.descriptions), candidates: bucket(rates.candidates), calls: bucket(rates.calls) }))
    }
    return b
  }

  private peerOf(conn: SignalConn): string | undefined {
    return this.directory.peerIdOf(conn)
  }

  private connOf(peer: string): SignalConn | undefined {
    const conn = this.directory.connectionOf(peer)
    return conn && !conn.closed ? (conn as unknown as SignalConn) : undefined
  }
}
