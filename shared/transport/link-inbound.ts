import { engineSchema, type DisconnectReason } from '../protocol/engine'
import { decodeMessage, FIRST_APP_ID, type MessageSpec, type Schema } from '../schema/index'
import type { Emitter } from './emitter'
import { Reassembler } from './fragments'
import type { LinkEvents, Role } from './link'
import type { LinkConditioner } from './link-conditioner'
import type { LinkMeter } from './link-meter'
import type { LinkOptions } from './link-options'
import { PeerGuards } from './peer-guards'
import { LinkError, type RejectCode } from './reject'
import type { LinkSessionHooks } from './session-hooks'

type Handler = (data: never) => void
export type Channel = 'reliable' | 'unreliable'

/** What the receive path reads of its Link (all public there) and the one thing it does to it: close it. */
export interface InboundHost {
  readonly schema: Schema
  readonly role: Role
  readonly options: LinkOptions
  readonly events: Emitter<LinkEvents>
  readonly meter: LinkMeter
  readonly incoming: LinkConditioner
  readonly ready: boolean
  readonly closed: boolean
  readonly session: LinkSessionHooks | undefined
  readonly relay: ((name: string, data: unknown) => void) | undefined
  close(reason: DisconnectReason, detail: string): void
}

/**
 * A Link's receive path: every frame from the network is checked here (text frames, budget, sequence,
 * reassembly, schema, channel) before the listeners for its message name are called.
 */
export class LinkInbound {
  /** When anything last arrived (the heartbeat timeout counts from it). */
  lastHeard: number
  private handlers = new Map<string, Set<Handler>>()
  private engineHandlers = new Map<string, Handler>()
  private reassembler: Reassembler
  private guards: PeerGuards

  constructor(private readonly link: InboundHost) {
    const now = link.options.clock.now()
    this.guards = new PeerGuards(link.options, now)
    this.reassembler = this.newReassembler()
    this.lastHeard = now
  }

  /** Listens for one application message name; returns a function that removes the listener. */
  on(name: string, handler: Handler): () => void {
    let set = this.handlers.get(name)
    if (!set) this.handlers.set(name, (set = new Set()))
    set.add(handler)
    return () => set.delete(handler)
  }

  /** The one handler of an engine message. */
  onEngine(name: string, handler: Handler): void {
    this.engineHandlers.set(name, handler)
  }

  /** The link closed: no listener is called again. */
  clearHandlers(): void {
    this.handlers.clear()
  }

  /** Session resume: what was half received on the old channels is dropped. */
  restart(): void {
    this.reassembler = this.newReassembler()
    this.lastHeard = this.link.options.clock.now()
  }

  receive(frame: Uint8Array | string, channel: Channel): void {
    const link = this.link
    if (link.closed) return
    if (typeof frame === 'string') return this.reject('text-frame', `text frame of ${frame.length} chars on the ${channel} channel`)
    if (link.incoming.active) {
      const copy = frame.slice()
      if (channel === 'unreliable') link.incoming.unreliable(copy, (b) => this.receiveBinary(b, channel))
      else link.incoming.ordered(copy, (b) => this.receiveBinary(b, channel))
    } else this.receiveBinary(frame, channel)
  }

  private receiveBinary(bytes: Uint8Array, channel: Channel): void {
    const { link } = this
    if (link.closed) return
    const now = link.options.clock.now()
    this.lastHeard = now
    link.meter.bytesIn += bytes.byteLength
    // Unreliable frames over budget are dropped whole; reliable ones never (see PeerGuards.admit).
    const admission = this.guards.admit(bytes, channel, now)
    if (admission === 'rate-limit') return link.close('rate-limit', 'sent far over its message budget')
    if (admission === 'drop') return this.reject('rate-limited', `over budget (${link.options.rateLimit && link.options.rateLimit.messagesPerSecond} msg/s)`)
    if (channel === 'unreliable') {
      if (bytes.byteLength < 3) return this.reject('malformed', `unreliable frame of ${bytes.byteLength} bytes`)
      if (!link.meter.loss.record(bytes[0]! | (bytes[1]! << 8))) return
      return this.dispatch(bytes.subarray(2), channel)
    }
    const r = this.reassembler.push(bytes)
    if (r === null) return
    if (!r.ok) return this.reject(r.reason, 'reliable frame refused while reassembling')
    if (link.session && r.frame[0]! >= FIRST_APP_ID) link.session.incoming(r.frame.byteLength)
    this.dispatch(r.frame, channel)
  }

  private dispatch(frame: Uint8Array, channel: Channel): void {
    const { link } = this
    const engine = frame[0]! < FIRST_APP_ID
    if (!engine && !link.ready) return this.reject('handshake', 'application message before the handshake')
    const decoded = decodeMessage(engine ? engineSchema : link.schema, frame, link.role === 'server' ? 'toServer' : 'toClient')
    if (!decoded.ok) return this.reject(decoded.error.code, decoded.error.message, decoded.error)
    const { spec, data } = decoded
    if (spec.channel !== channel) return this.reject('wrong-channel', `${spec.name} is declared ${spec.channel}`)
    link.meter.traffic(spec, frame.byteLength, 'in')
    if (engine) {
      const h = this.engineHandlers.get(spec.name)
      if (h) this.call(spec.name, h, data)
      return
    }
    const set = this.handlers.get(spec.name)
    if (set) for (const h of set) this.call(spec.name, h, data)
    if (link.relay) this.call(spec.name, link.relay, data, true)
  }

  /**
   * One throwing handler must not keep the message from the others, nor end the connection. (No
   * closure per call: this runs for every message received.) `relay` handlers take the name first.
   */
  private call(name: string, h: Handler | ((name: string, data: unknown) => void), data: unknown, relay = false): void {
    try {
      if (relay) (h as (name: string, data: unknown) => void)(name, data)
      else (h as Handler)(data as never)
    } catch (err) {
      this.reject('handler-error', `handler for ${name} threw: ${String(err)}`, err)
    }
  }

  private reject(code: RejectCode, message: string, cause?: unknown): void {
    const { link } = this
    link.meter.rejected[code] = (link.meter.rejected[code] ?? 0) + 1
    // A flood of refusals must not cost an Error (and its stack trace) each: the stats count them all.
    if (link.events.has('error') && this.guards.reportable(link.options.clock.now())) link.events.emit('error', new LinkError(code, message, cause))
    if (this.guards.refusedTooMany(code, link.options.clock.now())) link.close('protocol-error', `too many refused frames (last: ${code})`)
  }

  private newReassembler(): Reassembler {
    return new Reassembler((id) => Math.min(this.link.options.maxReliableMessageBytes, 1 + (this.specFor(id)?.payload.maxWireBytes ?? 0)))
  }

  private specFor(id: number): MessageSpec | undefined {
    return id < FIRST_APP_ID ? engineSchema.byId[id] : this.link.schema.byId[id]
  }
}
