import { describe, expect, it } from 'vitest'
import { SnapshotCodec, type EntityOf, type Snapshot } from '../../../shared/netcode/snapshot-delta'
import { t } from '../../../shared/schema/index'
import { seededRandom, type Random } from '../../../shared/transport/random'

/** Every integer-valued field kind, two of them predicted from a velocity field. */
const layout = {
  x: t.quantized({ min: -5000, max: 5000, step: 0.01 }),
  vx: t.quantized({ min: -50, max: 50, step: 0.01 }),
  z: t.int32(),
  vz: t.int16(),
  angle: t.quantized({ min: -Math.PI, max: Math.PI, step: 0.001 }),
  a8: t.int8(),
  a16: t.int16(),
  u8: t.uint8(),
  u16: t.uint16(),
  u32: t.uint32(),
}
type L = typeof layout
type E = EntityOf<L>
const codec = new SnapshotCodec(layout)
const noPrediction = new SnapshotCodec(layout, { predict: {} })

const int = (random: Random, lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1))
const clamp32 = (z: number) => Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, z))
const sorted = (s: Snapshot<L>) => [...s.entities].sort((a, b) => a[0] - b[0])
const same = (a: Snapshot<L>, b: Snapshot<L>) => expect(JSON.stringify(sorted(a))).toBe(JSON.stringify(sorted(b)))

function randomEntity(random: Random): E {
  // Extremes of every range now and then, to exercise the widest values and escapes.
  const edge = random() < 0.1
  return {
    x: edge ? (random() < 0.5 ? -5000 : 5000) : (random() - 0.5) * 9000,
    vx: (random() - 0.5) * 100,
    z: edge ? (random() < 0.5 ? -(2 ** 31) : 2 ** 31 - 1) : int(random, -1e6, 1e6),
    vz: int(random, -300, 300),
    angle: (random() - 0.5) * 2 * Math.PI,
    a8: int(random, -128, 127),
    a16: int(random, -32768, 32767),
    u8: int(random, 0, 255),
    u16: int(random, 0, 65535),
    u32: edge ? 2 ** 32 - 1 : int(random, 0, 1e9),
  }
}

/** Movers follow their velocity (what prediction is for); others jump, turn, vanish or appear. */
function evolve(random: Random, prev: Snapshot<L>, tick: number): Snapshot<L> {
  const entities = new Map<number, E>()
  for (const [id, e] of prev.entities) {
    const r = random()
    if (r < 0.05) continue
    if (r < 0.3) entities.set(id, e)
    else if (r < 0.85) entities.set(id, { ...e, x: e.x + e.vx / 30, z: clamp32(e.z + e.vz), angle: e.angle + (random() - 0.5) * 0.1 })
    else if (r < 0.95) entities.set(id, { ...e, u8: int(random, 0, 255), a8: int(random, -128, 127) })
    else entities.set(id, randomEntity(random))
  }
  for (let i = int(random, 0, 5); i > 0; i--) entities.set(int(random, 0, random() < 0.5 ? 500 : 2 ** 40), randomEntity(random))
  return { tick, entities }
}

function randomWorld(random: Random, tick: number): Snapshot<L> {
  const entities = new Map<number, E>()
  for (let i = int(random, 0, 80); i > 0; i--) entities.set(int(random, 0, random() < 0.7 ? 300 : 2 ** 45), randomEntity(random))
  return { tick, entities }
}

describe('SnapshotCodec, every field kind', () => {
  it('round-trips exactly: full, deltas against bases acknowledged late (up to 8 ticks), entities added and removed', () => {
    let checked = 0
    for (let seed = 1; seed <= 120; seed++) {
      const random = seededRandom(seed)
      let world = randomWorld(random, 1)
      const clientHas = [codec.decode(undefined, codec.encode(undefined, world))]
      same(clientHas[0]!, codec.quantize(world))
      for (let tick = 2; tick <= 12; tick++) {
        world = evolve(random, world, tick)
        const base = clientHas[Math.max(0, clientHas.length - 1 - int(random, 0, 7))]!
        const bytes = codec.encode(base, world)
        const decoded = codec.decode(base, bytes)
        same(decoded, codec.quantize(world))
        // Prediction never makes a delta bigger, but for its on/off bit per velocity pair.
        expect(bytes.byteLength).toBeLessThanOrEqual(noPrediction.encode(base, world).byteLength + 1)
        clientHas.push(decoded)
        checked++
      }
    }
    expect(checked).toBe(120 * 11)
  })

  it('predicts positions from the base velocity: movers cost the rounding, not the distance', () => {
    const random = seededRandom(5)
    const world0 = codec.quantize(randomWorld(random, 1))
    const moved = (tick: number): Snapshot<L> => ({
      tick,
      entities: new Map([...world0.entities].map(([id, e]): [number, E] => [id, { ...e, x: e.x + ((tick - 1) * e.vx) / 30, z: clamp32(e.z + (tick - 1) * e.vz) }])),
    })
    const late = moved(4) // base acknowledged 3 ticks late
    const withPrediction = codec.encode(world0, late)
    const without = noPrediction.encode(world0, late)
    console.log('movers, 3 ticks late:', { withPrediction: withPrediction.byteLength, without: without.byteLength, entities: world0.entities.size })
    expect(withPrediction.byteLength).toBeLessThan(0.75 * without.byteLength)
    same(codec.decode(world0, withPrediction), codec.quantize(late))
  })

  it('never encodes more than overheadBytes + entityBytes + removedBytes say (the planner relies on it)', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const random = seededRandom(1000 + seed)
      let base = codec.quantize(randomWorld(random, 1))
      for (let tick = 2; tick <= 6; tick++) {
        const world = codec.quantize(evolve(random, base, tick))
        let bound = codec.overheadBytes(tick, base.tick, base.entities.size + world.entities.size)
        for (const [id, e] of world.entities) {
          const b = base.entities.get(id)
          if (!b || JSON.stringify(b) !== JSON.stringify(e)) bound += codec.entityBytes(id, e, b)
        }
        for (const id of base.entities.keys()) if (!world.entities.has(id)) bound += codec.removedBytes(id)
        expect(codec.encode(base, world).byteLength).toBeLessThanOrEqual(bound)
        expect(codec.encode(undefined, world).byteLength).toBeLessThanOrEqual(
          codec.overheadBytes(tick, undefined, world.entities.size) + [...world.entities].reduce((n, [id, e]) => n + codec.entityBytes(id, e, undefined), 0),
        )
        base = world
      }
    }
  })

  it('keeps a full snapshot of 100 bench-like entities under the hand-packed float32 layout (24 B each)', () => {
    const random = seededRandom(9)
    const world: Snapshot<L> = { tick: 1, entities: new Map(Array.from({ length: 100 }, (_, i): [number, E] => [1000 + i * 7, randomEntity(random)])) }
    // Wider fields than the bench (int32, uint32, ...): still below 2 + 100 * 24.
    expect(codec.encode(undefined, world).byteLength).toBeLessThanOrEqual(2 + 100 * 24)
  })
})
