import type { DisconnectReason } from '../../shared/transport/index'

/** Refusals of the server's connection-setup request, by HTTP status (see server/transport/http-front-door.ts). */
export type SetupRefusal = 'unauthorized' | 'forbidden' | 'too-many-connections' | 'server-full'

/** `turn-failed`: relay-only, and no TURN server gave us a relay candidate (wrong credentials, unreachable). */
export type ConnectFailure = 'unreachable' | 'timeout' | 'turn-failed' | SetupRefusal | DisconnectReason

const REFUSALS: Record<number, [SetupRefusal, string]> = {
  401: ['unauthorized', 'the server wants a valid token (GameClientOptions.authorization)'],
  403: ['forbidden', "this page's origin is not allowed to connect"],
  429: ['too-many-connections', 'too many connections or attempts from this address; retry later'],
  503: ['server-full', 'the server is at its connection limit; retry later'],
}

/** Whether the server answered and refused (token, origin, caps): another transport would be refused too. */
export function isSetupRefusal(err: unknown): boolean {
  return err instanceof ConnectError && Object.values(REFUSALS).some(([reason]) => reason === err.reason)
}

/** Why `connect()` failed: server unreachable, refused (token, origin, caps), schema mismatch, ... */
export class ConnectError extends Error {
  override readonly name = 'ConnectError'
  constructor(
    readonly reason: ConnectFailure,
    detail: string,
  ) {
    super(`${reason}: ${detail}`)
  }

  /** The error for a failed setup request: by its HTTP status when the server refused it. */
  static fromSetup(err: { message?: unknown; status?: unknown }): ConnectError {
    const refusal = typeof err.status === 'number' ? REFUSALS[err.status] : undefined
    if (refusal) return new ConnectError(refusal[0], `${refusal[1]} (HTTP ${err.status as number})`)
    // Node's fetch names the cause; a refused TCP connection means no server process listens there.
    const code = (err as { cause?: { code?: unknown } }).cause?.code
    if (code === 'ECONNREFUSED') return new ConnectError('unreachable', 'connection refused: no server is running there')
    return new ConnectError('unreachable', String(err.message ?? err))
  }
}
