/**
 * Capacity of a cluster: the same bots harness (`npm run bots`: real WebRTC bots playing the demo,
 * 8 per room) against 1 node and against 2 nodes of a cluster on one real redis-server, N players
 * each. Keys `capacity.cluster.nodes1|nodes2.<N>`. Both sides run the Redis backplane, so the only
 * difference is the number of server processes. A room's bots all play on one node (room k on node
 * k mod nodes), as rooms are created on their creator's node.
 *
 * On this 2-core machine the bots share the cores with the nodes: two nodes can use both cores only
 * as far as the bots leave them free. The server figures are CPU per node process over the measured
 * play (from /proc), the player figures are the bots' (snapshot rate, update age).
 */
import { startNode, type Node } from '../test/integration/cluster/cluster-net'
import { redisServerMissing, startLocalRedis } from '../server/cluster/local-redis'
import { parseArgs } from '../tools/bots/args'
import { runBots } from '../tools/bots/run-bots'
import { processCpuUs } from './process-cpu'

export const CLUSTER_CAPACITY_COUNTS = [100, 200] as const
const NODE_COUNTS = [1, 2] as const
const ROOM_HZ = 30

export interface ClusterCapacityRow {
  connected: number
  failed: number
  /** Snapshots a playing bot received per second (the rooms send 30). */
  snapshotsPerSec: number
  updateAgeP50Ms: number | null
  updateAgeP99Ms: number | null
  rttP99Ms: number | null
  /** All nodes together, percent of one core. */
  serverCpuPct: number
  /** The busiest node, percent of one core: what limits a node. */
  busiestNodeCpuPct: number
  /** Each node, percent of one core. */
  nodeCpuPct: number[]
  /** All nodes' CPU per playing client per room tick (the ticks the bots saw: a late tick is not counted twice). */
  cpuUsPerClientTick: number
  readyP50Ms: number | null
}
export type ClusterCapacityResults = Record<'nodes1' | 'nodes2', Record<string, ClusterCapacityRow>>

export interface ClusterCapacityOptions {
  counts?: readonly number[]
  durationS?: number
  log?: (line: string) => void
}

async function measure(nodeCount: number, n: number, durationS: number, log: (line: string) => void): Promise<ClusterCapacityRow> {
  const redis = await startLocalRedis()
  const nodes: Node[] = []
  try {
    for (let i = 0; i < nodeCount; i++) nodes.push(await startNode(redis.url, `cap${i + 1}`))
    const pids = nodes.map((node) => node.proc.pid!)
    let before: number[] = []
    let after: number[] = []
    let startedAt = 0
    let seconds = 0
    const options = parseArgs(['--url', nodes.map((node) => node.url).join(','), '--n', String(n), '--procs', '2', '--duration', String(durationS), '--quiet'])
    const report = await runBots(options, {
      onRunStart: () => {
        before = pids.map(processCpuUs)
        startedAt = performance.now()
      },
      onRunEnd: () => {
        after = pids.map(processCpuUs)
        seconds = (performance.now() - startedAt) / 1000
      },
    })
    const perNode = after.map((a, i) => a - before[i]!)
    const total = perNode.reduce((x, y) => x + y, 0)
    const pct = (us: number) => Math.round((us / Math.max(0.001, seconds) / 10_000) * 10) / 10
    const row: ClusterCapacityRow = {
      connected: report.connected,
      failed: report.failed,
      snapshotsPerSec: report.snapshotsPerSec,
      updateAgeP50Ms: report.updateAgeMs.p50,
      updateAgeP99Ms: report.updateAgeMs.p99,
      rttP99Ms: report.rttMs.p99,
      serverCpuPct: pct(total),
      busiestNodeCpuPct: pct(Math.max(0, ...perNode)),
      nodeCpuPct: perNode.map(pct),
      cpuUsPerClientTick: Math.round((total / Math.max(1, report.connected * Math.min(ROOM_HZ, report.snapshotsPerSec) * seconds)) * 10) / 10,
      readyP50Ms: report.readyMs.p50,
    }
    log(
      `  ${nodeCount} node${nodeCount > 1 ? 's' : ' '} N=${String(n).padStart(3)}: ${row.connected} playing (${row.failed} failed), ${row.snapshotsPerSec} snapshots/s, ` +
        `update age p50 ${row.updateAgeP50Ms} p99 ${row.updateAgeP99Ms} ms, server CPU ${row.serverCpuPct}% (busiest node ${row.busiestNodeCpuPct}%), ${row.cpuUsPerClientTick} us per client-tick`,
    )
    const errors = Object.entries(report.errors)
    if (errors.length) log(`    failures: ${errors.map(([why, count]) => `${count}x ${why}`).join('; ')}`)
    return row
  } finally {
    await Promise.all(nodes.map((node) => node.kill('SIGTERM')))
    await redis.stop()
  }
}

export async function runClusterCapacityBench(options: ClusterCapacityOptions = {}): Promise<ClusterCapacityResults | { skipped: string }> {
  const log = options.log ?? console.log
  const missing = redisServerMissing()
  if (missing) return { skipped: missing }
  const out: ClusterCapacityResults = { nodes1: {}, nodes2: {} }
  for (const n of options.counts ?? CLUSTER_CAPACITY_COUNTS) {
    for (const nodes of NODE_COUNTS) out[`nodes${nodes}`][n] = await measure(nodes, n, options.durationS ?? 15, log)
  }
  return out
}

export function formatClusterCapacity(r: ClusterCapacityResults): string {
  const lines = ['N     nodes  playing  failed  snapshots/s  age p50 ms  age p99 ms  server CPU %  busiest node %  us/client-tick']
  for (const n of Object.keys(r.nodes1)) {
    for (const key of ['nodes1', 'nodes2'] as const) {
      const x = r[key][n]
      if (!x) continue
      lines.push(
        `${n.padEnd(5)} ${key.slice(5).padStart(5)}  ${String(x.connected).padStart(7)}  ${String(x.failed).padStart(6)}  ${String(x.snapshotsPerSec).padStart(11)}  ${String(x.updateAgeP50Ms).padStart(10)}  ${String(x.updateAgeP99Ms).padStart(10)}  ${String(x.serverCpuPct).padStart(12)}  ${String(x.busiestNodeCpuPct).padStart(14)}  ${String(x.cpuUsPerClientTick).padStart(14)}`,
      )
    }
  }
  return lines.join('\n')
}
