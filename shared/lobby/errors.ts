/** Why the lobby refused a request; carried by `lobbyError` and thrown by the client's methods. */
export const LOBBY_ERROR_CODES = [
  'invalid-name',
  'invalid-request',
  'invalid-text',
  'not-joined',
  'already-joined',
  'lobby-full',
  'room-full',
  'too-many-rooms',
  'wrong-password',
  'banned',
  'not-in-room',
  'not-owner',
  'rate-limited',
  'unknown-room',
  'unknown-peer',
  'resume-failed',
  'disconnected',
] as const
export type LobbyErrorCode = (typeof LOBBY_ERROR_CODES)[number]

export class LobbyError extends Error {
  override readonly name = 'LobbyError'
  constructor(
    readonly code: LobbyErrorCode,
    /** The explanation alone, without the code. */
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`)
  }
}
