/**
 * Example game rule shared by client and server: top-down movement at a capped speed.
 * Pure and deterministic (same inputs, same floats, on both ends), which is what lets the client
 * predict and the server stay authoritative.
 */

// Type aliases, not interfaces: they satisfy NumericState's index signature.
export type MoveState = {
  readonly x: number
  readonly y: number
}

export type MoveInput = {
  /** 16-bit, wrapping. */
  readonly seq: number
  /** Desired direction; a vector longer than 1 is clamped (analogue sticks, diagonal keys, cheats). */
  readonly moveX: number
  readonly moveY: number
}

/** Units per second. */
export const MAX_SPEED = 6

/** Advances `state` by one input held for `dtMs`. */
export function simulate(state: MoveState, input: MoveInput, dtMs: number): MoveState {
  const len = Math.hypot(input.moveX, input.moveY)
  if (!(len > 0) || !Number.isFinite(len)) return state
  const k = (MAX_SPEED * Math.min(1, len)) / len
  const dt = dtMs / 1000
  return { x: state.x + input.moveX * k * dt, y: state.y + input.moveY * k * dt }
}

/**
 * Server-side check of a client's input: non-finite values are refused (undefined), and the direction
 * is clamped to length 1 so no input moves faster than MAX_SPEED, whatever the client sent.
 *
 * The client must run its own inputs through this too before predicting with them: a clamped input
 * differs from the raw one in the last bits, and prediction is only exact if both ends simulate the
 * same floats. Idempotent for that reason (a vector already clamped is within 1e-9 of length 1).
 */
export function sanitizeMoveInput(input: MoveInput): MoveInput | undefined {
  const { seq, moveX, moveY } = input
  if (!Number.isFinite(moveX) || !Number.isFinite(moveY)) return undefined
  const len = Math.hypot(moveX, moveY)
  if (len <= 1 + 1e-9) return { seq, moveX, moveY }
  return { seq, moveX: moveX / len, moveY: moveY / len }
}
