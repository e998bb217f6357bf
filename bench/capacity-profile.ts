/**
 * `npx tsx bench/capacity-profile.ts [N] [kinds] [bytes]`: for each kind (comma separated, default
 * `arena`; `geckos` sends `bytes` per client-tick, default what the previous kind sent), the capacity
 * server with N bots (default 100); over a 10 s window it prints CPU per client-tick, the CPU of each of
 * the server's threads (main JS thread vs libdatachannel's) and the top functions by self time on the
 * main thread. The profiles stay in $TMPDIR/netplay-cpu-prof/ (Chrome DevTools or speedscope).
 */
import { mkdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CapacityBotsRequest } from './capacity-bots-child'
import type { CapacityKind, CapacityServerMeasured, CapacityServerRequest } from './capacity-server-child'
import { BenchChild } from './netcode-ipc'
import { formatThreadCpu, threadCpu } from './thread-cpu'

const n = Number(process.argv[2] ?? 100)
/** `geckosDuplex`: the floor whose bots also send input-sized messages at 60 Hz, as ours do. */
const kinds = (process.argv[3] ?? 'arena').split(',') as (CapacityKind | 'geckosDuplex')[]
let bytes = process.argv[4] === undefined ? undefined : Number(process.argv[4])
const dir = join(tmpdir(), 'netplay-cpu-prof')
mkdirSync(dir, { recursive: true })

/** A netInput frame of the bench game with 4 redundant inputs, as our bots send 60 times a second. */
const DUPLEX_INPUT_BYTES = 38

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }

/** Self time per function over the profile, as shares of the sampled time (idle included). */
function topFunctions(file: string, count: number): string[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] }
  const selfUs = new Map<number, number>()
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
  const byName = new Map<string, number>()
  let total = 0
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0
    total += us
    const { functionName, url } = node.callFrame
    const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|wt\/[^/]+|main)\//, '')}`
    byName.set(key, (byName.get(key) ?? 0) + us)
  }
  const idle = byName.get('(idle) ') ?? 0
  const busy = Math.max(1, total - idle)
  return [
    `main thread: ${(busy / 1e6).toFixed(2)} s busy of ${(total / 1e6).toFixed(2)} s sampled; shares of the busy time:`,
    ...[...byName]
      .filter(([k]) => k !== '(idle) ')
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([key, us]) => `${((us / busy) * 100).toFixed(1).padStart(5)}%  ${key}`),
  ]
}

for (const kind of kinds) {
  const floor = kind === 'geckos' || kind === 'geckosDuplex'
  const server = await BenchChild.start<CapacityServerRequest>('./capacity-server-child.ts', { kind: floor ? 'geckos' : kind, bytes })
  const pid = (server as unknown as { child: { pid: number } }).child.pid
  const port = await server.request<number>({ cmd: 'port' })
  const bots = await BenchChild.start<CapacityBotsRequest>('./capacity-bots-child.ts', { url: `http://127.0.0.1:${port}`, kind: floor ? 'geckos' : 'ours', inputBytes: kind === 'geckosDuplex' ? DUPLEX_INPUT_BYTES : undefined })
  console.log(`${kind}: ${JSON.stringify(await bots.request({ cmd: 'grow', total: n }))}`)
  await new Promise((r) => setTimeout(r, 2000))
  const file = join(dir, `capacity-${kind}-${n}-${Date.now()}.cpuprofile`)
  const before = threadCpu(pid)
  const m = await server.request<CapacityServerMeasured>({ cmd: 'measure', ms: 10_000, profile: file })
  const after = threadCpu(pid)
  await bots.close()
  await server.close()
  console.log(`${kind} N=${m.clients}: ${(m.cpuUs / Math.max(1, m.ticks * m.clients)).toFixed(1)} us CPU per client-tick, tick ${m.tickHz} Hz, ${m.bytesPerClientTick} B per client-tick`)
  console.log(formatThreadCpu(before, after))
  for (const line of topFunctions(file, 30)) console.log(line)
  console.log(`profile: ${file}`)
  bytes ??= Math.max(16, m.bytesPerClientTick)
}
