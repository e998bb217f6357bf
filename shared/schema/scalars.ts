import { describe, fail, MSGPACK_HEADER, withShape, type Field } from './field'

const INT_RANGES = {
  uint8: [0, 0xff],
  uint16: [0, 0xffff],
  uint32: [0, 0xffffffff],
  int8: [-0x80, 0x7f],
  int16: [-0x8000, 0x7fff],
  int32: [-0x80000000, 0x7fffffff],
} as const
export type IntKind = keyof typeof INT_RANGES

export function integer(kind: IntKind): Field<number> {
  const [min, max] = INT_RANGES[kind]
  const check = (v: unknown, path: string): number => {
    if (typeof v !== 'number') fail('wrong-type', path, `expected ${kind}, got ${describe(v)}`)
    if (!Number.isInteger(v)) fail('wrong-type', path, `expected ${kind}, got non-integer ${v}`)
    if (v < min || v > max) fail('out-of-range', path, `${v} is outside ${kind} [${min}, ${max}]`)
    return v
  }
  const field: Field<number> = {
    signature: kind,
    maxWireBytes: 9,
    optional: false,
    toWire: check,
    fromWire: check,
    write: (v, w) => w.number(check(v, '')),
    read: (r) => check(r.number(kind), ''),
  }
  return withShape(field, { kind: 'int', min, max })
}

export interface FloatOptions {
  /** Inclusive bounds checked on send and on receipt. */
  min?: number
  max?: number
}

function checkFinite(v: unknown, path: string, what: string, o: FloatOptions): number {
  if (typeof v !== 'number') fail('wrong-type', path, `expected ${what}, got ${describe(v)}`)
  if (!Number.isFinite(v)) fail('out-of-range', path, `${what} must be finite, got ${v}`)
  if ((o.min !== undefined && v < o.min) || (o.max !== undefined && v > o.max))
    fail('out-of-range', path, `${v} is outside [${o.min ?? '-inf'}, ${o.max ?? 'inf'}]`)
  return v
}

/** 32-bit float: every non-integer travels as float32 (msgpackr `useFloat32: ALWAYS`; see Writer.number). */
export function float32(o: FloatOptions = {}): Field<number> {
  // Bounds are compared in float32, on both ends: a value sent at a bound arrives rounded, possibly just
  // past it (Math.fround(Math.PI) > Math.PI), and must be accepted, and be sendable on again (a relay).
  const min = o.min === undefined ? undefined : Math.fround(o.min)
  const max = o.max === undefined ? undefined : Math.fround(o.max)
  const check = (v: unknown, path: string): number => {
    const n = checkFinite(v, path, 'float32', {})
    const r = Math.fround(n)
    if ((min !== undefined && r < min) || (max !== undefined && r > max)) fail('out-of-range', path, `${n} is outside [${o.min ?? '-inf'}, ${o.max ?? 'inf'}]`)
    return n
  }
  const field: Field<number> = {
    signature: `float32(${o.min ?? ''},${o.max ?? ''})`,
    maxWireBytes: 9,
    optional: false,
    toWire: check,
    fromWire: check,
    write: (v, w) => w.number(check(v, '')),
    read: (r) => check(r.number('float32'), ''),
  }
  return withShape(field, { kind: 'float32', min, max })
}

/** 64-bit float. Travels as bin8 of its 8 bytes, because plain non-integers travel as float32. */
export function float64(o: FloatOptions = {}): Field<number> {
  const field: Field<number> = {
    signature: `float64(${o.min ?? ''},${o.max ?? ''})`,
    maxWireBytes: 10,
    optional: false,
    toWire(v, path) {
      const bytes = new Uint8Array(8)
      new DataView(bytes.buffer).setFloat64(0, checkFinite(v, path, 'float64', o))
      return bytes
    },
    fromWire(w, path) {
      if (!(w instanceof Uint8Array) || w.byteLength !== 8) fail('wrong-type', path, `expected float64, got ${describe(w)}`)
      return checkFinite(new DataView(w.buffer, w.byteOffset, 8).getFloat64(0), path, 'float64', o)
    },
    write: (v, w) => w.float64Bytes(checkFinite(v, '', 'float64', o)),
    read(r) {
      const b = r.binary('float64')
      if (b.byteLength !== 8) fail('wrong-type', '', `expected float64, got binary of ${b.byteLength} B`)
      return checkFinite(r.view.getFloat64(r.pos - 8), '', 'float64', o)
    },
  }
  return withShape(field, { kind: 'float64', min: o.min, max: o.max })
}

export interface QuantizedOptions {
  min: number
  max: number
  /** Resolution: 0.01 keeps positions to a hundredth of a unit. */
  step: number
}

/**
 * A float sent as an integer count of `step`s above `min`: 0.01 over [-1000, 1000] fits 3 bytes instead of 5.
 * Finite values outside the range are clamped on send (a position past the map edge is still a position);
 * NaN and Infinity are refused.
 */
export function quantized(o: QuantizedOptions): Field<number> {
  if (!(o.step > 0) || !(o.max > o.min)) throw new RangeError('quantized: need step > 0 and max > min')
  // Whole steps that fit in the range (rounding up would decode past `max`), with slack for float error.
  const steps = Math.floor(((o.max - o.min) / o.step) * (1 + 1e-9))
  const toWire = (v: unknown, path: string): number => {
    if (typeof v !== 'number') fail('wrong-type', path, `expected number, got ${describe(v)}`)
    if (!Number.isFinite(v)) fail('out-of-range', path, `quantized value must be finite, got ${v}`)
    const q = Math.round((v - o.min) / o.step)
    return q < 0 ? 0 : q > steps ? steps : q
  }
  const fromWire = (w: unknown, path: string): number => {
    if (typeof w !== 'number' || !Number.isInteger(w)) fail('wrong-type', path, `expected quantized integer, got ${describe(w)}`)
    if (w < 0 || w > steps) fail('out-of-range', path, `quantized ${w} outside [0, ${steps}]`)
    return o.min + w * o.step
  }
  const field: Field<number> = {
    signature: `quantized(${o.min},${o.max},${o.step})`,
    maxWireBytes: 9,
    optional: false,
    toWire,
    fromWire,
    write: (v, w) => w.number(toWire(v, '')),
    read: (r) => fromWire(r.number('quantized integer'), ''),
  }
  return withShape(field, { kind: 'quantized', min: o.min, step: o.step, steps })
}

export function boolean(): Field<boolean> {
  const check = (v: unknown, path: string): boolean => {
    if (typeof v !== 'boolean') fail('wrong-type', path, `expected boolean, got ${describe(v)}`)
    return v
  }
  const field: Field<boolean> = { signature: 'bool', maxWireBytes: 1, optional: false, toWire: check, fromWire: check, write: (v, w) => w.bool(check(v, '')), read: (r) => r.bool() }
  return withShape(field, { kind: 'bool' })
}

/** A string of at most `maxLength` UTF-16 code units. */
export function string(o: { maxLength: number }): Field<string> {
  const check = (v: unknown, path: string): string => {
    if (typeof v !== 'string') fail('wrong-type', path, `expected string, got ${describe(v)}`)
    if (v.length > o.maxLength) fail('too-long', path, `string of ${v.length} exceeds ${o.maxLength}`)
    return v
  }
  const field: Field<string> = {
    signature: `string(${o.maxLength})`,
    maxWireBytes: MSGPACK_HEADER + 3 * o.maxLength,
    optional: false,
    toWire: check,
    fromWire: check,
    write: (v, w) => w.string(check(v, '')),
    // More than 3 bytes per UTF-16 unit cannot fit (even invalid bytes decode to 1 unit per 3 or fewer).
    read: (r) => check(r.string(3 * o.maxLength, o.maxLength), ''),
  }
  return withShape(field, { kind: 'string', maxLength: o.maxLength })
}

/** One of a fixed list of strings, sent as its index. */
export function enumOf<const V extends readonly string[]>(values: V): Field<V[number]> {
  const index = new Map<string, number>(values.map((v, i) => [v, i]))
  const toWire = (v: unknown, path: string): number => {
    if (typeof v !== 'string') fail('wrong-type', path, `expected enum string, got ${describe(v)}`)
    const i = index.get(v)
    if (i === undefined) fail('out-of-range', path, `${String(v)} is not one of ${values.join(', ')}`)
    return i
  }
  const fromWire = (w: unknown, path: string): V[number] => {
    if (typeof w !== 'number' || !Number.isInteger(w)) fail('wrong-type', path, `expected enum index, got ${describe(w)}`)
    const v = values[w]
    if (v === undefined) fail('out-of-range', path, `enum index ${w} outside [0, ${values.length - 1}]`)
    return v
  }
  const field: Field<V[number]> = {
    // JSON, not a join: enum(['a|b']) and enum(['a', 'b']) must not share a fingerprint.
    signature: `enum(${JSON.stringify(values)})`,
    maxWireBytes: 3,
    optional: false,
    toWire,
    fromWire,
    write: (v, w) => w.number(toWire(v, '')),
    read: (r) => fromWire(r.number('enum index'), ''),
  }
  return withShape(field, { kind: 'enum', values, index })
}

/** Raw bytes, at most `maxLength`. */
export function binary(o: { maxLength: number }): Field<Uint8Array> {
  const check = (v: unknown, path: string): Uint8Array => {
    if (!(v instanceof Uint8Array)) fail('wrong-type', path, `expected binary, got ${describe(v)}`)
    if (v.byteLength > o.maxLength) fail('too-long', path, `binary of ${v.byteLength} B exceeds ${o.maxLength}`)
    return v
  }
  const field: Field<Uint8Array> = {
    signature: `binary(${o.maxLength})`,
    maxWireBytes: MSGPACK_HEADER + o.maxLength,
    optional: false,
    toWire: check,
    // A plain Uint8Array (not Node's Buffer, whose slice() is a view) over the same bytes: no copy.
    fromWire: (w, path) => {
      const b = check(w, path)
      return b.constructor === Uint8Array ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
    },
    write: (v, w) => w.binary(check(v, '')),
    // A view of the received frame, as msgpackr gave it: no copy.
    read: (r) => check(r.binary('binary'), ''),
  }
  return withShape(field, { kind: 'binary', maxLength: o.maxLength })
}
