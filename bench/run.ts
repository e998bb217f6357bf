/**
 * `npm run bench [-- --json FILE]`: every measurement on loopback in one run, so the ratios compare
 * numbers taken under the same background load. Network measurements run in child processes
 * (isolated.ts); the snapshot encodings run here.
 */
import { writeFileSync } from 'node:fs'
import os from 'node:os'
import { IsolatedChild, runIsolated } from './isolated'
import { measureClientBundle } from './bundle'
import { measureConnectSideBySide } from './connect'
import { benchJson } from './json'
import { runLossBench } from './loss'
import { runClusterBench } from './cluster'
import { formatCapacity, runCapacityBench } from './capacity'
import { reportPlayersPerCore, runCapacityCli } from './capacity-only'
import { formatClusterCapacity, runClusterCapacityBench } from './capacity-cluster'
import { runClusterCli } from './cluster-only'
import { runNetcodeBench } from './netcode'
import type { RttKey } from './rtt'
import { runSnapshot } from './snapshot'
import { percentiles, type BenchResults, type LossResult, type LossRow } from './stats'
import { formatRatios, formatTable, ratios } from './table'

const log = (line: string) => console.log(line)

function jsonPath(argv: string[]): string | undefined {
  const i = argv.indexOf('--json')
  if (i < 0) return undefined
  const file = argv[i + 1]
  if (!file) throw new Error('--json needs a file name')
  return file
}

// ==== LOSS BENCH CALL SITE =======================================================================
// bench/loss.ts (written separately) needs root and network namespaces and returns `{ skipped }`
// without them. Its keys come as `loss.p5.ws`; stored here without the `loss.` prefix, and nested
// again for the JSON (`loss.p5.ws` is `json.loss.p5.ws`).
async function runLoss(): Promise<LossResult> {
  const result = await runLossBench({ log: (line) => log(`  ${line}`) })
  if ('skipped' in result) return result
  const out: Record<string, LossRow> = {}
  for (const [key, row] of Object.entries(result) as [string, LossRow][]) out[key.replace(/^loss\./, '')] = row
  return out
}

const RTT_ROUNDS = 10
const RTT_SAMPLES_PER_ROUND = 500
const RTT_WARMUP_FIRST = 500
const RTT_WARMUP_PER_ROUND = 50
const CONNECTIONS = 10

/** Which child process owns which echo path. */
const RTT_OWNER: Record<RttKey, 'baseline' | 'geckos' | 'ours'> = { udp: 'baseline', ws: 'baseline', geckos: 'geckos', unreliable: 'ours', reliable: 'ours' }

/** Three children (baseline, raw geckos, ours) stay up; the five echo paths take turns in rounds. */
async function measureRtt(): Promise<BenchResults['rtt']> {
  const children = new Map<'baseline' | 'geckos' | 'ours', IsolatedChild>()
  const pooled: Record<RttKey, number[]> = { udp: [], ws: [], geckos: [], unreliable: [], reliable: [] }
  try {
    for (const group of ['baseline', 'geckos', 'ours'] as const) children.set(group, await IsolatedChild.start({ kind: 'rtt', group }, log))
    for (let round = 0; round < RTT_ROUNDS; round++) {
      for (const key of Object.keys(pooled) as RttKey[]) {
        const warmup = round === 0 ? RTT_WARMUP_FIRST : RTT_WARMUP_PER_ROUND
        const samples = await children.get(RTT_OWNER[key])!.request<number[]>({ cmd: 'round', key, warmup, count: RTT_SAMPLES_PER_ROUND })
        pooled[key].push(...samples)
      }
    }
  } finally {
    for (const c of children.values()) await c.close()
  }
  const round1 = (p: { p50: number; p99: number }) => ({ p50: Math.round(p.p50 * 10) / 10, p99: Math.round(p.p99 * 10) / 10 })
  const out = {} as BenchResults['rtt']
  for (const key of Object.keys(pooled) as RttKey[]) out[key] = round1(percentiles(pooled[key]))
  return out
}

/** Raw geckos and ours, each server in its own child, connecting alternately. */
async function measureConnect(): Promise<BenchResults['connect']> {
  const { geckos, ours } = await measureConnectSideBySide(CONNECTIONS, log)
  return { geckos: { p50: geckos.p50 }, ours: { p50: ours.p50 } }
}

async function main(): Promise<void> {
  if (process.argv.includes('--capacity')) return runCapacityCli(process.argv.slice(2))
  if (process.argv.includes('--cluster')) return runClusterCli(process.argv.slice(2))
  const jsonFile = jsonPath(process.argv.slice(2))
  const started = performance.now()
  const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ')
  log(`machine: ${os.cpus().length} cores, Node ${process.version}, loopback; load average at start ${load()}`)
  const stage = (name: string) => log(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${name}`)
  stage('snapshot encodings')
  const snapshot = runSnapshot()
  stage('round trips (udp, ws, raw geckos, ours unreliable, ours reliable)')
  const rtt = await measureRtt()
  stage('reliable throughput')
  const reliable = await runIsolated<BenchResults['reliable']>({ kind: 'throughput' }, log)
  stage('connection setup')
  const connect = await measureConnect()
  stage('loss (bench/loss.ts)')
  const loss = await runLoss()
  if ('skipped' in loss) log(`  NOTE: loss bench skipped: ${loss.skipped}`)
  stage('netcode (bytes per snapshot vs @colyseus/schema, server time per tick)')
  const netcode = await runNetcodeBench({ log: (line) => log(`  ${line}`) })
  stage('bundle (netplay-toolkit/client for the browser, minified)')
  const { clientBytes, clientGzipBytes } = await measureClientBundle()
  const bundle = { clientBytes, clientGzipBytes }
  stage('cluster (direct chat on one node vs across two nodes on Redis)')
  const cluster = await runClusterBench({ log: (line) => log(`  ${line}`) })
  stage('capacity (N bots against one server: ours vs the raw geckos floor)')
  const capacity = await runCapacityBench({ log: (line) => log(`  ${line}`) })
  stage('cluster capacity (the bots harness against 1 node vs 2 nodes on Redis)')
  const clusterCapacity = await runClusterCapacityBench({ log: (line) => log(`  ${line}`) })
  stage('done')

  const results: BenchResults = { rtt, snapshot, reliable, connect, loss }
  log(`load average at end ${load()} (other work shares these cores: compare ratios within a run)`)
  log('')
  log(formatTable(results))
  log('')
  log(formatRatios(ratios(results)))
  log('')
  log('Netcode')
  for (const [key, value] of Object.entries(netcode)) log(`  ${key.padEnd(44)} ${typeof value === 'number' ? value.toLocaleString('en-US', { maximumFractionDigits: 2 }) : JSON.stringify(value)}`)
  log('')
  log(`Bundle: netplay-toolkit/client ${clientBytes.toLocaleString('en-US')} B minified, ${clientGzipBytes.toLocaleString('en-US')} B gzipped`)
  log('Cluster')
  for (const [key, value] of Object.entries(cluster)) log(`  ${key.padEnd(44)} ${String(value)}`)
  log('Capacity')
  log(formatCapacity(capacity))
  reportPlayersPerCore(capacity)
  log('Cluster capacity (capacity.cluster.nodes1|nodes2)')
  log('skipped' in clusterCapacity ? `  skipped: ${clusterCapacity.skipped}` : formatClusterCapacity(clusterCapacity))
  if (jsonFile) {
    writeFileSync(jsonFile, JSON.stringify({ ...benchJson({ ...results, netcode, bundle }), cluster: nestCluster(cluster), capacity: { ...capacity, cluster: clusterCapacity } }, null, 2) + '\n')
    log(`\nwrote ${jsonFile}`)
  }
}

// A stray rejection from a library's teardown (geckos fires requests it never awaits) is reported,
// not allowed to kill the run after the numbers are in.
process.on('unhandledRejection', (err) => console.warn(`warning: unhandled rejection: ${String(err)}`))

main().then(
  // Anything a library leaves running (native WebRTC threads, geckos' polling timers) must not keep us.
  () => process.exit(0),
  (err: unknown) => {
    console.error(err)
    process.exit(1)
  },
)

/** `cluster.chat.sameNode.p50Ms` -> `{ chat: { sameNode: { p50Ms } } }` (the JSON's `cluster` section). */
function nestCluster(flat: Record<string, unknown>): Record<string, unknown> {
  const root: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.replace(/^cluster\./, '').split('.')
    let node = root
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>
    node[parts.at(-1)!] = value
  }
  return root
}
