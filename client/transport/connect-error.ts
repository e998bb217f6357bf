import type { DisconnectReason } from '../../shared/transport/index'

/** `turn-failed`: relay-only, and no TURN server gave us a relay candidate (wrong credentials, unreachable). */
export type ConnectFailure = 'unreachable' | 'timeout' | 'turn-failed' | DisconnectReason

/** Why `connect()` failed: server unreachable, schema mismatch (client built against another schema), ... */
export class ConnectError extends Error {
  override readonly name = 'ConnectError'
  constructor(
    readonly reason: ConnectFailure,
    detail: string,
  ) {
    super(`${reason}: ${detail}`)
  }
}
