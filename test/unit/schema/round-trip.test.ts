import { FLOAT32_OPTIONS, Packr } from 'msgpackr'
import { describe, expect, it } from 'vitest'
import { encodeMessage, HEADROOM, t, type Field, type Payload } from '../../../shared/schema/index'
import type { TestSchema } from '../../support/test-schema'
import { decode, frame, inEachCodecMode, kinds, specOf, thrownCode } from './frames'

type Kinds = Payload<TestSchema, 'kindsSafe'>

/** Decoded, with `blob` as a plain Uint8Array (msgpackr hands Node a Buffer, which toEqual tells apart). */
function roundTrip(data: Kinds, name: 'kindsSafe' | 'kindsFast' = 'kindsSafe'): Kinds {
  const d = decode(frame(name, data))
  if (!d.ok) throw d.error
  expect(d.spec.name).toBe(name)
  const got = d.data as Kinds
  expect(got.blob).toBeInstanceOf(Uint8Array)
  return { ...got, blob: Uint8Array.from(got.blob) }
}

inEachCodecMode(() => {
  describe('typed round trip of every field kind', () => {
    it('returns what was sent, float32 rounded and quantized to its step', () => {
      const sent = kinds()
      const got = roundTrip(sent)
      expect(got).toEqual({
        ...sent,
        f32: Math.fround(0.1),
        q: got.q, // checked below: quantization is not exact in binary floating point
        blob: new Uint8Array([0, 1, 2, 254, 255]),
      })
      expect(got.f32).not.toBe(0.1)
      expect(got.q).toBeCloseTo(123.46, 9)
    })

    it('is identical on the unreliable message with the same fields', () => {
      expect(roundTrip(kinds(), 'kindsFast')).toEqual(roundTrip(kinds(), 'kindsSafe'))
    })

    it('leaves the headroom free in front of [id][payload]', () => {
      const encoded = encodeMessage(specOf('chat'), { seq: 1, text: 'hi' })
      expect(encoded[HEADROOM]).toBe(specOf('chat').id)
      expect(decode(encoded.subarray(HEADROOM)).ok).toBe(true)
    })

    it.each([
      ['u8', 0],
      ['u8', 255],
      ['u16', 0],
      ['u16', 65535],
      ['u32', 0],
      ['u32', 0xffffffff],
      ['i8', -128],
      ['i8', 127],
      ['i16', -32768],
      ['i16', 32767],
      ['i32', -0x80000000],
      ['i32', 0x7fffffff],
    ] as const)('%s holds its bound %d exactly', (key, value) => {
      expect(roundTrip({ ...kinds(), [key]: value })[key]).toBe(value)
    })

    it.each([0.1, -123.456, 1.5, 1e-7, 3, -0.5, 65535.7, -2147483000.25])('float32 %d arrives as Math.fround of it', (x) => {
      expect(roundTrip({ ...kinds(), f32: x }).f32).toBe(Math.fround(x))
    })

    it.each([0.1, Math.PI, -1e-300, Number.MAX_VALUE, -Number.MIN_VALUE, 2 ** 53 + 2, 1 / 3])('float64 %d is exact', (x) => {
      expect(roundTrip({ ...kinds(), f64: x }).f64).toBe(x)
    })

    it('float64 keeps negative zero', () => {
      expect(Object.is(roundTrip({ ...kinds(), f64: -0 }).f64, -0)).toBe(true)
    })

    it('bool, enum and string carry every value', () => {
      for (const flag of [true, false]) expect(roundTrip({ ...kinds(), flag }).flag).toBe(flag)
      for (const mode of ['ffa', 'teams', 'ctf'] as const) expect(roundTrip({ ...kinds(), mode }).mode).toBe(mode)
      for (const name of ['', 'a', '😀 emoji', 'x'.repeat(32), '€'.repeat(32)]) expect(roundTrip({ ...kinds(), name }).name).toBe(name)
    })

    it('binary of 0 and of maxLength bytes', () => {
      expect(roundTrip({ ...kinds(), blob: new Uint8Array(0) }).blob.byteLength).toBe(0)
      const full = Uint8Array.from({ length: 64 }, (_, i) => i * 3)
      expect([...roundTrip({ ...kinds(), blob: full }).blob]).toEqual([...full])
    })

    it('arrays of 0 and maxLength items, with optional keys present and absent', () => {
      expect(roundTrip({ ...kinds(), list: [] }).list).toEqual([])
      const list = Array.from({ length: 16 }, (_, id) => (id % 2 ? { id } : { id, tag: `t${id}` }))
      const got = roundTrip({ ...kinds(), list })
      expect(got.list).toEqual(list)
      expect('tag' in got.list[1]!).toBe(false)
    })

    it('an optional field left out stays out; set, it arrives', () => {
      const { maybe: _, ...without } = kinds()
      const got = roundTrip(without)
      expect('maybe' in got).toBe(false)
      expect(roundTrip({ ...kinds(), maybe: undefined })).not.toHaveProperty('maybe')
      expect(roundTrip({ ...kinds(), maybe: 0 }).maybe).toBe(0)
    })

    it('the largest value of every kind fits under the declared maximum frame size', () => {
      // maxWireBytes must never under-count, or valid frames would be refused as frame-too-large.
      const biggest: Kinds = {
        u8: 255,
        u16: 65535,
        u32: 0xffffffff,
        i8: -128,
        i16: -32768,
        i32: -0x80000000,
        f32: -1.5e300, // not float32-sized: msgpackr falls back to a float64
        f64: -Number.MAX_VALUE,
        q: 999.99,
        flag: false,
        name: '€'.repeat(32), // 3 bytes per UTF-16 unit, the worst case
        mode: 'ctf',
        blob: new Uint8Array(64),
        list: Array.from({ length: 16 }, () => ({ id: 65535, tag: '€'.repeat(8) })),
        nested: { inner: { depth: 255 } },
        maybe: -0x80000000,
      }
      const f = frame('kindsSafe', biggest)
      expect(f.byteLength - 1).toBeLessThanOrEqual(specOf('kindsSafe').payload.maxWireBytes)
      expect(roundTrip(biggest)).toEqual({ ...biggest, q: roundTrip(biggest).q })
    })

    it('the largest value of each single-field-heavy message is accepted (bounds checked one kind at a time)', () => {
      const cases = [
        frame('chat', { seq: 0xffffffff, text: '€'.repeat(200) }),
        frame('chat', { seq: 0xffffffff, text: '😀'.repeat(100) }),
        frame('state', { seq: 0xffffffff, sentAt: -Number.MAX_VALUE, pad: new Uint8Array(1000) }),
        frame('input', { seq: 0xffffffff, dx: -128, dy: -128 }),
      ]
      for (const f of cases) expect(decode(f, 'toClient').ok || decode(f, 'toServer').ok).toBe(true)
    })
  })

  describe('maxWireBytes bounds what the packer writes, field by field', () => {
    // Configured as the codec's packer.
    const packr = new Packr({ useRecords: false, structuredClone: false, moreTypes: false, useFloat32: FLOAT32_OPTIONS.ALWAYS, int64AsType: 'number' })
    const packedSize = <T>(field: Field<T>, value: T) => packr.pack(field.toWire(value, 'f')).byteLength

    it.each([
      ['uint32', () => packedSize(t.uint32(), 0xffffffff), t.uint32().maxWireBytes],
      ['int32', () => packedSize(t.int32(), -0x80000000), t.int32().maxWireBytes],
      ['float32', () => packedSize(t.float32(), -1.5e300), t.float32().maxWireBytes],
      ['float64', () => packedSize(t.float64(), Math.PI), t.float64().maxWireBytes],
      ['quantized', () => packedSize(t.quantized({ min: 0, max: 1e9, step: 0.001 }), 1e9), t.quantized({ min: 0, max: 1e9, step: 0.001 }).maxWireBytes],
      ['bool', () => packedSize(t.bool(), true), t.bool().maxWireBytes],
      ['string(20) of 3-byte chars', () => packedSize(t.string({ maxLength: 20 }), '€'.repeat(20)), t.string({ maxLength: 20 }).maxWireBytes],
      ['string(100) of 3-byte chars', () => packedSize(t.string({ maxLength: 100 }), '€'.repeat(100)), t.string({ maxLength: 100 }).maxWireBytes],
      ['string(100) of surrogate pairs', () => packedSize(t.string({ maxLength: 100 }), '😀'.repeat(50)), t.string({ maxLength: 100 }).maxWireBytes],
      ['binary(300)', () => packedSize(t.binary({ maxLength: 300 }), new Uint8Array(300)), t.binary({ maxLength: 300 }).maxWireBytes],
      ['binary(70000)', () => packedSize(t.binary({ maxLength: 70_000 }), new Uint8Array(70_000)), t.binary({ maxLength: 70_000 }).maxWireBytes],
      ['array(uint32, 20)', () => packedSize(t.array(t.uint32(), { maxLength: 20 }), new Array<number>(20).fill(0xffffffff)), t.array(t.uint32(), { maxLength: 20 }).maxWireBytes],
      ['enum', () => packedSize(t.enum(['a', 'b', 'c']), 'c'), t.enum(['a', 'b', 'c']).maxWireBytes],
      ['optional', () => packedSize(t.optional(t.uint8()), undefined), t.optional(t.uint8()).maxWireBytes],
    ] as const)('%s', (_, size, max) => {
      expect(size()).toBeLessThanOrEqual(max)
    })
  })

  describe('quantized', () => {
    const q = t.quantized({ min: -1000, max: 1000, step: 0.01 })
    const decodeQ = (x: number) => q.fromWire(q.toWire(x, 'q'), 'q')

    it('lands within half a step and is stable: quantizing a decoded value gives it back', () => {
      for (const x of [0, 0.004, 0.006, -0.005, 123.456, -999.999, 999.994, 1000, -1000, 1 / 3]) {
        const once = decodeQ(x)
        expect(Math.abs(once - x)).toBeLessThanOrEqual(0.005 + 1e-9)
        expect(decodeQ(once)).toBe(once)
      }
    })

    it('every wire value survives decode then encode unchanged', () => {
      for (let w = 0; w <= 200_000; w++) if (q.toWire(q.fromWire(w, 'q'), 'q') !== w) throw new Error(`unstable at ${w}`)
    })

    it('clamps finite values outside the range on send', () => {
      expect(decodeQ(5000)).toBeCloseTo(1000, 9)
      expect(decodeQ(-1e12)).toBe(-1000)
      expect(q.toWire(Number.MAX_VALUE, 'q')).toBe(200_000)
    })

    it('refuses NaN and Infinity on send and off-range or fractional indexes on receipt', () => {
      expect(thrownCode(() => q.toWire(NaN, 'q'))).toBe('out-of-range')
      expect(thrownCode(() => q.toWire(Infinity, 'q'))).toBe('out-of-range')
      expect(thrownCode(() => q.toWire(-Infinity, 'q'))).toBe('out-of-range')
      expect(thrownCode(() => q.fromWire(200_001, 'q'))).toBe('out-of-range')
      expect(thrownCode(() => q.fromWire(-1, 'q'))).toBe('out-of-range')
      expect(thrownCode(() => q.fromWire(1.5, 'q'))).toBe('wrong-type')
    })

    it('never decodes past max when the step does not divide the range', () => {
      const odd = t.quantized({ min: 0, max: 1, step: 0.28 })
      const top = odd.fromWire(odd.toWire(1, 'q'), 'q')
      expect(top).toBeLessThanOrEqual(1)
      expect(top).toBeCloseTo(0.84, 9)
      expect(thrownCode(() => odd.fromWire(4, 'q'))).toBe('out-of-range')
    })

    it('refuses a declaration without a positive step or a range', () => {
      expect(() => t.quantized({ min: 0, max: 1, step: 0 })).toThrow(RangeError)
      expect(() => t.quantized({ min: 1, max: 1, step: 0.1 })).toThrow(RangeError)
    })
  })

  describe('float bounds', () => {
    it('a float32 sent at its bound is accepted although it arrives rounded past it', () => {
      const angle = t.float32({ min: -Math.PI, max: Math.PI })
      for (const x of [Math.PI, -Math.PI, 0.1]) {
        const wire = Math.fround(angle.toWire(x, 'a') as number) // what the float32 packer delivers
        expect(angle.fromWire(wire, 'a')).toBe(Math.fround(x))
      }
      expect(Math.fround(Math.PI)).toBeGreaterThan(Math.PI)
    })

    it('a float32 received at its bound can be sent on (a server relaying an angle)', () => {
      const angle = t.float32({ min: -Math.PI, max: Math.PI })
      const received = angle.fromWire(Math.fround(Math.PI), 'a')
      expect(received).toBeGreaterThan(Math.PI)
      expect(thrownCode(() => angle.toWire(received, 'a'))).toBe('ok')
    })

    it('a float32 clearly past its bound is still refused, on send and on receipt', () => {
      const unit = t.float32({ min: 0, max: 1 })
      expect(thrownCode(() => unit.toWire(1.0001, 'u'))).toBe('out-of-range')
      expect(thrownCode(() => unit.fromWire(1.0001, 'u'))).toBe('out-of-range')
      expect(thrownCode(() => unit.fromWire(-1e-6, 'u'))).toBe('out-of-range')
    })

    it('float64 bounds are exact', () => {
      const f = t.float64({ min: 0, max: 0.1 })
      expect(f.fromWire(f.toWire(0.1, 'f'), 'f')).toBe(0.1)
      expect(thrownCode(() => f.toWire(0.10000000000000002, 'f'))).toBe('out-of-range')
    })
  })
})
