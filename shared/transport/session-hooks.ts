import type { DisconnectReason } from '../protocol/engine'

/** What a session layer (shared/transport/session.ts) hooks into: numbering, keeping and replaying reliable messages. */
export interface LinkSessionHooks {
  readonly suspended: boolean
  /** An application reliable frame (`[free byte][id][payload]`) goes out; false: keep it off the wire. */
  outgoing(frame: Uint8Array): boolean
  /** An application reliable frame arrived whole. */
  incoming(bytes: number): void
  /** The heartbeat timed out; true: suspended for a resume instead of closing. */
  lost(reason: DisconnectReason, detail: string): boolean
  /** Every ping interval. */
  tick(): void
  whenRunning(): Promise<void>
}
