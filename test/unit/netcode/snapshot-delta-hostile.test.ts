import { describe, expect, it } from 'vitest'
import { writeClass } from '../../../shared/netcode/bit-widths'
import { BitWriter } from '../../../shared/netcode/bits'
import { DeltaError, SnapshotCodec, type EntityOf, type Snapshot } from '../../../shared/netcode/snapshot-delta'
import { t } from '../../../shared/schema/index'
import { seededRandom } from '../../../shared/transport/random'

const layout = {
  x: t.quantized({ min: -1000, max: 1000, step: 0.01 }),
  vx: t.quantized({ min: -20, max: 20, step: 0.01 }),
  hp: t.uint8(),
  dz: t.int16(),
}
type L = typeof layout
type E = EntityOf<L>
const codec = new SnapshotCodec(layout)

function world(tick: number, n: number, seed: number): Snapshot<L> {
  const random = seededRandom(seed)
  const entities = new Map<number, E>()
  for (let i = 0; i < n; i++) entities.set(i * 3 + Math.floor(random() * 3), { x: random() * 1800 - 900, vx: random() * 40 - 20, hp: Math.floor(random() * 256), dz: Math.floor(random() * 2000) - 1000 })
  return codec.quantize({ tick, entities })
}

/** DeltaError's code, 'ok' if it decoded, or what else was thrown (a failure). */
function outcome(base: Snapshot<L> | undefined, bytes: Uint8Array, c: SnapshotCodec<L> = codec): string {
  try {
    c.decode(base, bytes)
    return 'ok'
  } catch (err) {
    return err instanceof DeltaError ? err.code : `UNTYPED ${String(err)}`
  }
}

/** A header (tick 9, against tick 8 or full), then the bit stream `body` writes. */
function packet(back: number, body: (w: BitWriter) => void): Uint8Array {
  const w = new BitWriter()
  w.varint(9)
  w.varint(back)
  body(w)
  return w.bytes()
}

describe('SnapshotCodec on hostile input', () => {
  it('throws only DeltaError for random bytes and for damaged real packets (bounded: 6,000 cases)', () => {
    const random = seededRandom(77)
    const base = world(8, 40, 1)
    const next = world(9, 45, 2)
    const real = [codec.encode(undefined, next), codec.encode(base, next), codec.encode(base, { tick: 9, entities: new Map() })]
    const seen = new Map<string, number>()
    const count = (o: string) => seen.set(o, (seen.get(o) ?? 0) + 1)
    for (let i = 0; i < 3000; i++) {
      const junk = Uint8Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256))
      if (random() < 0.5 && junk.length > 1) [junk[0], junk[1]] = [9, 1] // often a header naming the base
      count(outcome(base, junk))
    }
    for (let i = 0; i < 3000; i++) {
      const src = real[i % real.length]!
      const b = Uint8Array.from(src)
      const r = random()
      let bytes: Uint8Array = b
      if (r < 0.5) for (let k = 1 + Math.floor(random() * 3); k > 0; k--) b[Math.floor(random() * b.length)]! ^= 1 << Math.floor(random() * 8)
      else if (r < 0.8) bytes = b.subarray(0, Math.floor(random() * b.length))
      else bytes = Uint8Array.from([...b, ...Array.from({ length: 1 + Math.floor(random() * 4) }, () => Math.floor(random() * 256))])
      count(outcome(base, bytes))
    }
    expect([...seen.keys()].filter((k) => k.startsWith('UNTYPED'))).toEqual([])
    expect(seen.get('malformed')).toBeGreaterThan(1000)
  })

  it('checks counts before allocating: huge entity counts and endless codes are refused at once', () => {
    const base = world(8, 10, 3)
    const huge = 2 ** 50
    const cases: [string, Uint8Array, Snapshot<L> | undefined, RegExp][] = [
      ['removed count beyond the base', packet(1, (w) => w.gamma(huge)), base, /removed of 10/],
      ['changed count beyond the base', packet(1, (w) => [w.gamma(0), w.gamma(11)]), base, /changed of 10/],
      ['added count beyond the bits left', packet(0, (w) => [w.gamma(0), w.gamma(0), w.gamma(huge)]), undefined, /added entities in/],
      ['a gamma code of 60 zeros', packet(0, (w) => w.bits(0, 60)), undefined, /gamma code too long/],
      ['a varint of 9 bytes', new Uint8Array([9, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1]), undefined, /varint too long/],
      ['a base tick before 0', new Uint8Array([3, 5]), undefined, /base 5 back/],
      ['a width of 60 bits', packet(0, (w) => [w.gamma(0), w.gamma(0), w.gamma(1), writeClass(w, { escaped: false, width: 60 })]), undefined, /width 60/],
    ]
    for (const [what, bytes, b, message] of cases) {
      let error: unknown
      try {
        codec.decode(b, bytes)
      } catch (err) {
        error = err
      }
      expect(error, what).toBeInstanceOf(DeltaError)
      expect((error as DeltaError).code, what).toBe('malformed')
      expect((error as Error).message, what).toMatch(message)
    }
  })

  it('caps the entities a decoded snapshot may hold (maxEntities), and a 1,200-byte packet holds at most 9,600 new ones', () => {
    // Zero-width fields: every added entity costs one bit (its id gap), the cheapest possible.
    const flood = (n: number) =>
      packet(0, (w) => {
        w.gamma(0)
        w.gamma(0)
        w.gamma(n)
        for (let f = 0; f < 4; f++) writeClass(w, { escaped: false, width: 0 })
        for (let i = 0; i < n; i++) w.gamma(0)
      })
    const small = new SnapshotCodec(layout, { maxEntities: 1000 })
    expect(outcome(undefined, flood(1000), small)).toBe('ok')
    expect(outcome(undefined, flood(1001), small)).toBe('malformed')
    const packed = flood(9_500)
    expect(packed.byteLength).toBeLessThanOrEqual(1200)
    expect(codec.decode(undefined, packed).entities.size).toBe(9_500)
  })
})
