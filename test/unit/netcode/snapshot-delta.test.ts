import { describe, expect, it } from 'vitest'
import { t } from '../../../shared/schema/index'
import { DeltaError, readDeltaHeader, SnapshotCodec, type EntityOf, type Snapshot } from '../../../shared/netcode/snapshot-delta'
import { BitWriter } from '../../../shared/netcode/bits'
import { writeClass } from '../../../shared/netcode/bit-widths'
import { SnapshotHistory } from '../../../shared/netcode/snapshot-history'
import { seededRandom, type Random } from '../../../shared/transport/random'

const layout = {
  x: t.quantized({ min: -1000, max: 1000, step: 0.01 }),
  y: t.quantized({ min: -1000, max: 1000, step: 0.01 }),
  angle: t.quantized({ min: -Math.PI, max: Math.PI, step: 0.01 }),
  hp: t.uint8(),
}
type L = typeof layout
type Entity = EntityOf<L>
const codec = new SnapshotCodec(layout)

const snap = (tick: number, entries: Iterable<[number, Entity]>): Snapshot<L> => ({ tick, entities: new Map(entries) })
const sorted = (s: Snapshot<L>) => [...s.entities].sort((a, b) => a[0] - b[0])
/** Exact comparison, fast (JSON prints the shortest text that round-trips each float, so equal text = equal floats). */
const same = (a: Snapshot<L>, b: Snapshot<L>) => expect(JSON.stringify(sorted(a))).toBe(JSON.stringify(sorted(b)))

function randomEntity(random: Random): Entity {
  // Sometimes past the map edge: quantization clamps, like t.quantized.
  return { x: (random() - 0.5) * 2100, y: (random() - 0.5) * 2000, angle: (random() - 0.5) * 2 * Math.PI, hp: Math.floor(random() * 256) }
}

function randomWorld(random: Random, tick: number): Snapshot<L> {
  const entities = new Map<number, Entity>()
  const n = Math.floor(random() * 120)
  for (let i = 0; i < n; i++) entities.set(Math.floor(random() * (random() < 0.5 ? 200 : 100_000)), randomEntity(random))
  return { tick, entities }
}

/** Next tick: some entities move a little, some jump, some change hp, some vanish, some appear. */
function evolve(random: Random, prev: Snapshot<L>, tick: number): Snapshot<L> {
  const entities = new Map<number, Entity>()
  for (const [id, e] of prev.entities) {
    const r = random()
    if (r < 0.05) continue
    if (r < 0.5) entities.set(id, e)
    else if (r < 0.9) entities.set(id, { ...e, x: e.x + (random() - 0.5), y: e.y + (random() - 0.5) * 0.02, angle: e.angle + (random() - 0.5) * 0.2 })
    else entities.set(id, { ...randomEntity(random), hp: e.hp })
  }
  for (let i = Math.floor(random() * 6); i > 0; i--) entities.set(Math.floor(random() * 300_000), randomEntity(random))
  return { tick, entities }
}

describe('SnapshotCodec', () => {
  it('round-trips random worlds exactly after quantization, full and as deltas (200 seeded worlds, 8 ticks each)', () => {
    let deltas = 0
    for (let seed = 1; seed <= 200; seed++) {
      const random = seededRandom(seed)
      let world = randomWorld(random, 1)
      let decoded = codec.decode(undefined, codec.encode(undefined, world))
      same(decoded, codec.quantize(world))
      const clientHas = [decoded]
      for (let tick = 2; tick <= 8; tick++) {
        world = evolve(random, world, tick)
        // Against the newest base, or an older one (acks lag behind).
        const base = clientHas[Math.floor(random() * clientHas.length)]!
        const bytes = codec.encode(base, world)
        expect(readDeltaHeader(bytes)).toEqual({ tick, baseTick: base.tick })
        decoded = codec.decode(base, bytes)
        expect(decoded.tick).toBe(tick)
        same(decoded, codec.quantize(world))
        clientHas.push(decoded)
        deltas++
      }
    }
    expect(deltas).toBe(1400)
  })

  it('quantizes like t.quantized: grid values, clamped to the range', () => {
    const q = codec.quantize(snap(1, [[7, { x: 1.23456, y: 5000, angle: 4, hp: 9 }]]))
    expect(q.entities.get(7)).toEqual({ x: expect.closeTo(1.23, 12), y: expect.closeTo(1000, 9), angle: expect.closeTo(Math.PI, 2), hp: 9 })
    expect(q.entities.get(7)!.angle).toBeLessThanOrEqual(Math.PI)
  })

  it('reports bytes for 100 entities: full, all moving, 10% moving, idle', () => {
    const random = seededRandom(99)
    const world0 = snap(
      1,
      Array.from({ length: 100 }, (_, i): [number, Entity] => [i * 3 + 1, { x: random() * 400 - 200, y: random() * 400 - 200, angle: random() * 6 - 3, hp: 100 }]),
    )
    const base = codec.decode(undefined, codec.encode(undefined, world0))
    const moved = (fraction: number) =>
      snap(
        2,
        [...world0.entities].map(([id, e], i): [number, Entity] =>
          i < fraction * 100 ? [id, { ...e, x: e.x + 0.2 * Math.cos(e.angle), y: e.y + 0.2 * Math.sin(e.angle), angle: e.angle + 0.05 }] : [id, e],
        ),
      )
    const size = {
      full: codec.encode(undefined, world0).byteLength,
      allMoving: codec.encode(base, moved(1)).byteLength,
      tenPercentMoving: codec.encode(base, moved(0.1)).byteLength,
      idle: codec.encode(base, moved(0)).byteLength,
    }
    console.log('snapshot bytes, 100 entities (x, y, angle quantized, hp):', size)
    // Bit-packed: ~55 bits per entity in full (id gap 3, x, y 16, angle 13, hp 7); moved ones ~19 bits.
    // (The byte-varint format before: 1,000 / 600 / 70 / 4.)
    expect(size.full).toBeLessThanOrEqual(720)
    expect(size.allMoving).toBeLessThanOrEqual(260)
    expect(size.tenPercentMoving).toBeLessThanOrEqual(35)
    expect(size.idle).toBeLessThanOrEqual(3)
    for (const f of [1, 0.1, 0]) expect(sorted(codec.decode(base, codec.encode(base, moved(f))))).toEqual(sorted(codec.quantize(moved(f))))
  })

  it('refuses a wrong base, malformed bytes, out-of-range values and NaN', () => {
    const a = codec.quantize(snap(1, [[1, { x: 0, y: 0, angle: 0, hp: 1 }]]))
    const b = snap(2, [[1, { x: 1, y: 0, angle: 0, hp: 1 }]])
    const bytes = codec.encode(a, b)
    const code = (fn: () => unknown) => {
      try {
        fn()
      } catch (err) {
        return err instanceof DeltaError ? err.code : String(err)
      }
      return 'no error'
    }
    expect(code(() => codec.decode(undefined, bytes))).toBe('base-mismatch')
    expect(code(() => codec.decode({ ...a, tick: 0 }, bytes))).toBe('base-mismatch')
    expect(code(() => codec.decode(a, bytes.subarray(0, bytes.length - 1)))).toBe('malformed')
    expect(code(() => codec.decode(a, new Uint8Array([...bytes, 0])))).toBe('malformed')
    // A new entity (absent from the base) with x beyond the grid: 200 001 steps is out of range.
    const w = new BitWriter()
    w.varint(2)
    w.varint(0)
    w.gamma(0) // removed
    w.gamma(0) // changed
    w.gamma(1) // added
    for (const width of [18, 0, 0, 0]) writeClass(w, { escaped: false, width })
    w.gamma(0) // id 0
    w.bits(200_001, 18)
    expect(code(() => codec.decode(undefined, w.bytes()))).toBe('out-of-range')
    expect(() => codec.encode(undefined, snap(1, [[1, { x: Number.NaN, y: 0, angle: 0, hp: 1 }]]))).toThrow()
    expect(() => codec.encode(undefined, snap(1, [[-1, { x: 0, y: 0, angle: 0, hp: 1 }]]))).toThrow(RangeError)
    expect(() => codec.encode(b, a)).toThrow(RangeError) // base must be older
  })
})

describe('SnapshotHistory', () => {
  it('serves the newest acknowledged snapshot as base, and none once it is evicted', () => {
    const h = new SnapshotHistory<string>(4)
    expect(h.base()).toBeUndefined()
    for (let tick = 1; tick <= 4; tick++) h.put(tick, `s${tick}`)
    expect(h.ack(2)).toBe(true)
    expect(h.ack(1)).toBe(false) // older than the current base (a reordered ack)
    expect(h.ack(99)).toBe(false) // never sent
    expect(h.base()).toEqual({ tick: 2, snapshot: 's2' })
    h.put(5, 's5')
    h.put(6, 's6') // evicts 1 and 2
    expect(h.size).toBe(4)
    expect(h.get(2)).toBeUndefined()
    expect(h.base()).toBeUndefined() // the client fell behind the window: send a full snapshot
    expect(h.ack(5)).toBe(true)
    expect(h.base()).toEqual({ tick: 5, snapshot: 's5' })
  })

  it('drives an encode/ack/decode loop with loss, falling back to full snapshots when needed', () => {
    const random = seededRandom(8)
    const server = new SnapshotHistory<Snapshot<L>>(16)
    const client = new SnapshotHistory<Snapshot<L>>(16)
    let world = randomWorld(random, 1)
    const fullTicks: number[] = []
    for (let tick = 1; tick <= 300; tick++) {
      if (tick > 1) world = evolve(random, world, tick)
      const base = server.base()
      const bytes = codec.encode(base?.snapshot, world)
      if (!base) fullTicks.push(tick)
      server.put(tick, world)
      // 20% of snapshots lost; from tick 100 to 140 the client hears nothing at all.
      if (random() < 0.2 || (tick >= 100 && tick < 140)) continue
      const { baseTick } = readDeltaHeader(bytes)
      const decoded = codec.decode(baseTick === undefined ? undefined : client.get(baseTick), bytes)
      same(decoded, codec.quantize(world))
      client.put(tick, decoded)
      if (random() < 0.8) server.ack(tick) // acks get lost too
    }
    // Full snapshots: the first, and from when the silence outlived the history (base 99 evicted at 116)
    // until an ack came back. Everything else went as deltas.
    expect(fullTicks[0]).toBe(1)
    expect(fullTicks.slice(1).every((t) => t >= 116 && t <= 145)).toBe(true)
    expect(fullTicks.length).toBeGreaterThanOrEqual(25)
  })
})
