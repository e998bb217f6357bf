import { describe, expect, it } from 'vitest'
import { SnapshotCodec, type Snapshot } from '../../../shared/netcode/snapshot-delta'
import { t } from '../../../shared/schema/index'

const layout = { x: t.quantized({ min: 0, max: 100, step: 0.01 }), y: t.quantized({ min: 0, max: 100, step: 0.01 }), hp: t.uint8() }
type L = typeof layout

function world(tick: number, n: number, shift: number): Snapshot<L> {
  const entities = new Map<number, { x: number; y: number; hp: number }>()
  // Inserted out of id order, as a game's map may be.
  for (let i = n - 1; i >= 0; i--) entities.set(i * 3 + 1, { x: (i * 7.13 + shift) % 100, y: (i * 3.7 + shift) % 100, hp: (i * 11) % 256 })
  return { tick, entities }
}

describe('SnapshotCodec.table / pick', () => {
  it('lists entities in id order with their wire integers', () => {
    const codec = new SnapshotCodec(layout)
    const w = codec.quantize(world(5, 10, 0))
    const table = codec.table(w)
    expect(table.ids).toEqual([...w.entities.keys()].sort((a, b) => a - b))
    expect(table.entities).toEqual(table.ids.map((id) => w.entities.get(id)))
    expect(table.vals.length).toBe(table.ids.length * table.fields)
  })

  it('a picked subset encodes and decodes exactly as the same subset built by hand', () => {
    const codec = new SnapshotCodec(layout)
    const base = codec.quantize(world(4, 30, 0))
    const w = codec.quantize(world(5, 30, 1.5))
    const picked = codec.table(w).ids.flatMap((id, i) => (id % 2 === 0 ? [i] : []))
    const subset = codec.pick(w, picked)
    const byHand = { tick: w.tick, entities: new Map([...w.entities].filter(([id]) => id % 2 === 0)) }
    expect([...subset.entities.keys()].sort()).toEqual([...byHand.entities.keys()].sort())
    for (const b of [undefined, base]) {
      const bytes = codec.encode(b, subset)
      expect(bytes).toEqual(new SnapshotCodec(layout).encode(b, byHand))
      expect(codec.decode(b, bytes).entities).toEqual(byHand.entities)
    }
  })
})
