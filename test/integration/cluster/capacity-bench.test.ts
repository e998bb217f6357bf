/**
 * The short form of the cluster capacity bench (`npm run bench -- --cluster`): the real bots harness
 * against 1 node and 2 nodes on a real redis-server. It checks that the bench measures what it
 * claims (every bot plays, both nodes carry rooms, the figures are sane), not how fast it is.
 */
import { describe, expect, it } from 'vitest'
import { runClusterCapacityBench } from '../../../bench/capacity-cluster'
import { canRunRedis } from '../../support/redis'

const redis = canRunRedis()

describe.skipIf(!redis.ok)('cluster capacity bench, short form', () => {
  it('runs 16 bots against 1 node and against 2 nodes, rooms spread over the nodes', async () => {
    const lines: string[] = []
    const r = await runClusterCapacityBench({ counts: [16], durationS: 3, log: (l) => lines.push(l) })
    if ('skipped' in r) throw new Error(r.skipped)
    for (const key of ['nodes1', 'nodes2'] as const) {
      const row = r[key]['16']!
      expect(row, `${key}: ${lines.join('\n')}`).toMatchObject({ connected: 16, failed: 0 })
      // The demo's rooms send 30 snapshots a second; a loaded machine may delay some, never double them.
      expect(row.snapshotsPerSec).toBeGreaterThan(15)
      expect(row.snapshotsPerSec).toBeLessThan(33)
      expect(row.updateAgeP50Ms).not.toBeNull()
      expect(row.nodeCpuPct).toHaveLength(key === 'nodes1' ? 1 : 2)
      expect(row.cpuUsPerClientTick).toBeGreaterThan(0)
      expect(row.serverCpuPct).toBeCloseTo(row.nodeCpuPct.reduce((a, b) => a + b, 0), 0)
    }
    // Two rooms of 8: one on each node, so each node serves 8 players (an idle node uses far less).
    const [a, b] = r.nodes2['16']!.nodeCpuPct
    expect(Math.min(a!, b!)).toBeGreaterThan(0)
  }, 240_000)
})
