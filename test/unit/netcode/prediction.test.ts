import { describe, expect, it } from 'vitest'
import { simulate, type MoveInput, type MoveState } from '../../../shared/netcode/movement'
import { Predictor } from '../../../shared/netcode/prediction'

const DT = 1000 / 60
const right = (seq: number): MoveInput => ({ seq, moveX: 1, moveY: 0 })
const make = (o: { snapBeyond?: number } = {}) => new Predictor<MoveState, MoveInput>({ simulate, dtMs: DT, initial: { x: 0, y: 0 }, ...o })

describe('Predictor', () => {
  it('applies inputs at once and replays the unacknowledged ones on the server state', () => {
    const p = make()
    for (let i = 0; i < 6; i++) p.apply(right(i))
    expect(p.predicted.x).toBeCloseTo(0.6, 12) // 6 units/s for 100 ms
    // The server processed 0..2 and agrees: nothing to correct.
    let server: MoveState = { x: 0, y: 0 }
    for (let i = 0; i < 3; i++) server = simulate(server, right(i), DT)
    p.reconcile(1, server, 2, 100)
    expect(p.unacknowledged.map((i) => i.seq)).toEqual([3, 4, 5])
    expect(p.predicted.x).toBeCloseTo(0.6, 12)
    expect(p.stats.corrections).toBe(0)
    expect(p.render(100)).toEqual(p.predicted)
  })

  it('smooths a correction: no visible jump, 5% left after 100 ms', () => {
    const p = make()
    for (let i = 0; i < 6; i++) p.apply(right(i))
    // The server says we were blocked 0.5 units to the left of where we thought, after input 2.
    p.reconcile(1, { x: 0.3 - 0.5, y: 0 }, 2, 1000)
    expect(p.predicted.x).toBeCloseTo(0.1, 12)
    expect(p.render(1000).x).toBeCloseTo(0.6, 12) // nothing moved on screen at the moment of correction
    expect(p.render(1050).x - 0.1).toBeCloseTo(0.5 * Math.sqrt(0.05), 12)
    expect(p.render(1100).x - 0.1).toBeCloseTo(0.5 * 0.05, 12)
    expect(p.render(1500).x).toBeCloseTo(0.1, 5)
    expect(p.stats).toEqual({ corrections: 1, maxCorrection: expect.closeTo(0.5, 12), staleStates: 0 })
  })

  it('ignores a server state older than one already applied, and snaps large corrections', () => {
    const p = make({ snapBeyond: 2 })
    p.apply(right(0))
    p.reconcile(5, { x: 0.1, y: 0 }, 0, 0)
    p.reconcile(4, { x: 99, y: 0 }, 0, 10)
    expect(p.stats.staleStates).toBe(1)
    expect(p.predicted.x).toBe(0.1)
    p.reconcile(6, { x: 50, y: 0 }, 0, 20) // respawned far away: shown at once
    expect(p.render(20).x).toBe(50)
  })
})

describe('Predictor with angle fields', () => {
  type Spin = { x: number; angle: number }
  type Turn = { seq: number; turn: number }
  // Turning 1 rad/s, angle kept in (-pi, pi] as a server would send it.
  const spin = (s: Spin, i: Turn, dt: number): Spin => ({ x: s.x, angle: Math.atan2(Math.sin(s.angle + (i.turn * dt) / 1000), Math.cos(s.angle + (i.turn * dt) / 1000)) })
  const make = (angles?: string[]) => new Predictor<Spin, Turn>({ simulate: spin, dtMs: 100, initial: { x: 0, angle: 3.1 }, tolerance: 0.1, angles })

  it('compares angles the short way round, so crossing pi is no correction', () => {
    const p = make(['angle'])
    p.apply({ seq: 0, turn: 1 }) // 3.1 + 0.1 wraps to about -3.083
    // The server processed it and agrees up to 0.06 rad, on the other side of the seam.
    p.reconcile(1, { x: 0, angle: 3.14159 }, 0, 0)
    expect(p.stats.corrections).toBe(0)
    expect(Math.abs(p.render(0).angle)).toBeGreaterThan(3)
  })

  it('without the angle declaration the same state counts as a ~6 rad correction', () => {
    const p = make()
    p.apply({ seq: 0, turn: 1 })
    p.reconcile(1, { x: 0, angle: 3.14159 }, 0, 0)
    expect(p.stats.corrections).toBe(1)
    expect(p.stats.maxCorrection).toBeGreaterThan(6)
  })

  it('smooths a real angle correction the short way and keeps the drawn angle in range', () => {
    const p = make(['angle'])
    p.apply({ seq: 0, turn: 1 })
    p.reconcile(1, { x: 0, angle: -2.9 }, 0, 0) // server: acknowledged, 0.18 rad further round
    const drawn = p.render(0).angle
    expect(drawn).toBeGreaterThanOrEqual(-Math.PI)
    expect(drawn).toBeLessThanOrEqual(Math.PI)
    expect(Math.abs(drawn - -3.083)).toBeLessThan(0.01) // on screen nothing jumped
    expect(Math.abs(p.render(1000).angle - -2.9)).toBeLessThan(1e-6) // then it settles on the server's angle
  })
})
