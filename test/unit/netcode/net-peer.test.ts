import { describe, expect, it } from 'vitest'
import { NetPeer } from '../../../server/netcode/net-peer'
import type { NetInput } from '../../../shared/netcode/net-messages'
import { t } from '../../../shared/schema/index'

const fields = { moveX: t.float32() }
type F = typeof fields
type L = { x: ReturnType<typeof t.uint8> }
const peer = (depth = 2) =>
  new NetPeer<F, L>(1, { sanitize: (i) => i, inputsPerTick: 2, inputBurst: 8, inputDepth: depth, historySize: 8, priority: {} })
const inputs = (from: number, n: number): NetInput<F>[] => Array.from({ length: n }, (_, i) => ({ seq: from + i, moveX: 1 }))

describe('NetPeer input buffer (60 Hz inputs, 30 Hz ticks)', () => {
  it('fills to a tick plus `depth` inputs, then drains two per tick', () => {
    const p = peer()
    p.receiver.receive(inputs(0, 3))
    expect(p.take(0)).toEqual([]) // 3 < 2 + 2: still filling
    p.receiver.receive(inputs(3, 2))
    expect(p.take(33).map((i) => i.seq)).toEqual([0, 1])
    expect(p.take(67).map((i) => i.seq)).toEqual([2, 3])
    expect(p.stats().pending).toBe(1)
  })

  it('catches up on a late burst at 1.5x (3 per tick), not all at once', () => {
    const p = peer(0)
    p.receiver.receive(inputs(0, 2))
    expect(p.take(0)).toHaveLength(2)
    // A tick with nothing (the buffer runs dry), then 8 inputs at once.
    p.receiver.receive([])
    expect(p.take(33)).toHaveLength(0)
    p.receiver.receive(inputs(2, 8))
    const sizes = [p.take(67).length, p.take(100).length, p.take(133).length]
    expect(sizes).toEqual([2, 2, 2]) // refilled after running dry: 2 per tick, the rest buffered
    const q = peer(0)
    q.receiver.receive(inputs(0, 20))
    const taken = Array.from({ length: 6 }, (_, k) => q.take(k * 33).length)
    expect(Math.max(...taken)).toBeLessThanOrEqual(3)
  })

  it('gives a client that floods inputs no more than the input rate (speed hack)', () => {
    const p = peer(0)
    p.receiver.receive(inputs(0, 64))
    let applied = 0
    for (let k = 0; k < 20; k++) applied += p.take(k * 33).length
    // 20 ticks at 2 inputs per tick, plus the initial burst credit of 8 at most.
    expect(applied).toBeLessThanOrEqual(20 * 2 + 8)
    expect(applied).toBeGreaterThanOrEqual(40)
  })
})
