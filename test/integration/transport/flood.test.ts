import { describe, expect, it } from 'vitest'
import { runFlood } from '../../../bench/flood-run'

/**
 * The live fuzz and flood, short form (`npm run flood` is the full one, with figures): offenders in
 * their own processes send bad frames and a 10,000 msg/s flood on each channel while 8 honest
 * players play a 30 Hz room and chat. Correctness is asserted; timing only with a generous bound
 * (the machine may be loaded).
 */
describe('live fuzz and flood (short)', () => {
  it('offenders are disconnected with a reason; honest players keep every reliable message, once, in order', async () => {
    const f = await runFlood({ honestClients: 8, badFrames: 2000, badProcesses: 1, floodRounds: 1, maxMs: 60_000, baselineMs: 1000, chatEveryMs: 200, niceOffenders: true })
    // Every offender connection ended with a reason it was told.
    expect(f.offenders.errors).toEqual([])
    expect(f.byMode['bad']!.connections).toBeGreaterThanOrEqual(1)
    expect(f.byMode['flood-unreliable']!.connections).toBe(1)
    expect(f.byMode['flood-reliable']!.connections).toBe(1)
    expect(f.byMode['bad']!.reasons).toEqual({ 'protocol-error': f.byMode['bad']!.connections })
    expect(f.byMode['flood-unreliable']!.reasons).toEqual({ 'rate-limit': 1 })
    expect(f.byMode['flood-reliable']!.reasons).toEqual({ 'rate-limit': 1 })
    expect(f.offenders.latencyMaxMs).toBeLessThan(10_000)
    // The server's side of it: every offender connection it closed, it closed for cause.
    expect(f.serverSide.closes).toBeGreaterThanOrEqual(f.offenders.connections)
    expect(Object.keys(f.serverSide.reasons).sort()).toEqual(['protocol-error', 'rate-limit'])
    expect(f.offenders.serverReceivedBad).toBeGreaterThanOrEqual(2000)
    expect(f.offenders.serverRejected).toBeGreaterThanOrEqual(1000)
    // Honest players: nothing lost, duplicated or reordered; nobody dropped.
    expect(f.honest.chatExpected).toBeGreaterThan(0)
    expect(f.honest.missing).toBe(0)
    expect(f.honest.duplicates).toBe(0)
    expect(f.honest.outOfOrder).toBe(0)
    expect(f.honest.chatDelivered).toBe(f.honest.chatExpected)
    expect(f.honest.disconnects).toEqual([])
    expect(f.honest.snapshots).toBeGreaterThan(100)
    expect(f.honest.tickIntervalP99).toBeLessThan(2000)
    // The server stayed up with bounded memory.
    expect(f.server.alive).toBe(true)
    expect(f.server.rssPeakMb - f.server.rssBaselineMb).toBeLessThan(200)
    expect(f.server.sendBudgetPeakBytes).toBeLessThan(1024 * 1024)
  }, 180_000)
})
