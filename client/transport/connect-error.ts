import type { DisconnectReason } from '../../shared/transport/index'

export type ConnectFailure = 'unreachable' | 'timeout' | DisconnectReason

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
