import { describe, fail, MSGPACK_HEADER, within, withShape, type Field, type FieldMap, type Infer, type InferFields } from './field'

// Composites never build a path while things go well: children throw with a path relative to
// themselves, and each level puts its `[i]` or `.key` in front on the way out (`within`).

/** An array of at most `maxLength` items. */
export function array<F extends Field<unknown>>(item: F, o: { maxLength: number }): Field<Infer<F>[]> {
  const checkLength = (n: number, path: string): void => {
    if (n > o.maxLength) fail('too-long', path, `array of ${n} exceeds ${o.maxLength}`)
  }
  const checkArray = (v: unknown, path: string): unknown[] => {
    if (!Array.isArray(v)) fail('wrong-type', path, `expected array, got ${describe(v)}`)
    checkLength(v.length, path)
    return v
  }
  const field: Field<Infer<F>[]> = {
    signature: `array(${item.signature},${o.maxLength})`,
    maxWireBytes: MSGPACK_HEADER + o.maxLength * item.maxWireBytes,
    optional: false,
    toWire(v, path) {
      const a = checkArray(v, path)
      const out = new Array<unknown>(a.length)
      let i = 0
      try {
        for (; i < a.length; i++) out[i] = item.toWire(a[i], '')
      } catch (err) {
        within(err, `${path}[${i}]`)
      }
      return out
    },
    fromWire(w, path) {
      const a = checkArray(w, path)
      const out = new Array<Infer<F>>(a.length)
      let i = 0
      try {
        for (; i < a.length; i++) out[i] = item.fromWire(a[i], '') as Infer<F>
      } catch (err) {
        within(err, `${path}[${i}]`)
      }
      return out
    },
    write(v, w) {
      const a = checkArray(v, '')
      w.arrayHeader(a.length)
      let i = 0
      try {
        for (; i < a.length; i++) item.write(a[i], w)
      } catch (err) {
        within(err, `[${i}]`)
      }
    },
    read(r) {
      const n = r.arrayHeader('array')
      checkLength(n, '')
      r.need(n) // every item takes a byte: a count the frame cannot hold is refused before allocating
      const out = new Array<Infer<F>>(n)
      let i = 0
      try {
        for (; i < n; i++) out[i] = item.read(r) as Infer<F>
      } catch (err) {
        within(err, `[${i}]`)
      }
      return out
    },
  }
  return withShape(field, { kind: 'array', item, maxLength: o.maxLength })
}

/**
 * A nested object. On the wire it is a msgpack array in declaration order: the field names are the
 * structure both ends agreed on ahead of time, so they are never sent.
 */
export function object<F extends FieldMap>(fields: F): Field<InferFields<F>> {
  const keys = Object.keys(fields)
  const defs = keys.map((k) => fields[k] as Field<unknown>)
  const n = keys.length
  const known = new Set(keys)
  const checkObject = (v: unknown, path: string): Record<string, unknown> => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail('wrong-type', path, `expected object, got ${describe(v)}`)
    return v as Record<string, unknown>
  }
  const checkPresent = (value: unknown, i: number): void => {
    if (value === undefined && !defs[i]!.optional) fail('missing-key', '', 'required field is missing')
  }
  /** Refuses a key that is not declared (an undefined one is not data, as in JSON). */
  const checkUnknown = (rec: Record<string, unknown>, path: string): void => {
    let j = 0
    for (const key in rec) {
      // Objects built in declaration order match key by key: no hashing in the common case.
      if (key === keys[j]) j++
      else if (!known.has(key) && rec[key] !== undefined) fail('unknown-key', `${path}.${key}`, 'not declared')
    }
  }
  const checkTuple = (len: number, path: string): void => {
    if (len > n) fail('unknown-key', path, `${len} fields where ${n} are declared`)
    if (len < n) fail('missing-key', path, `${len} fields where ${n} are declared`)
  }
  const field: Field<InferFields<F>> = {
    signature: `{${keys.map((k, i) => `${k}:${defs[i]!.signature}`).join(',')}}`,
    maxWireBytes: MSGPACK_HEADER + defs.reduce((sum, d) => sum + d.maxWireBytes, 0),
    optional: false,
    toWire(v, path) {
      const rec = checkObject(v, path)
      const out = new Array<unknown>(n)
      let i = 0
      try {
        for (; i < n; i++) {
          const value = rec[keys[i]!]
          checkPresent(value, i)
          out[i] = defs[i]!.toWire(value, '')
        }
      } catch (err) {
        within(err, `${path}.${keys[i]}`)
      }
      checkUnknown(rec, path)
      return out
    },
    fromWire(w, path) {
      if (!Array.isArray(w)) fail('wrong-type', path, `expected object tuple, got ${describe(w)}`)
      checkTuple(w.length, path)
      const out: Record<string, unknown> = {}
      let i = 0
      try {
        for (; i < n; i++) {
          const value = defs[i]!.fromWire(w[i], '')
          if (value !== undefined) out[keys[i]!] = value
        }
      } catch (err) {
        within(err, `${path}.${keys[i]}`)
      }
      return out as InferFields<F>
    },
    write(v, w) {
      const rec = checkObject(v, '')
      const start = w.at
      w.arrayHeader(n)
      let i = 0
      try {
        // Fast path: keys enumerate in declaration order (an object literal written that way). One
        // for..in then reads every value (V8 loads by enum-cache index, no lookup by name) and shows
        // there is no other key. Anything else (an absent optional, another order, an extra key)
        // rewinds and takes the general path below, which gives the same errors in the same order.
        let inOrder = true
        for (const key in rec) {
          if (key !== keys[i]) {
            inOrder = false
            break
          }
          const value = rec[key]
          checkPresent(value, i)
          defs[i]!.write(value, w)
          i++
        }
        if (inOrder && i === n) return
        w.at = start
        w.arrayHeader(n)
        for (i = 0; i < n; i++) {
          const value = rec[keys[i]!]
          checkPresent(value, i)
          defs[i]!.write(value, w)
        }
      } catch (err) {
        within(err, `.${keys[i]}`)
      }
      checkUnknown(rec, '')
    },
    read(r) {
      checkTuple(r.arrayHeader('object tuple'), '')
      const out: Record<string, unknown> = {}
      let i = 0
      try {
        for (; i < n; i++) {
          const value = defs[i]!.read(r)
          if (value !== undefined) out[keys[i]!] = value
        }
      } catch (err) {
        within(err, `.${keys[i]}`)
      }
      return out as InferFields<F>
    },
  }
  return withShape(field, { kind: 'object', keys, fields: defs })
}

/** A field that may be left out (`undefined`); it travels as nil. */
export function optional<T>(field: Field<T>): Field<T | undefined> & { readonly optional: true } {
  const opt: Field<T | undefined> & { readonly optional: true } = {
    signature: `?${field.signature}`,
    maxWireBytes: field.maxWireBytes,
    optional: true,
    toWire: (v, path) => (v === undefined ? null : field.toWire(v, path)),
    fromWire: (w, path) => (w === null ? undefined : field.fromWire(w, path)),
    write: (v, w) => (v === undefined ? w.nil() : field.write(v, w)),
    read: (r) => (r.nil() ? undefined : field.read(r)),
  }
  return withShape(opt, { kind: 'optional', inner: field as Field<unknown> })
}
