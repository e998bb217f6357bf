import { describe, fail, MSGPACK_HEADER, type Field, type FieldMap, type Infer, type InferFields } from './field'

/** An array of at most `maxLength` items. */
export function array<F extends Field<unknown>>(item: F, o: { maxLength: number }): Field<Infer<F>[]> {
  return {
    signature: `array(${item.signature},${o.maxLength})`,
    maxWireBytes: MSGPACK_HEADER + o.maxLength * item.maxWireBytes,
    optional: false,
    toWire(v, path) {
      if (!Array.isArray(v)) fail('wrong-type', path, `expected array, got ${describe(v)}`)
      if (v.length > o.maxLength) fail('too-long', path, `array of ${v.length} exceeds ${o.maxLength}`)
      const out = new Array<unknown>(v.length)
      for (let i = 0; i < v.length; i++) out[i] = item.toWire(v[i], `${path}[${i}]`)
      return out
    },
    fromWire(w, path) {
      if (!Array.isArray(w)) fail('wrong-type', path, `expected array, got ${describe(w)}`)
      if (w.length > o.maxLength) fail('too-long', path, `array of ${w.length} exceeds ${o.maxLength}`)
      const out = new Array<Infer<F>>(w.length)
      for (let i = 0; i < w.length; i++) out[i] = item.fromWire(w[i], `${path}[${i}]`) as Infer<F>
      return out
    },
  }
}

/**
 * A nested object. On the wire it is a msgpack array in declaration order: the field names are the
 * structure both ends agreed on ahead of time, so they are never sent.
 */
export function object<F extends FieldMap>(fields: F): Field<InferFields<F>> {
  const keys = Object.keys(fields)
  const defs = keys.map((k) => fields[k] as Field<unknown>)
  const known = new Set(keys)
  return {
    signature: `{${keys.map((k, i) => `${k}:${defs[i]!.signature}`).join(',')}}`,
    maxWireBytes: MSGPACK_HEADER + defs.reduce((n, d) => n + d.maxWireBytes, 0),
    optional: false,
    toWire(v, path) {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) fail('wrong-type', path, `expected object, got ${describe(v)}`)
      const rec = v as Record<string, unknown>
      const out = new Array<unknown>(keys.length)
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!
        const value = rec[key]
        const def = defs[i]!
        if (value === undefined && !def.optional) fail('missing-key', `${path}.${key}`, 'required field is missing')
        out[i] = def.toWire(value, `${path}.${key}`)
      }
      for (const key in rec) if (!known.has(key) && rec[key] !== undefined) fail('unknown-key', `${path}.${key}`, 'not declared')
      return out
    },
    fromWire(w, path) {
      if (!Array.isArray(w)) fail('wrong-type', path, `expected object tuple, got ${describe(w)}`)
      if (w.length > keys.length) fail('unknown-key', path, `${w.length} fields where ${keys.length} are declared`)
      if (w.length < keys.length) fail('missing-key', path, `${w.length} fields where ${keys.length} are declared`)
      const out: Record<string, unknown> = {}
      for (let i = 0; i < keys.length; i++) {
        const value = defs[i]!.fromWire(w[i], `${path}.${keys[i]}`)
        if (value !== undefined) out[keys[i]!] = value
      }
      return out as InferFields<F>
    },
  }
}

/** A field that may be left out (`undefined`); it travels as nil. */
export function optional<T>(field: Field<T>): Field<T | undefined> & { readonly optional: true } {
  return {
    signature: `?${field.signature}`,
    maxWireBytes: field.maxWireBytes,
    optional: true,
    toWire: (v, path) => (v === undefined ? null : field.toWire(v, path)),
    fromWire: (w, path) => (w === null ? undefined : field.fromWire(w, path)),
  }
}
