/**
 * Scale-out: direct-chat latency between two players on the same node and on two nodes of a cluster
 * (a real redis-server and two demo node processes), p50/p99 over the same rounds, interleaved.
 * `runClusterBench()` is called by bench/run.ts; `npx tsx bench/cluster-only.ts` prints it alone.
 */
import { percentile } from './stats'
import { redisServerMissing } from '../server/cluster/local-redis'
import { startCluster } from '../test/integration/cluster/cluster-net'

/** The lobby allows 2 chat messages per second per sender: many senders, each at that rate. */
const SENDERS = 8
const ROUNDS = 20
const SPACING_MS = 550

export async function runClusterBench(options: { log?: (line: string) => void } = {}): Promise<Record<string, unknown>> {
  const log = options.log ?? ((line: string) => console.log(line))
  const missing = redisServerMissing()
  if (missing) return { 'cluster.skipped': missing }
  const c = await startCluster(2)
  try {
    const [n1, n2] = c.nodes
    const senders = await Promise.all(Array.from({ length: SENDERS }, (_, i) => c.joined(n1!.url, `sender${i}`)))
    const same = await c.joined(n1!.url, 'same-node')
    const cross = await c.joined(n2!.url, 'cross-node')
    const sentAt = new Map<string, number>()
    const samples = { sameNode: [] as number[], crossNode: [] as number[] }
    for (const [target, key] of [[same, 'sameNode'], [cross, 'crossNode']] as const)
      target.lobby.events.on('chat', (m) => {
        const t0 = sentAt.get(m.text)
        if (t0 !== undefined) samples[key].push(performance.now() - t0)
      })
    const ids = { sameNode: same.lobby.self!.id, crossNode: cross.lobby.self!.id }
    // Wait until node 1 lists the peer of node 2.
    while (!senders.every((s) => s.lobby.peers.has(ids.crossNode))) await new Promise((r) => setTimeout(r, 50))
    let n = 0
    for (let round = 0; round < ROUNDS; round++) {
      for (const key of ['sameNode', 'crossNode'] as const) {
        await Promise.all(
          senders.map(async (s) => {
            const text = `m${n++}`
            sentAt.set(text, performance.now())
            await s.lobby.say(text, ids[key])
          }),
        )
        await new Promise((r) => setTimeout(r, SPACING_MS))
      }
    }
    await new Promise((r) => setTimeout(r, 500))
    const out: Record<string, unknown> = {}
    for (const key of ['sameNode', 'crossNode'] as const) {
      const s = samples[key]
      out[`cluster.chat.${key}.p50Ms`] = round2(percentile(s, 50))
      out[`cluster.chat.${key}.p99Ms`] = round2(percentile(s, 99))
      out[`cluster.chat.${key}.samples`] = s.length
    }
    log(`  direct chat, ${SENDERS} senders x ${ROUNDS} rounds: same node p50 ${out['cluster.chat.sameNode.p50Ms']} ms, across nodes p50 ${out['cluster.chat.crossNode.p50Ms']} ms`)
    return out
  } finally {
    await c.close()
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100
