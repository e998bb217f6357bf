import { describe, expect, it } from 'vitest'
import { encodeMessage, SchemaError, type SchemaErrorCode } from '../../../shared/schema/index'
import { testSchema } from '../../support/test-schema'
import { codeOf, decode, frame, inEachCodecMode, kinds, rawFrame, specOf, thrownCode, wireOf, type Name } from './frames'

const encodeUnchecked = (name: Name, data: unknown) => encodeMessage(specOf(name), data)
const bytes = (...b: number[]) => new Uint8Array(b)
/** Short test titles for long values. */
function show(v: unknown): string {
  if (v instanceof Uint8Array) return `Uint8Array(${v.byteLength})`
  if (Array.isArray(v) && v.length > 3) return `array(${v.length})`
  if (typeof v === 'string') return JSON.stringify(v.length > 12 ? `${v.slice(0, 3)}…(${v.length})` : v)
  if (typeof v === 'bigint') return `${v}n`
  if (typeof v === 'number') return String(v)
  return JSON.stringify(v) ?? String(v)
}

inEachCodecMode(() => {
  describe('encodeMessage refuses values that do not match the declaration', () => {
    // [field, value, code, path]: every kind with a wrong type, and every bound crossed.
    const cases: [string, unknown, SchemaErrorCode, string][] = [
      ['u8', '1', 'wrong-type', 'kindsSafe.u8'],
      ['u8', 1.5, 'wrong-type', 'kindsSafe.u8'],
      ['u8', 256, 'out-of-range', 'kindsSafe.u8'],
      ['u8', -1, 'out-of-range', 'kindsSafe.u8'],
      ['u16', 65536, 'out-of-range', 'kindsSafe.u16'],
      ['u16', null, 'wrong-type', 'kindsSafe.u16'],
      ['u32', 2 ** 32, 'out-of-range', 'kindsSafe.u32'],
      ['u32', -1, 'out-of-range', 'kindsSafe.u32'],
      ['u32', 10n, 'wrong-type', 'kindsSafe.u32'],
      ['i8', 128, 'out-of-range', 'kindsSafe.i8'],
      ['i8', -129, 'out-of-range', 'kindsSafe.i8'],
      ['i16', 32768, 'out-of-range', 'kindsSafe.i16'],
      ['i16', -32769, 'out-of-range', 'kindsSafe.i16'],
      ['i32', 2 ** 31, 'out-of-range', 'kindsSafe.i32'],
      ['i32', -(2 ** 31) - 1, 'out-of-range', 'kindsSafe.i32'],
      ['i32', NaN, 'wrong-type', 'kindsSafe.i32'],
      ['f32', 'x', 'wrong-type', 'kindsSafe.f32'],
      ['f32', NaN, 'out-of-range', 'kindsSafe.f32'],
      ['f32', Infinity, 'out-of-range', 'kindsSafe.f32'],
      ['f64', -Infinity, 'out-of-range', 'kindsSafe.f64'],
      ['f64', NaN, 'out-of-range', 'kindsSafe.f64'],
      ['f64', new Uint8Array(8), 'wrong-type', 'kindsSafe.f64'],
      ['q', NaN, 'out-of-range', 'kindsSafe.q'],
      ['q', '1', 'wrong-type', 'kindsSafe.q'],
      ['flag', 1, 'wrong-type', 'kindsSafe.flag'],
      ['flag', 'true', 'wrong-type', 'kindsSafe.flag'],
      ['name', 5, 'wrong-type', 'kindsSafe.name'],
      ['name', 'x'.repeat(33), 'too-long', 'kindsSafe.name'],
      ['mode', 'solo', 'out-of-range', 'kindsSafe.mode'],
      ['mode', 1, 'wrong-type', 'kindsSafe.mode'],
      ['mode', 'toString', 'out-of-range', 'kindsSafe.mode'],
      ['blob', [1, 2], 'wrong-type', 'kindsSafe.blob'],
      ['blob', 'bytes', 'wrong-type', 'kindsSafe.blob'],
      ['blob', new Uint8Array(65), 'too-long', 'kindsSafe.blob'],
      ['list', {}, 'wrong-type', 'kindsSafe.list'],
      ['list', Array.from({ length: 17 }, (_, id) => ({ id })), 'too-long', 'kindsSafe.list'],
      ['list', [{ id: 1 }, { tag: 'x' }], 'missing-key', 'kindsSafe.list[1].id'],
      ['list', [{ id: 1, tag: 'x'.repeat(9) }], 'too-long', 'kindsSafe.list[0].tag'],
      ['list', [{ id: 1, colour: 'red' }], 'unknown-key', 'kindsSafe.list[0].colour'],
      ['list', [5], 'wrong-type', 'kindsSafe.list[0]'],
      ['nested', null, 'wrong-type', 'kindsSafe.nested'],
      ['nested', [], 'wrong-type', 'kindsSafe.nested'],
      ['nested', { inner: {} }, 'missing-key', 'kindsSafe.nested.inner.depth'],
      ['nested', { inner: { depth: 1, extra: true } }, 'unknown-key', 'kindsSafe.nested.inner.extra'],
      ['nested', { inner: { depth: 256 } }, 'out-of-range', 'kindsSafe.nested.inner.depth'],
      ['maybe', 'x', 'wrong-type', 'kindsSafe.maybe'],
      ['maybe', null, 'wrong-type', 'kindsSafe.maybe'],
      ['maybe', 0.5, 'wrong-type', 'kindsSafe.maybe'],
    ]

    it.each(cases.map(([key, value, code, path]) => ({ key, value, code, path, shown: show(value) })))('$key = $shown: $code at $path', ({ key, value, code, path }) => {
      try {
        encodeUnchecked('kindsSafe', { ...kinds(), [key]: value })
        expect.unreachable('encoded a bad value')
      } catch (err) {
        expect(err).toBeInstanceOf(SchemaError)
        expect((err as SchemaError).code).toBe(code)
        expect((err as SchemaError).path).toBe(path)
      }
    })

    it('refuses unknown and missing keys at the top level, and a payload that is not an object', () => {
      expect(thrownCode(() => encodeUnchecked('chat', { seq: 1, text: 'a', admin: true }))).toBe('unknown-key')
      expect(thrownCode(() => encodeUnchecked('chat', { seq: 1 }))).toBe('missing-key')
      expect(thrownCode(() => encodeUnchecked('chat', { seq: 1, text: undefined }))).toBe('missing-key')
      expect(thrownCode(() => encodeUnchecked('chat', [1, 'a']))).toBe('wrong-type')
      expect(thrownCode(() => encodeUnchecked('chat', null))).toBe('wrong-type')
      // An undefined extra key is not data: tolerated, as JSON would.
      expect(thrownCode(() => encodeUnchecked('chat', { seq: 1, text: 'a', later: undefined }))).toBe('ok')
    })
  })

  describe('decodeMessage refuses bad frames with the right code and never throws', () => {
    const valid = () => wireOf('kindsSafe', kinds())
    /** A kindsSafe frame whose field `index` (declaration order) carries `wire` instead. */
    const withField = (index: number, wire: unknown) => {
      const w = valid()
      w[index] = wire
      return rawFrame('kindsSafe', w)
    }
    const F = { u8: 0, u16: 1, u32: 2, i8: 3, i16: 4, i32: 5, f32: 6, f64: 7, q: 8, flag: 9, name: 10, mode: 11, blob: 12, list: 13, nested: 14, maybe: 15 }

    it('accepts the hand-packed valid tuple (the fixture is sound)', () => {
      expect(codeOf(decode(rawFrame('kindsSafe', valid())))).toBe('ok')
      expect(Object.keys(F)).toEqual(Object.keys(kinds()))
    })

    const cases: [keyof typeof F, unknown, SchemaErrorCode][] = [
      ['u8', 256, 'out-of-range'],
      ['u8', 'a', 'wrong-type'],
      ['u8', 1.5, 'wrong-type'],
      ['u16', -1, 'out-of-range'],
      ['u32', 2 ** 32, 'out-of-range'],
      ['u32', true, 'wrong-type'],
      ['i8', 200, 'out-of-range'],
      ['i16', 40_000, 'out-of-range'],
      ['i32', 2 ** 31, 'out-of-range'],
      ['i32', null, 'wrong-type'],
      ['f32', 'a', 'wrong-type'],
      ['f32', NaN, 'out-of-range'],
      ['f32', Infinity, 'out-of-range'],
      ['f32', [1], 'wrong-type'],
      ['f64', 1.5, 'wrong-type'], // must be its 8 raw bytes
      ['f64', new Uint8Array(7), 'wrong-type'],
      ['f64', new Uint8Array([0x7f, 0xf8, 0, 0, 0, 0, 0, 0]), 'out-of-range'], // NaN
      ['f64', new Uint8Array([0xff, 0xf0, 0, 0, 0, 0, 0, 0]), 'out-of-range'], // -Infinity
      ['q', 1.5, 'wrong-type'],
      ['q', -1, 'out-of-range'],
      ['q', 200_001, 'out-of-range'],
      ['q', 'a', 'wrong-type'],
      ['flag', 0, 'wrong-type'],
      ['flag', null, 'wrong-type'],
      ['name', 'x'.repeat(33), 'too-long'],
      ['name', 7, 'wrong-type'],
      ['name', new Uint8Array(3), 'wrong-type'],
      ['mode', 3, 'out-of-range'],
      ['mode', -1, 'out-of-range'],
      ['mode', 0.5, 'wrong-type'],
      ['mode', 'ffa', 'wrong-type'], // enums travel as their index
      ['blob', new Uint8Array(65), 'too-long'],
      ['blob', 'abc', 'wrong-type'],
      ['blob', [1, 2, 3], 'wrong-type'],
      ['list', Array.from({ length: 17 }, (_, i) => [i, null]), 'too-long'],
      ['list', { 0: [1, null] }, 'wrong-type'],
      ['list', [[1]], 'missing-key'],
      ['list', [[1, null, 2]], 'unknown-key'],
      ['list', [[1, 'x'.repeat(9)]], 'too-long'],
      ['list', [[70_000, null]], 'out-of-range'],
      ['nested', [[1, 2]], 'unknown-key'],
      ['nested', [], 'missing-key'],
      ['nested', { inner: { depth: 1 } }, 'wrong-type'], // objects travel as tuples, never as maps
      ['nested', [[-1]], 'out-of-range'],
      ['maybe', 'x', 'wrong-type'],
      ['maybe', 2 ** 31, 'out-of-range'],
    ]

    it.each(cases.map(([key, wire, code]) => ({ key, wire, code, shown: show(wire) })))('$key carrying $shown: $code', ({ key, wire, code }) => {
      const d = decode(withField(F[key], wire))
      expect(codeOf(d)).toBe(code)
      if (!d.ok) expect(d.error.path.startsWith(`kindsSafe.${key}`)).toBe(true)
    })

    it('refuses extra tuple entries (unknown keys), missing ones, and a map for the payload', () => {
      expect(codeOf(decode(rawFrame('chat', [1, 'a', 'extra'])))).toBe('unknown-key')
      expect(codeOf(decode(rawFrame('chat', [1])))).toBe('missing-key')
      expect(codeOf(decode(rawFrame('chat', [])))).toBe('missing-key')
      expect(codeOf(decode(rawFrame('chat', { seq: 1, text: 'a' })))).toBe('wrong-type')
      expect(codeOf(decode(rawFrame('chat', 'hello')))).toBe('wrong-type')
    })

    it('an optional field is absent only as nil', () => {
      const w = valid()
      w[F.maybe] = null
      const d = decode(rawFrame('kindsSafe', w))
      expect(d.ok && !('maybe' in (d.data as object))).toBe(true)
      expect(codeOf(decode(withField(F.maybe, false)))).toBe('wrong-type')
      // A required field cannot be nil.
      expect(codeOf(decode(withField(F.u8, null)))).toBe('wrong-type')
    })

    it('refuses unknown ids, including engine ids in an application schema', () => {
      expect(codeOf(decode(bytes(200, 0x90)))).toBe('unknown-id')
      expect(codeOf(decode(bytes(0, 0x90)))).toBe('unknown-id')
      expect(codeOf(decode(bytes(testSchema.firstId + testSchema.byName.size, 0x90)))).toBe('unknown-id')
    })

    it('refuses messages sent the wrong way', () => {
      const state = frame('state', { seq: 1, sentAt: 2, pad: new Uint8Array(3) })
      const input = frame('input', { seq: 1, dx: -1, dy: 1 })
      expect(codeOf(decode(state, 'toServer'))).toBe('wrong-direction')
      expect(codeOf(decode(state, 'toClient'))).toBe('ok')
      expect(codeOf(decode(input, 'toClient'))).toBe('wrong-direction')
      expect(codeOf(decode(input, 'toServer'))).toBe('ok')
      // Undeclared direction means both ways.
      expect(codeOf(decode(frame('chat', { seq: 1, text: '' }), 'toClient'))).toBe('ok')
    })

    it('refuses trailing bytes', () => {
      const f = frame('chat', { seq: 1, text: 'hi' })
      for (const extra of [[0xc0], [0x00], [0x91, 0x01]]) expect(codeOf(decode(new Uint8Array([...f, ...extra])))).toBe('malformed')
    })

    it('refuses every truncation of a valid frame as malformed', () => {
      const f = frame('kindsSafe', kinds())
      for (let n = 0; n < f.byteLength; n++) expect(codeOf(decode(f.subarray(0, n))), `${n} of ${f.byteLength} bytes`).toBe('malformed')
      expect(codeOf(decode(f))).toBe('ok')
    })

    it('refuses a frame over the declared maximum before decoding it', () => {
      const max = specOf('chat').payload.maxWireBytes
      // Garbage that would be "malformed" if decoded: the size check must come first.
      const garbage = new Uint8Array(max + 2).fill(0xc1)
      garbage[0] = specOf('chat').id
      expect(codeOf(decode(garbage))).toBe('frame-too-large')
      garbage.fill(0x91, 1)
      expect(codeOf(decode(garbage.subarray(0, max + 1)))).toBe('malformed') // at the cap it is decoded
      // Valid msgpack, but longer than any chat the schema allows: a 4,096-byte text.
      const long = bytes(specOf('chat').id, 0x92, 0x01, 0xda, 0x10, 0x00, ...new Array<number>(4096).fill(0x61))
      expect(codeOf(decode(long))).toBe('frame-too-large')
    })

    it('refuses 100,000 nested arrays without crashing: by the size cap, or by the schema, which bounds the depth read', () => {
      const nested = (id: number) => {
        const f = new Uint8Array(100_002).fill(0x91)
        f[0] = id
        f[f.length - 1] = 0x90
        return f
      }
      // kindsSafe allows a few hundred bytes: refused unread.
      expect(codeOf(decode(nested(specOf('kindsSafe').id)))).toBe('frame-too-large')
      // bulk allows 2 MiB. The frame is well-formed msgpack, but the reader only goes as deep as the
      // schema: a 1-entry tuple where 2 fields are declared, refused at the first byte.
      expect(specOf('bulk').payload.maxWireBytes).toBeGreaterThan(100_002)
      expect(codeOf(decode(nested(specOf('bulk').id)))).toBe('missing-key')
      // The same nesting where a field's value goes: that field's type is wrong, nothing deeper is read.
      const inField = nested(specOf('bulk').id)
      inField.set([0x92, 0x01], 1)
      const d = decode(inField)
      expect(codeOf(d)).toBe('wrong-type')
      expect(!d.ok && d.error.path).toBe('bulk.data')
      // The decoder is still sound afterwards.
      expect(codeOf(decode(frame('bulk', { seq: 9, data: new Uint8Array(10) })))).toBe('ok')
    })

    it('refuses JSON text', () => {
      const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v))
      expect(codeOf(decode(json({ seq: 1, text: 'hi' })))).toBe('unknown-id') // '{' is id 123
      expect(codeOf(decode(json(['chat', { seq: 1 }])))).toBe('unknown-id') // '[' is id 91
      // JSON after a valid id: one fixint then trailing text.
      const afterId = (v: unknown) => new Uint8Array([specOf('chat').id, ...json(v)])
      expect(codeOf(decode(afterId({ seq: 1, text: 'hi' })))).toBe('malformed')
      expect(codeOf(decode(afterId([1, 'hi'])))).toBe('malformed')
    })

    it('refuses msgpack extension types', () => {
      // fixext 1, type 1: not something our decoder turns into data.
      expect(codeOf(decode(bytes(specOf('chat').id, 0x92, 0xd4, 0x01, 0x00, 0xa1, 0x61)))).not.toBe('ok')
      // timestamp extension (-1) decodes to a Date, which no field accepts.
      expect(codeOf(decode(bytes(specOf('chat').id, 0x92, 0xd6, 0xff, 0, 0, 0, 1, 0xa1, 0x61)))).toBe('wrong-type')
    })
  })
})
