/**
 * `npm run bench -- --cluster [--counts 100,200] [--duration 15] [--json FILE]`: the cluster section
 * of the benchmark alone: direct-chat latency on one node vs across two nodes, then capacity with 1
 * node vs 2 nodes (`capacity.cluster.nodes1|nodes2`). `npx tsx bench/cluster-only.ts` works too.
 */
import { writeFileSync } from 'node:fs'
import os from 'node:os'
import { runClusterBench } from './cluster'
import { CLUSTER_CAPACITY_COUNTS, formatClusterCapacity, runClusterCapacityBench } from './capacity-cluster'

export async function runClusterCli(argv: string[]): Promise<void> {
  const at = (flag: string) => {
    const i = argv.indexOf(flag)
    return i >= 0 ? argv[i + 1] : undefined
  }
  const counts = at('--counts')?.split(',').map(Number) ?? CLUSTER_CAPACITY_COUNTS
  const durationS = Number(at('--duration') ?? 15)
  // CI runs this section: there a missing redis-server is an error, not a skip.
  const failSkip = (what: string, why: unknown) => {
    if (why !== undefined && process.env.CI === 'true') throw new Error(`${what} skipped (${String(why)}); CI=true requires it to run`)
  }
  const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ')
  console.log(`cluster: ${os.cpus().length} cores, Node ${process.version}; load average at start ${load()}`)
  const chat = await runClusterBench()
  failSkip('cluster chat bench', chat['cluster.skipped'])
  for (const [key, value] of Object.entries(chat)) console.log(`  ${key.padEnd(36)} ${String(value)}`)
  const capacity = await runClusterCapacityBench({ counts, durationS })
  failSkip('cluster capacity bench', 'skipped' in capacity ? capacity.skipped : undefined)
  console.log(`load average at end ${load()}`)
  console.log('skipped' in capacity ? `capacity.cluster skipped: ${capacity.skipped}` : formatClusterCapacity(capacity))
  const json = at('--json')
  if (json) {
    writeFileSync(json, JSON.stringify({ cluster: chat, capacity: { cluster: capacity } }, null, 2) + '\n')
    console.log(`wrote ${json}`)
  }
}

if (process.argv[1]?.endsWith('cluster-only.ts')) await runClusterCli(process.argv.slice(2)).then(() => process.exit(0))
