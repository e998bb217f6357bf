import { FLOAT32_OPTIONS, Packr, unpack } from 'msgpackr'
import { describe, expect, it } from 'vitest'
import { decodeMessage, encodeMessage, HEADROOM, type Payload } from '../../../shared/schema/index'
import { seededRandom } from '../../../shared/transport/random'
import { testSchema, type TestSchema } from '../../support/test-schema'
import { decode, inEachCodecMode, specOf, wireOf, type Name } from './frames'

// msgpackr stays the reference: our writer must produce exactly what msgpackr packs for the wire
// tuples (as the codec did when msgpackr packed them), and our reader must take what msgpackr writes.
const reference = new Packr({ useRecords: false, structuredClone: false, moreTypes: false, useFloat32: FLOAT32_OPTIONS.ALWAYS, int64AsType: 'number' })
// Other valid encodings of the same values: float64 for every non-integer.
const float64Packr = new Packr({ useRecords: false, structuredClone: false, moreTypes: false })

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')
type Kinds = Payload<TestSchema, 'kindsSafe'>

function randomKinds(random: () => number): Kinds {
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1))
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!
  const chars = ['a', 'Z', ' ', 'é', '€', '😀', '\u0000', '\ud800'] // last: a lone surrogate (sent as U+FFFD)
  const str = (max: number) => Array.from({ length: int(0, max) }, () => pick(chars)).join('').slice(0, max)
  // Integers at every msgpack width edge, and floats in and out of float32/int32 range.
  const edgeInt = (min: number, max: number) =>
    pick([min, max, 0, -1, 1, 31, 32, 127, 128, 255, 256, -32, -33, -128, -129, 65535, 65536, -32768, -32769].filter((v) => v >= min && v <= max))
  const anyInt = (min: number, max: number) => (random() < 0.5 ? edgeInt(min, max) : int(min, max))
  const float = () => pick([0, -0, 1, -1, 0.1, Math.PI, 1e-7, 65535.7, 2 ** 31, -(2 ** 31) - 0.5, 2 ** 32, 1e20, -1.5e300, (random() - 0.5) * 2000])
  const k: Kinds = {
    u8: anyInt(0, 0xff),
    u16: anyInt(0, 0xffff),
    u32: anyInt(0, 0xffffffff),
    i8: anyInt(-0x80, 0x7f),
    i16: anyInt(-0x8000, 0x7fff),
    i32: anyInt(-0x80000000, 0x7fffffff),
    f32: float(),
    f64: pick([float(), Number.MAX_VALUE, -Number.MIN_VALUE, random()]),
    q: (random() - 0.5) * 2400,
    flag: random() < 0.5,
    name: str(32),
    mode: pick(['ffa', 'teams', 'ctf'] as const),
    blob: Uint8Array.from({ length: int(0, 64) }, () => int(0, 255)),
    list: Array.from({ length: int(0, 16) }, () => (random() < 0.5 ? { id: anyInt(0, 0xffff) } : { id: anyInt(0, 0xffff), tag: str(8) })),
    nested: { inner: { depth: anyInt(0, 255) } },
  }
  if (random() < 0.7) k.maybe = anyInt(-0x80000000, 0x7fffffff)
  return k
}

/** Our payload bytes (after headroom and id). */
const ours = (name: Name, data: unknown) => encodeMessage(specOf(name), data).subarray(HEADROOM + 1)
const withId = (name: Name, body: Uint8Array) => new Uint8Array([specOf(name).id, ...body])

inEachCodecMode(() => {
  describe('msgpack interop: msgpackr is the reference', () => {
    it('our bytes equal msgpackr packing the same tuples, for 2,000 random messages of every field kind', () => {
      const random = seededRandom(0x5eed)
      for (let i = 0; i < 2000; i++) {
        const data = randomKinds(random)
        const got = ours('kindsSafe', data)
        const expected = reference.pack(wireOf('kindsSafe', data))
        if (hex(got) !== hex(expected)) throw new Error(`differs for ${JSON.stringify(data)}:\n ours ${hex(got)}\n msgpackr ${hex(expected)}`)
      }
    })

    it('long strings and binaries take the same str/bin headers (8, 16 and 32-bit lengths)', () => {
      for (const text of ['x'.repeat(31), 'x'.repeat(32), 'é'.repeat(16), 'x'.repeat(63), 'x'.repeat(64), '€'.repeat(200), 'x'.repeat(200)])
        expect(hex(ours('chat', { seq: 70_000, text }))).toBe(hex(reference.pack(wireOf('chat', { seq: 70_000, text }))))
      for (const n of [0, 255, 256, 65535, 65536, 100_000]) {
        const data = { seq: n, data: Uint8Array.from({ length: n }, (_, i) => i & 0xff) }
        expect(hex(ours('bulk', data))).toBe(hex(reference.pack(wireOf('bulk', data))))
      }
      const state = { seq: 1, sentAt: -Math.PI, pad: new Uint8Array(300) }
      expect(hex(ours('state', state))).toBe(hex(reference.pack(wireOf('state', state))))
    })

    it('msgpackr unpacks our frames to the same tuples', () => {
      const random = seededRandom(11)
      for (let i = 0; i < 500; i++) {
        const data = randomKinds(random)
        // As Buffers on both sides: msgpackr hands back binaries of the source's own class.
        const back = unpack(Buffer.from(ours('kindsSafe', data))) as unknown[]
        // Compared with msgpackr's reading of its own packing (float32 rounding included).
        expect(back).toEqual(unpack(reference.pack(wireOf('kindsSafe', data))))
      }
    })

    it('frames msgpackr packs with other valid encodings decode with our reader', () => {
      const random = seededRandom(99)
      for (let i = 0; i < 500; i++) {
        const data = randomKinds(random)
        const wire = wireOf('kindsSafe', data)
        // float64 for every non-integer: accepted, and the value read is the one sent, so it encodes
        // back to our canonical frame (float32 fields round on the way out, as they did on the way in).
        const d = decode(withId('kindsSafe', float64Packr.pack(wire)))
        if (!d.ok) throw new Error(`refused ${JSON.stringify(data)}: ${d.error.message}`)
        expect(hex(ours('kindsSafe', d.data))).toBe(hex(ours('kindsSafe', data)))
      }
    })

    it('accepts every width of int, float, str, bin and array header', () => {
      const id = specOf('chat').id
      const ok = (...b: number[]) => decodeMessage(testSchema, new Uint8Array([id, ...b]), 'toServer')
      const text = [0x68, 0x69] // "hi"
      const seqs = [
        [0x07],
        [0xcc, 7],
        [0xcd, 0, 7],
        [0xce, 0, 0, 0, 7],
        [0xcf, 0, 0, 0, 0, 0, 0, 0, 7],
        [0xd0, 7],
        [0xd1, 0, 7],
        [0xd2, 0, 0, 0, 7],
        [0xd3, 0, 0, 0, 0, 0, 0, 0, 7],
        [0xca, 0x40, 0xe0, 0, 0], // 7 as float32
        [0xcb, 0x40, 0x1c, 0, 0, 0, 0, 0, 0], // 7 as float64
      ]
      const strs = [[0xa2, ...text], [0xd9, 2, ...text], [0xda, 0, 2, ...text], [0xdb, 0, 0, 0, 2, ...text]]
      const arrays = [[0x92], [0xdc, 0, 2], [0xdd, 0, 0, 0, 2]]
      for (const a of arrays)
        for (const s of seqs)
          for (const t of strs) {
            const d = ok(...a, ...s, ...t)
            expect(d.ok && d.data, hex(new Uint8Array([...a, ...s, ...t]))).toEqual({ seq: 7, text: 'hi' })
          }
      const pad = [0xc4, 3, 1, 2, 3]
      for (const bin of [pad, [0xc5, 0, 3, 1, 2, 3], [0xc6, 0, 0, 0, 3, 1, 2, 3]]) {
        // state: [seq, sentAt as bin of 8, pad]
        const sentAt = [0xc5, 0, 8, 0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18] // Math.PI in a bin16
        const d = decodeMessage(testSchema, new Uint8Array([specOf('state').id, 0x93, 0x01, ...sentAt, ...bin]), 'toClient')
        expect(d.ok && d.data).toEqual({ seq: 1, sentAt: Math.PI, pad: new Uint8Array([1, 2, 3]) })
      }
    })

    it('decodes invalid UTF-8 as U+FFFD (as TextDecoder does), short and long', () => {
      const id = specOf('chat').id
      const short = decodeMessage(testSchema, new Uint8Array([id, 0x92, 1, 0xa3, 0x61, 0xff, 0x62]), 'toServer')
      expect(short.ok && short.data).toEqual({ seq: 1, text: 'a\ufffdb' })
      const long = decodeMessage(testSchema, new Uint8Array([id, 0x92, 1, 0xd9, 40, ...new Array<number>(39).fill(0x61), 0xc3]), 'toServer')
      expect(long.ok && long.data).toEqual({ seq: 1, text: `${'a'.repeat(39)}\ufffd` })
    })
  })
})
