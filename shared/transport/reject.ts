import type { SchemaErrorCode } from '../schema/index'

/** Why an incoming frame was refused; counted per code in `NetStats.rejected`. */
export type RejectCode = SchemaErrorCode | 'rate-limited' | 'text-frame' | 'handshake' | 'wrong-channel' | 'handler-error'

/** Reported through the link's `error` event; the connection carries on. */
export class LinkError extends Error {
  override readonly name = 'LinkError'
  constructor(
    readonly code: RejectCode,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(`${code}: ${message}`)
  }
}
