/**
 * `npm run bench -- --capacity [--json FILE] [--counts 25,50] [--before DIR]`: the capacity bench
 * alone; prints the side-by-side table and players per core, writes docs/capacity-cpu.svg. `--before`:
 * also our servers as built in checkout DIR (e.g. a `git worktree` of the previous commit), interleaved.
 */
import { writeFileSync } from 'node:fs'
import os from 'node:os'
import { CAPACITY_COUNTS, formatCapacity, playersPerCore, runCapacityBench, type CapacityResults } from './capacity'
import { capacityChartSvg } from './capacity-chart'

export async function runCapacityCli(argv: string[]): Promise<void> {
  const jsonAt = argv.indexOf('--json')
  const countsAt = argv.indexOf('--counts')
  const counts = countsAt >= 0 ? argv[countsAt + 1]!.split(',').map(Number) : CAPACITY_COUNTS
  const beforeAt = argv.indexOf('--before')
  const baseDir = beforeAt >= 0 ? argv[beforeAt + 1] : undefined
  const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ')
  console.log(`capacity: ${os.cpus().length} cores, Node ${process.version}; load average at start ${load()}`)
  const r = await runCapacityBench({ counts, baseDir, log: (l) => console.log(l) })
  console.log(`load average at end ${load()}`)
  console.log(formatCapacity(r))
  reportPlayersPerCore(r)
  writeFileSync('docs/capacity-cpu.svg', capacityChartSvg(r, `${os.cpus().length} cores, bots on the same machine; load average ${load()}`))
  console.log('wrote docs/capacity-cpu.svg')
  if (jsonAt >= 0) {
    writeFileSync(argv[jsonAt + 1]!, JSON.stringify({ capacity: r }, null, 2) + '\n')
    console.log(`wrote ${argv[jsonAt + 1]}`)
  }
}

export function reportPlayersPerCore(r: CapacityResults): void {
  for (const kind of ['ours', 'oursLarge', 'geckos', 'geckosDuplex', 'oursBefore', 'oursLargeBefore'] as const) {
    const rows = Object.entries(r[kind] ?? {})
    const [n, row] = rows[rows.length - 1] ?? []
    if (row) console.log(`players per core (${kind}, extrapolated from N=${n}): ${playersPerCore(row)}`)
  }
}
