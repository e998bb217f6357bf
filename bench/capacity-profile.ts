/**
 * `npx tsx bench/capacity-profile.ts [N] [kind]`: the capacity server under `node --cpu-prof` with N
 * bots (default 100, arena rooms) for 10 s; prints the top functions by self time. The profile is
 * left in $TMPDIR/netplay-cpu-prof/ (open it in Chrome DevTools or speedscope for the flame graph).
 */
import { fork } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { CapacityBotsRequest } from './capacity-bots-child'
import type { CapacityKind } from './capacity-server-child'
import { BenchChild, type FromChild } from './netcode-ipc'

const n = Number(process.argv[2] ?? 100)
const kind = (process.argv[3] ?? 'arena') as CapacityKind
const dir = join(tmpdir(), 'netplay-cpu-prof')
const child = fork(fileURLToPath(new URL('./capacity-server-child.ts', import.meta.url)), [JSON.stringify({ kind })], {
  execArgv: ['--import', 'tsx', '--cpu-prof', `--cpu-prof-dir=${dir}`],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
})
const next = () => new Promise<FromChild>((resolve) => child.once('message', (m: FromChild) => resolve(m)))
const ask = async <T>(req: object): Promise<T> => {
  const reply = next()
  child.send(req)
  const m = await reply
  if (m.type !== 'reply' || !m.ok) throw new Error(JSON.stringify(m))
  return m.result as T
}
await next()
const started = Date.now()
const port = await ask<number>({ cmd: 'port' })
const bots = await BenchChild.start<CapacityBotsRequest>('./capacity-bots-child.ts', { url: `http://127.0.0.1:${port}`, kind: kind === 'geckos' ? 'geckos' : 'ours' })
console.log(await bots.request({ cmd: 'grow', total: n }))
console.log(await ask({ cmd: 'measure', ms: 10_000 }))
await bots.close()
child.send({ cmd: 'exit' })
await new Promise((r) => child.once('exit', r))

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }
// tsx's module loader thread writes a profile too: the server's main thread is the largest one.
const file = readdirSync(dir)
  .filter((f) => f.endsWith('.cpuprofile') && f.includes(`.${child.pid}.`))
  .map((f) => `${dir}/${f}`)
  .sort((a, b) => statSync(b).size - statSync(a).size)[0]!
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] }
const selfUs = new Map<number, number>()
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
const byName = new Map<string, number>()
let total = 0
for (const node of profile.nodes) {
  const us = selfUs.get(node.id) ?? 0
  total += us
  const { functionName, url, lineNumber } = node.callFrame
  const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|wt\/[^/]+)\//, '')}:${lineNumber + 1}`
  byName.set(key, (byName.get(key) ?? 0) + us)
}
console.log(`profile ${file} (${((Date.now() - started) / 1000).toFixed(0)} s run, ${(total / 1e6).toFixed(1)} s sampled on the main thread)`)
for (const [key, us] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${((us / total) * 100).toFixed(1).padStart(5)}%  ${key}`)
