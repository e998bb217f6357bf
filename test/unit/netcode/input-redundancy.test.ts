import { describe, expect, it } from 'vitest'
import { InputReceiver, InputSender } from '../../../shared/netcode/input-redundancy'
import { MAX_SPEED, sanitizeMoveInput, simulate, type MoveInput } from '../../../shared/netcode/movement'

const input = (seq: number, moveX = 1, moveY = 0): MoveInput => ({ seq, moveX, moveY })
const seqs = (inputs: readonly MoveInput[]) => inputs.map((i) => i.seq)

describe('InputSender', () => {
  it('repeats the last K unacknowledged inputs', () => {
    const sender = new InputSender<MoveInput>(3)
    expect(seqs(sender.push(input(0)))).toEqual([0])
    sender.push(input(1))
    expect(seqs(sender.push(input(2)))).toEqual([0, 1, 2])
    expect(seqs(sender.push(input(3)))).toEqual([1, 2, 3])
    sender.ack(2)
    expect(seqs(sender.push(input(4)))).toEqual([3, 4])
    // No new input (keys released): keep repeating what is unacknowledged, until acked.
    expect(seqs(sender.repeat())).toEqual([3, 4])
    sender.ack(4)
    expect(sender.repeat()).toEqual([])
  })

  it('acks across the 16-bit wrap', () => {
    const sender = new InputSender<MoveInput>(4)
    for (const s of [65534, 65535, 0]) sender.push(input(s))
    sender.ack(65535)
    expect(seqs(sender.push(input(1)))).toEqual([0, 1])
  })
})

describe('InputReceiver', () => {
  const make = (o: { skipGapAfter?: number; firstSeq?: number } = {}) => new InputReceiver<MoveInput>({ sanitize: sanitizeMoveInput, ...o })

  it('deduplicates redundant copies and hands inputs over in order', () => {
    const r = make()
    r.receive([input(0), input(1)])
    r.receive([input(0), input(1), input(2)])
    r.receive([input(3), input(2)])
    expect(seqs(r.take(0))).toEqual([0, 1, 2, 3])
    r.receive([input(2), input(3), input(4)])
    expect(seqs(r.take(0))).toEqual([4])
    expect(r.lastProcessed).toBe(4)
    expect(r.stats).toEqual({ accepted: 5, duplicate: 5, future: 0, invalid: 0, skipped: 0 })
  })

  it('waits at a gap, fills it when a reordered packet arrives, and gives up only when hopeless', () => {
    const r = make({ skipGapAfter: 4 })
    r.receive([input(0)])
    r.receive([input(2), input(3)])
    expect(seqs(r.take(0))).toEqual([0]) // 1 may still come
    r.receive([input(1), input(2)])
    expect(seqs(r.take(0))).toEqual([1, 2, 3])
    r.receive([input(8)]) // 4 to 7 lost beyond redundancy: 8 is 4 past 4
    expect(seqs(r.take(0))).toEqual([8])
    expect(r.stats.skipped).toBe(4)
    expect(r.lastProcessed).toBe(8)
  })

  it('gives up on a gap after gapTimeoutMs even when little is held after it (the last inputs before a pause)', () => {
    const r = make()
    r.receive([input(0), input(2)])
    expect(seqs(r.take(1000))).toEqual([0])
    expect(seqs(r.take(1149))).toEqual([])
    expect(seqs(r.take(1150))).toEqual([2])
    expect(r.stats.skipped).toBe(1)
  })

  it('refuses inputs far in the future, non-finite values and bad sequence numbers; clamps speed', () => {
    const r = make()
    r.receive([input(65), input(1000)]) // maxAhead 64 from seq 0
    r.receive([input(0, Number.NaN, 0), input(0, 0, Number.POSITIVE_INFINITY), { seq: 1.5, moveX: 0, moveY: 0 }, input(-1), input(70000)])
    expect(r.stats.future).toBe(2)
    expect(r.stats.invalid).toBe(5)
    r.receive([input(0, 30, 40)]) // a speed hack: 50x the stick range
    const [taken] = r.take(0)
    expect(taken!.moveX).toBeCloseTo(0.6, 12)
    expect(taken!.moveY).toBeCloseTo(0.8, 12)
    const moved = simulate({ x: 0, y: 0 }, taken!, 1000)
    expect(Math.hypot(moved.x, moved.y)).toBeCloseTo(MAX_SPEED, 9)
  })

  it('follows the sequence across the 16-bit wrap', () => {
    const r = make({ firstSeq: 65534 })
    r.receive([input(65534), input(65535), input(0), input(1)])
    expect(seqs(r.take(0))).toEqual([65534, 65535, 0, 1])
    r.receive([input(65535)])
    expect(r.stats.duplicate).toBe(1)
  })

  it('hands over at most `max` per call (a per-tick budget against clients running fast)', () => {
    const r = make()
    r.receive([0, 1, 2, 3, 4].map((s) => input(s)))
    expect(seqs(r.take(0, 2))).toEqual([0, 1])
    expect(seqs(r.take(0, 2))).toEqual([2, 3])
    expect(r.pending).toBe(1)
  })
})
