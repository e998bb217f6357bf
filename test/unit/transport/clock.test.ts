import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../../shared/transport/clock'

describe('ManualClock', () => {
  it('moves only when told, firing due timers in time order at their time', () => {
    const c = new ManualClock()
    const log: string[] = []
    c.setTimeout(() => log.push(`b@${c.now()}`), 20)
    c.setTimeout(() => log.push(`a@${c.now()}`), 10)
    c.setTimeout(() => log.push(`c@${c.now()}`), 30)
    expect(c.now()).toBe(0)
    c.advance(25)
    expect(log).toEqual(['a@10', 'b@20'])
    expect(c.now()).toBe(25)
    c.advance(5)
    expect(log).toEqual(['a@10', 'b@20', 'c@30'])
  })

  it('fires timers set by timers within the same advance when due', () => {
    const c = new ManualClock()
    const at: number[] = []
    const tick = () => {
      at.push(c.now())
      if (at.length < 5) c.setTimeout(tick, 100)
    }
    c.setTimeout(tick, 100)
    c.advance(1000)
    expect(at).toEqual([100, 200, 300, 400, 500])
  })

  it('clearTimeout cancels; negative delays fire on the next advance', () => {
    const c = new ManualClock()
    let fired = 0
    const h = c.setTimeout(() => fired++, 10)
    c.clearTimeout(h)
    c.setTimeout(() => fired += 10, -5)
    c.advance(0)
    expect(fired).toBe(10)
    c.advance(100)
    expect(fired).toBe(10)
  })
})
