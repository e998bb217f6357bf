/** `npx tsx bench/cluster-only.ts`: the cluster section of the benchmark alone. */
import { runClusterBench } from './cluster'

const result = await runClusterBench()
for (const [key, value] of Object.entries(result)) console.log(`  ${key.padEnd(36)} ${String(value)}`)
process.exit(0)
