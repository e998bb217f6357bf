/** Why a frame or a value was refused. Stable strings: they are counted in the stats by code. */
export type SchemaErrorCode =
  | 'frame-too-large'
  | 'malformed'
  | 'unknown-id'
  | 'wrong-direction'
  | 'wrong-type'
  | 'out-of-range'
  | 'too-long'
  | 'unknown-key'
  | 'missing-key'

/** A value did not match its declaration (on send) or a received frame was refused (on receipt). */
export class SchemaError extends Error {
  override readonly name = 'SchemaError'
  constructor(
    readonly code: SchemaErrorCode,
    /** Where in the message: `chat.text`, `snapshot.entities[3].x`. */
    readonly path: string,
    /** What was wrong, without the code and path. */
    readonly detail: string,
  ) {
    super(`${code} at ${path}: ${detail}`)
  }
}
