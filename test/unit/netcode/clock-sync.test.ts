import { describe, expect, it } from 'vitest'
import { ClockSync } from '../../../shared/netcode/clock-sync'
import { ManualClock } from '../../../shared/transport/clock'
import { seededRandom } from '../../../shared/transport/random'
import { SimLink, type SimLinkOptions } from './sim-network'

// ~100 ms RTT (40 ms + 0-20 ms jitter per leg), 10% loss per leg, and asymmetric spikes of 40-200 ms:
// 5% of requests, 30% of replies (a congested downlink). The spikes bias a plain average or median of offsets.
const UP: SimLinkOptions = { latencyMs: 40, jitterMs: 20, loss: 0.1, spikeChance: 0.05, spikeMs: [40, 200] }
const DOWN: SimLinkOptions = { ...UP, spikeChance: 0.3 }
const PING_MS = 200
const FRAME_MS = 1000 / 60

/** Pings a server whose clock runs `serverClock(t)` (t = client clock) and samples the estimate every frame. */
function run(seed: number, seconds: number, serverClock: (t: number) => number, onFrame: (t: number, sync: ClockSync) => void) {
  const clock = new ManualClock()
  const random = seededRandom(seed)
  const up = new SimLink<number>(clock, random, UP)
  const down = new SimLink<{ sent: number; server: number }>(clock, random, DOWN)
  const sync = new ClockSync()
  let pings = 0
  const ping = (): void => {
    pings++
    up.send(clock.now(), (sent) => down.send({ sent, server: serverClock(clock.now()) }, (r) => sync.addSample(r.sent, r.server, clock.now())))
    clock.setTimeout(ping, PING_MS)
  }
  ping()
  for (let t = 0; t < seconds * 1000; t += FRAME_MS) {
    clock.advance(FRAME_MS)
    onFrame(clock.now(), sync)
  }
  return { sync, pings, lost: up.dropped + down.dropped }
}

describe('ClockSync', () => {
  it('takes a clean sample exactly, and ignores an asymmetric outlier', () => {
    const sync = new ClockSync({ slewRate: 0.05 })
    expect(sync.serverNow(10)).toBe(10) // no sample yet: local time
    sync.addSample(0, 1050, 100) // server clock 1000 ahead, 50 ms each way
    expect(sync.serverNow(100)).toBe(1100)
    for (let i = 1; i < 8; i++) sync.addSample(i * 200, 1000 + i * 200 + 50, i * 200 + 100)
    // 300 ms stuck on the way back only: alone it would say the offset is 850.
    expect(sync.addSample(2000, 3050, 2400)).toBe(true)
    expect(sync.targetOffset).toBe(1000)
    expect(sync.rtt).toBe(100)
    expect(sync.addSample(3000, 1, 2999)).toBe(false)
    expect(sync.addSample(3000, Number.NaN, 3100)).toBe(false)
    expect(sync.stats).toEqual({ accepted: 9, rejected: 2 })
  })

  it('converges within ±5 ms after 40 pings through 100 ms RTT, 20 ms jitter, asymmetric spikes and 10% loss', () => {
    // Server clock is 12.3 s ahead and runs 50 ppm fast.
    const server = (t: number) => 12_345.678 + t * (1 + 50e-6)
    let maxErr = 0
    let sumErr = 0
    let frames = 0
    let lastEstimate = -Infinity
    let maxStep = 0
    const { sync, pings, lost } = run(7, 60, server, (t, s) => {
      const estimate = s.serverNow(t)
      if (!s.synced) return
      if (lastEstimate > -Infinity) maxStep = Math.max(maxStep, estimate - lastEstimate)
      expect(estimate).toBeGreaterThanOrEqual(lastEstimate) // never backwards
      lastEstimate = estimate
      if (t < 40 * PING_MS) return
      const err = Math.abs(estimate - server(t))
      maxErr = Math.max(maxErr, err)
      sumErr += err
      frames++
    })
    const meanErr = sumErr / frames
    console.log(`clock-sync: |error| max ${maxErr.toFixed(2)} ms, mean ${meanErr.toFixed(2)} ms after 40 pings, ${pings} pings, ${lost} lost, rtt ${sync.rtt.toFixed(1)} ms`)
    expect(lost).toBeGreaterThan(0.15 * pings) // ~19% of exchanges lose a leg
    expect(maxErr).toBeLessThanOrEqual(5)
    expect(meanErr).toBeLessThanOrEqual(2)
    expect(sync.rtt).toBeGreaterThanOrEqual(80)
    expect(sync.rtt).toBeLessThan(110)
    // After the first sample (which is taken at once), no frame-to-frame step beyond 5% slew.
    expect(maxStep).toBeLessThanOrEqual(FRAME_MS * 1.05 + 1e-9)
  })

  it('slews across a 200 ms server clock step without jumping, and re-converges within 15 s', () => {
    const server = (t: number) => 5000 + t + (t >= 20_000 ? 200 : 0)
    let last = -Infinity
    let maxStep = 0
    let errAtEnd = 0
    let errJustAfter = 0
    run(11, 40, server, (t, s) => {
      const est = s.serverNow(t)
      if (t > 1000) maxStep = Math.max(maxStep, est - last)
      last = est
      if (t >= 20_000 && t < 21_000) errJustAfter = Math.max(errJustAfter, Math.abs(est - server(t)))
      if (t >= 35_000) errAtEnd = Math.max(errAtEnd, Math.abs(est - server(t)))
    })
    expect(errJustAfter).toBeGreaterThan(150) // the step really happened and was not jumped over
    expect(maxStep).toBeLessThanOrEqual(FRAME_MS * 1.05 + 1e-9)
    expect(errAtEnd).toBeLessThanOrEqual(5)
  })
})
