import { BAIL, codegenAvailable, compile, type Compiled } from './codegen'
import type { Direction, MessageSpec, Schema } from './define'
import { SchemaError } from './errors'
import { Reader } from './reader'
import { wellFormed } from './well-formed'
import { Writer } from './writer'

/** Bytes left free before the message id, for the transport's header (sequence number or fragment flag). */
export const HEADROOM = 2

// One writer and one reader for every message: encode and decode are synchronous and never re-entered.
const writer = new Writer()
const reader = new Reader()

export type Decoded = { ok: true; spec: MessageSpec; data: unknown } | { ok: false; error: SchemaError }

/**
 * `auto`: where generating code is allowed (a server runtime, not a browser or worker; probed once),
 * each message gets a generated codec for its happy path (codegen.ts), with the closures as the
 * fallback that decides every refusal. `closures`: the closures only (tests; a server that forbids eval).
 */
export type CodecMode = 'auto' | 'closures'
let mode: CodecMode = 'auto'
let generationAllowed: boolean | undefined
const generated = new WeakMap<MessageSpec, Compiled | null>()

export function setCodecMode(next: CodecMode): void {
  mode = next
}

/** The message's generated codec, built at first use; null in `closures` mode or where it cannot be. */
export function generatedCodec(spec: MessageSpec): Compiled | null {
  if (mode === 'closures') return null
  let compiled = generated.get(spec)
  if (compiled === undefined) {
    generationAllowed ??= codegenAvailable()
    compiled = (generationAllowed ? compile(spec.payload) : undefined) ?? null
    generated.set(spec, compiled)
  }
  return compiled
}

/** The generated decoder's result, or BAIL (also if it threw, which it should never do: the closures then decide). */
function decodeGenerated(compiled: Compiled, r: Reader, frame: Uint8Array): unknown {
  try {
    r.reset(frame, 1)
    const data = compiled.decode(r)
    return r.pos === frame.byteLength ? data : BAIL
  } catch {
    return BAIL
  }
}

/**
 * Encodes `[headroom][id][msgpack payload]`. The payload is the message's fields in declaration
 * order (a msgpack array), checked against the schema while it is written. Throws SchemaError.
 * The result is a fresh plain Uint8Array (not a Buffer, not a view of the shared buffer): a frame
 * sent to many links keeps its bytes, and the transport may write its header into the headroom.
 */
export function encodeMessage(spec: MessageSpec, data: unknown): Uint8Array {
  writeMessage(spec, data)
  return writer.take()
}

/**
 * As `encodeMessage`, but a view of the shared encode buffer, valid only until the next encode: for
 * a frame sent at once to a pipe that copies it (no allocation per message). Throws SchemaError.
 */
export function encodeMessageView(spec: MessageSpec, data: unknown): Uint8Array {
  writeMessage(spec, data)
  return writer.buf.subarray(0, writer.at)
}

function writeMessage(spec: MessageSpec, data: unknown): void {
  writer.at = HEADROOM + 1
  const compiled = generatedCodec(spec)
  if (compiled === null || !compiled.encode(data, writer)) encodeWithClosures(spec, data)
  writer.buf[HEADROOM] = spec.id
}

function encodeWithClosures(spec: MessageSpec, data: unknown): void {
  writer.at = HEADROOM + 1
  try {
    spec.payload.write(data, writer)
  } catch (err) {
    if (err instanceof SchemaError) throw new SchemaError(err.code, spec.name + err.path, err.detail)
    throw err
  }
}

/**
 * Decodes `[id][msgpack payload]` received from a peer whose sends are allowed in `from` direction.
 * Order of checks: id known, size within what the declaration can produce, direction, then read
 * and validate every field. A frame that is not one well-formed msgpack value is `malformed` even
 * where a field was also wrong (as when the whole frame was parsed first). Never throws.
 */
export function decodeMessage(schema: Schema, frame: Uint8Array, from: Exclude<Direction, 'both'>): Decoded {
  if (frame.byteLength < 2) return reject('malformed', 'frame', `${frame.byteLength} bytes is too short`)
  const id = frame[0]!
  const spec = schema.byId[id]
  if (!spec) return reject('unknown-id', 'frame', `message id ${id} is not declared`)
  if (frame.byteLength - 1 > spec.payload.maxWireBytes)
    return reject('frame-too-large', spec.name, `${frame.byteLength} bytes exceeds the declared maximum ${spec.payload.maxWireBytes + 1}`)
  if (spec.direction !== 'both' && spec.direction !== from) return reject('wrong-direction', spec.name, `only ${spec.direction}`)
  const r = reader
  try {
    const compiled = generatedCodec(spec)
    if (compiled !== null) {
      const data = decodeGenerated(compiled, r, frame)
      if (data !== BAIL) return { ok: true, spec, data }
    }
    r.reset(frame, 1)
    const data = spec.payload.read(r)
    if (r.pos !== frame.byteLength) return reject('malformed', spec.name, `${frame.byteLength - r.pos} bytes after the payload`)
    return { ok: true, spec, data }
  } catch (err) {
    if (!(err instanceof SchemaError)) return reject('malformed', spec.name, String(err))
    if (err.code === 'malformed') return reject('malformed', spec.name, `${err.detail} (in ${spec.name}${err.path})`)
    if (!wellFormed(frame, 1)) return reject('malformed', spec.name, `not one well-formed msgpack value (${err.message})`)
    return { ok: false, error: new SchemaError(err.code, spec.name + err.path, err.detail) }
  } finally {
    r.release()
  }
}

function reject(code: SchemaError['code'], path: string, detail: string): Decoded {
  return { ok: false, error: new SchemaError(code, path, detail) }
}
