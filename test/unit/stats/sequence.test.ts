import { describe, expect, it } from 'vitest'
import { SEQ_MOD, seqDiff, seqNext } from '../../../shared/stats/sequence'

describe('16-bit sequence numbers', () => {
  it('seqNext wraps at 65535', () => {
    expect(seqNext(0)).toBe(1)
    expect(seqNext(65534)).toBe(65535)
    expect(seqNext(65535)).toBe(0)
  })

  it('seqDiff is wrap-safe within half the range', () => {
    expect(seqDiff(5, 3)).toBe(2)
    expect(seqDiff(3, 5)).toBe(-2)
    expect(seqDiff(0, 65535)).toBe(1)
    expect(seqDiff(65535, 0)).toBe(-1)
    expect(seqDiff(10, 65530)).toBe(16)
    expect(seqDiff(0x7fff, 0)).toBe(0x7fff)
    expect(seqDiff(0x8000, 0)).toBe(-0x8000) // half way: taken as behind
    expect(seqDiff(7, 7)).toBe(0)
  })

  it('n steps of seqNext from any start are n ahead, and the start is n behind (n < 32768)', () => {
    for (const a of [0, 1, 1000, 32767, 32768, 65000, 65535]) {
      let b = a
      for (let n = 1; n < 0x8000; n++) {
        b = seqNext(b)
        if (seqDiff(b, a) !== n || seqDiff(a, b) !== -n) throw new Error(`seqDiff wrong at a=${a}, n=${n}`)
      }
      expect(seqDiff(seqNext(b), a)).toBe(-0x8000)
      expect(b).toBe((a + 0x7fff) % SEQ_MOD)
    }
  })
})
