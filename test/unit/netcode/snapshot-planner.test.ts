import { describe, expect, it } from 'vitest'
import { planSnapshot, xyPosition } from '../../../server/netcode/snapshot-planner'
import { PriorityAccumulator } from '../../../shared/netcode/priority'
import { SnapshotCodec, type EntityOf, type Snapshot } from '../../../shared/netcode/snapshot-delta'
import { t } from '../../../shared/schema/index'
import { seededRandom } from '../../../shared/transport/random'

const layout = { x: t.quantized({ min: -1000, max: 1000, step: 0.01 }), y: t.quantized({ min: -1000, max: 1000, step: 0.01 }), hp: t.uint8() }
type L = typeof layout
type E = EntityOf<L>
const codec = new SnapshotCodec(layout)
const random = seededRandom(3)

function world(tick: number, n: number, move: (id: number) => E): Snapshot<L> {
  return codec.quantize({ tick, entities: new Map(Array.from({ length: n }, (_, i) => [i, move(i)] as [number, E])) })
}
const at = (id: number, tick: number): E => ({ x: (id % 20) * 3 + tick * 0.37, y: Math.floor(id / 20) * 3 - tick * 0.21, hp: 100 })

describe('planSnapshot', () => {
  it('sends the whole world when it fits (same object: encoded once for every client)', () => {
    const w = world(1, 10, (id) => at(id, 1))
    const plan = planSnapshot({ codec, world: w, base: undefined, selfId: 0, budgetBytes: 1200, priority: new PriorityAccumulator(), position: xyPosition })
    expect(plan.partial).toBe(false)
    expect(plan.snapshot).toBe(w)
    expect(codec.decode(undefined, plan.bytes).entities.size).toBe(10)
  })

  it('over budget: the base with only the chosen entities updated, own entity always current, removals kept', () => {
    const base = world(1, 300, (id) => at(id, 1))
    // Tick 2: everything moved; entity 299 is gone; entity 300 is new.
    const entities = new Map(world(2, 299, (id) => at(id, 2)).entities)
    entities.set(300, codec.quantize({ tick: 0, entities: new Map([[300, at(300, 2)]]) }).entities.get(300)!)
    const w: Snapshot<L> = { tick: 2, entities }
    const plan = planSnapshot({ codec, world: w, base, selfId: 250, budgetBytes: 300, priority: new PriorityAccumulator(), position: xyPosition })
    expect(plan.partial).toBe(true)
    expect(plan.bytes.byteLength).toBeLessThanOrEqual(300)
    // Filled by measuring, not only by the per-entity upper bounds (several times the bit-packed size).
    expect(plan.bytes.byteLength).toBeGreaterThan(0.85 * 300)
    const decoded = codec.decode(base, plan.bytes)
    expect(decoded.entities).toEqual(plan.snapshot.entities)
    expect(decoded.entities.get(250)).toEqual(w.entities.get(250))
    expect(decoded.entities.has(299)).toBe(false) // removed from the world: removed
    let current = 0
    for (let id = 0; id < 299; id++) {
      const e = decoded.entities.get(id)!
      expect(e).toBeDefined() // left out is not removed
      if (e === w.entities.get(id) || JSON.stringify(e) === JSON.stringify(w.entities.get(id))) current++
      else expect(e).toEqual(base.entities.get(id))
    }
    expect(current).toBe(plan.current - (decoded.entities.has(300) ? 1 : 0))
    expect(current).toBeGreaterThan(50)
    expect(current).toBeLessThan(299)
  })

  it('never starves anyone: with acks each packet, every entity is current at least every 8 packets', () => {
    const priority = new PriorityAccumulator({ distanceScale: 10 })
    let base: Snapshot<L> | undefined
    const lastCurrent = new Map<number, number>()
    let worstGap = 0
    for (let tick = 1; tick <= 60; tick++) {
      const w = world(tick, 200, (id) => at(id, tick + random() * 0.01))
      const plan = planSnapshot({ codec, world: w, base, selfId: 0, budgetBytes: 1000, priority, position: xyPosition })
      expect(plan.bytes.byteLength).toBeLessThanOrEqual(1000)
      const decoded = codec.decode(base, plan.bytes)
      for (const [id, e] of decoded.entities) {
        if (JSON.stringify(e) !== JSON.stringify(w.entities.get(id))) continue
        if (tick > 8) worstGap = Math.max(worstGap, tick - (lastCurrent.get(id) ?? 0))
        lastCurrent.set(id, tick)
      }
      base = decoded
    }
    expect(lastCurrent.size).toBe(200)
    expect(worstGap).toBeLessThanOrEqual(8)
  })

  it('keeps to the interest radius, with hysteresis for entities the client already has', () => {
    const w = codec.quantize({
      tick: 2,
      entities: new Map<number, E>([
        [1, { x: 0, y: 0, hp: 1 }],
        [2, { x: 9, y: 0, hp: 1 }],
        [3, { x: 10.5, y: 0, hp: 1 }], // beyond 10, within 11: kept only if the client has it
        [4, { x: 0, y: 10.5, hp: 1 }],
        [5, { x: 30, y: 0, hp: 1 }],
      ]),
    })
    const base = codec.quantize({ tick: 1, entities: new Map<number, E>([[3, { x: 10.4, y: 0, hp: 1 }], [5, { x: 30, y: 0, hp: 1 }]]) })
    const plan = planSnapshot({ codec, world: w, base, selfId: 1, budgetBytes: 1200, priority: new PriorityAccumulator(), position: xyPosition, interestRadius: 10 })
    expect([...codec.decode(base, plan.bytes).entities.keys()].sort()).toEqual([1, 2, 3])
  })
})
