import { FLOAT32_OPTIONS, Packr, RESERVE_START_SPACE, Unpackr } from 'msgpackr'
import type { Direction, MessageSpec, Schema } from './define'
import { SchemaError } from './errors'

/** Bytes left free before the message id, for the transport's header (sequence number or fragment flag). */
export const HEADROOM = 2

// Plain data only: no records a peer could define, no cloning, no extension types on our side.
const packr = new Packr({ useRecords: false, structuredClone: false, moreTypes: false, useFloat32: FLOAT32_OPTIONS.ALWAYS, int64AsType: 'number' })
const unpackr = new Unpackr({ useRecords: false, structuredClone: false, mapsAsObjects: true, int64AsType: 'number' })

export type Decoded = { ok: true; spec: MessageSpec; data: unknown } | { ok: false; error: SchemaError }

/**
 * Encodes `[headroom][id][msgpack payload]`. The payload is the message's fields in declaration
 * order (a msgpack array), checked against the schema on the way in. Throws SchemaError.
 */
export function encodeMessage(spec: MessageSpec, data: unknown): Uint8Array {
  const wire = spec.payload.toWire(data, spec.name)
  const packed = packr.pack(wire, RESERVE_START_SPACE | (HEADROOM + 1))
  // A plain Uint8Array view, not Node's Buffer: the transport copies frames with `.slice()`, which on a
  // Buffer returns a view, so a frame sent to many links would share (and overwrite) sequence numbers.
  const out = new Uint8Array(packed.buffer, packed.byteOffset, packed.byteLength)
  out[HEADROOM] = spec.id
  return out
}

/**
 * Decodes `[id][msgpack payload]` received from a peer whose sends are allowed in `from` direction.
 * Order of checks: id known, size within what the declaration can produce, direction, then decode
 * and validate every field. Never throws.
 */
export function decodeMessage(schema: Schema, frame: Uint8Array, from: Exclude<Direction, 'both'>): Decoded {
  if (frame.byteLength < 2) return reject('malformed', 'frame', `${frame.byteLength} bytes is too short`)
  const id = frame[0]!
  const spec = schema.byId[id]
  if (!spec) return reject('unknown-id', 'frame', `message id ${id} is not declared`)
  if (frame.byteLength - 1 > spec.payload.maxWireBytes)
    return reject('frame-too-large', spec.name, `${frame.byteLength} bytes exceeds the declared maximum ${spec.payload.maxWireBytes + 1}`)
  if (spec.direction !== 'both' && spec.direction !== from) return reject('wrong-direction', spec.name, `only ${spec.direction}`)
  let wire: unknown
  try {
    wire = unpackr.unpack(frame.subarray(1))
  } catch (err) {
    return reject('malformed', spec.name, err instanceof Error ? err.message : String(err))
  }
  try {
    return { ok: true, spec, data: spec.payload.fromWire(wire, spec.name) }
  } catch (err) {
    if (err instanceof SchemaError) return { ok: false, error: err }
    return reject('malformed', spec.name, String(err))
  }
}

function reject(code: SchemaError['code'], path: string, detail: string): Decoded {
  return { ok: false, error: new SchemaError(code, path, detail) }
}
