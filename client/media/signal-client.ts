import type { Payload, Schema } from '../../shared/schema/index'
import { requireMessages } from '../../shared/schema/require'
import { signalMessages, type CallEndReason, type SignalDeclarations, type SignalErrorCode } from '../../shared/signalling/signal-messages'
import { Emitter } from '../../shared/transport/emitter'
import type { GameClient } from '../transport/game-client'
import type { CandidateInit, MeshSignal, SignalTransport } from './signal-types'

type SignalSchema = Schema<SignalDeclarations>

export interface SignalClientEvents {
  /** Someone outside our room calls: answer with `answer(from, accept)`. */
  incomingCall: [{ from: string; name: string }]
  callAnswered: [{ from: string; accept: boolean }]
  callEnded: [{ from: string; reason: CallEndReason }]
  /** The server refused something we sent to `to`. */
  error: [{ to: string; code: SignalErrorCode; detail: string }]
}

/**
 * The client end of the SignalRelay: a SignalTransport for the mesh, plus direct calls to peers
 * outside our room. Create it after `client.connect()`.
 */
export class SignalClient<S extends Schema<SignalDeclarations>> implements SignalTransport {
  readonly events = new Emitter<SignalClientEvents>()
  private readonly client: GameClient<SignalSchema>
  private listeners = new Set<(from: string, signal: MeshSignal) => void>()
  private unsubscribe: (() => void)[]

  constructor(client: GameClient<S>) {
    requireMessages(client.schema, signalMessages, 'SignalClient')
    // Checked above: the app's schema declares these messages exactly as signalMessages does.
    this.client = client as unknown as GameClient<SignalSchema>
    const c = this.client
    this.unsubscribe = [
      c.on('rtcDescriptionFrom', (d) => this.deliver(d.from, { description: { type: d.type, sdp: d.sdp } })),
      c.on('rtcCandidateFrom', (d) => this.deliver(d.from, { candidate: candidateOf(d) })),
      c.on('callIncoming', (d) => this.events.emit('incomingCall', d)),
      c.on('callAnswered', (d) => this.events.emit('callAnswered', d)),
      c.on('callEnded', (d) => this.events.emit('callEnded', d)),
      c.on('signalError', (d) => this.events.emit('error', d)),
    ]
  }

  send(to: string, signal: MeshSignal): void {
    if ('description' in signal) this.client.send('rtcDescription', { to, ...signal.description })
    else this.client.send('rtcCandidate', { to, ...candidateOf(signal.candidate) })
  }

  onSignal(listener: (from: string, signal: MeshSignal) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Asks `to` for a call; nothing is relayed between us until they accept. */
  call(to: string): void {
    this.client.send('callRequest', { to })
  }

  answer(from: string, accept: boolean): void {
    this.client.send('callAnswer', { to: from, accept })
  }

  /** Ends a call (or withdraws a request). */
  hangup(peer: string): void {
    this.client.send('callHangup', { to: peer })
  }

  dispose(): void {
    for (const off of this.unsubscribe) off()
    this.listeners.clear()
  }

  private deliver(from: string, signal: MeshSignal): void {
    for (const l of [...this.listeners]) l(from, signal)
  }
}

/** Only the declared candidate fields, with absent ones left out (browsers give null). */
function candidateOf(c: CandidateInit | Payload<SignalSchema, 'rtcCandidateFrom'>): CandidateInit {
  const out: CandidateInit = { candidate: c.candidate }
  if (c.sdpMid != null) out.sdpMid = c.sdpMid
  if (c.sdpMLineIndex != null) out.sdpMLineIndex = c.sdpMLineIndex
  if (c.usernameFragment != null) out.usernameFragment = c.usernameFragment
  return out
}
