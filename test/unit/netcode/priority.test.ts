import { describe, expect, it } from 'vitest'
import { PriorityAccumulator, type PriorityCandidate } from '../../../shared/netcode/priority'
import { seededRandom } from '../../../shared/transport/random'

describe('PriorityAccumulator', () => {
  it('fills the byte budget, nearer and more-changed first', () => {
    const p = new PriorityAccumulator({ budgetBytes: 100 })
    const chosen = p.select([
      { id: 1, distance: 100, change: 0, bytes: 40 },
      { id: 2, distance: 0, change: 0, bytes: 40 },
      { id: 3, distance: 0, change: 5, bytes: 40 },
      { id: 4, distance: 100, change: 0, bytes: 20 },
    ])
    expect(chosen).toEqual([3, 2, 4]) // 1 and 4 tie; 1 does not fit, 4 does
    expect(p.priority(1)).toBeGreaterThan(0)
    expect(p.priority(3)).toBe(0)
  })

  it('starves no one: 300 entities, ~60 fit per 1200 B packet, every entity sent within 25 packets', () => {
    const random = seededRandom(4)
    const entities: PriorityCandidate[] = Array.from({ length: 300 }, (_, id) => ({
      id,
      distance: random() * 500,
      change: random() < 0.3 ? random() * 3 : 0,
      bytes: 14 + Math.floor(random() * 12),
    }))
    const p = new PriorityAccumulator()
    const lastSent = new Map<number, number>()
    const sendCount = new Map<number, number>()
    let worstGap = 0
    for (let packet = 0; packet < 400; packet++) {
      const chosen = p.select(entities)
      const bytes = chosen.reduce((sum, id) => sum + entities[id]!.bytes, 0)
      expect(bytes).toBeLessThanOrEqual(1200)
      expect(bytes).toBeGreaterThan(1200 - 26) // the budget is used, not left half empty
      for (const id of chosen) {
        worstGap = Math.max(worstGap, packet - (lastSent.get(id) ?? -1))
        lastSent.set(id, packet)
        sendCount.set(id, (sendCount.get(id) ?? 0) + 1)
      }
    }
    for (const e of entities) worstGap = Math.max(worstGap, 400 - (lastSent.get(e.id) ?? -1))
    const byDistance = [...entities].sort((a, b) => a.distance - b.distance)
    const avg = (list: PriorityCandidate[]) => list.reduce((s, e) => s + (sendCount.get(e.id) ?? 0), 0) / list.length
    const near = avg(byDistance.slice(0, 30))
    const far = avg(byDistance.slice(-30))
    console.log(`priority: worst gap ${worstGap} packets; nearest 30 sent ${near.toFixed(1)}x, farthest 30 ${far.toFixed(1)}x in 400 packets`)
    expect(worstGap).toBeLessThanOrEqual(25)
    expect(near).toBeGreaterThan(3 * far)
    expect(far).toBeGreaterThan(0)
  })

  it('forgets entities that are gone', () => {
    const p = new PriorityAccumulator({ budgetBytes: 0 })
    p.select([{ id: 1, distance: 0, change: 0, bytes: 10 }])
    expect(p.priority(1)).toBe(1)
    p.select([])
    expect(p.priority(1)).toBe(0)
  })
})
