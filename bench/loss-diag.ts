/**
 * Diagnostics for late unreliable updates under real loss: `npx tsx bench/loss-diag.ts [seconds] [drop%] [variants...]`.
 * Runs several variants (bench/loss-diag-child.ts, one process each, so each can have its own
 * process-wide SCTP settings) side by side in ONE lossy namespace, streaming at the same time, and
 * prints, per variant, ws vs data-channel age percentiles and the runs of late updates ("holds").
 * Variant syntax: `name:mode[:reliable 0|1][:sctp-json]`, e.g. `sack0:raw:1:{"delayedSackTime":0}`.
 * DIAG_TCPDUMP=/tmp/x.pcap also captures the namespace's loopback (packet times, before the drop rule).
 */
import { fileURLToPath } from 'node:url'
import { canUseNetns, createNetns, type NetnsChild } from '../test/support/netns'

interface Variant {
  name: string
  mode: string
  reliable: boolean
  sctp?: string
  ordered?: boolean
  renice?: string
}
interface ChildResult {
  type: 'result'
  sentAt: number[]
  buffered: number[]
  udp: (number | null)[]
  ws: (number | null)[]
}

const CHILD = fileURLToPath(new URL('./loss-diag-child.ts', import.meta.url))
const seconds = Number(process.argv[2] ?? 30)
const drop = Number(process.argv[3] ?? 5) / 100
const LATE_MS = Number(process.env.DIAG_LATE_MS ?? 8)
const specs = process.argv.slice(4)
const variants: Variant[] = (specs.length ? specs : ['raw:raw:1', 'raw-norel:raw:0', 'stack:stack:1']).map((s) => {
  const [name, mode, rel, ...rest] = s.split(':')
  const sctp = rest.join(':') || undefined
  // `+nice` suffix on the mode (e.g. `raw+nice`): raise the native threads' priority (DIAG_RENICE=-10).
  const renice = mode!.endsWith('+nice') ? '-10' : undefined
  const m = mode!.replace('+nice', '')
  return { name: name!, mode: m === 'raw-ordered' ? 'raw' : m, ordered: m === 'raw-ordered', reliable: rel !== '0', sctp, renice }
})

const check = canUseNetns()
if (!check.ok) throw new Error(check.why)
const ns = await createNetns()
const pct = (v: number[], q: number) => v[Math.min(v.length - 1, Math.floor(q * v.length))] ?? Number.NaN
const r2 = (v: number) => Math.round(v * 100) / 100
try {
  const children: [Variant, NetnsChild][] = variants.map((v) => [
    v,
    ns.spawnTs(CHILD, { DIAG_MODE: v.mode, DIAG_RELIABLE: v.reliable ? '1' : '0', DIAG_SCTP: v.sctp ?? '', DIAG_ORDERED: v.ordered ? '1' : '0', DIAG_RENICE: v.renice ?? '' }),
  ])
  for (const [v, c] of children) {
    const ready = await c.readJson<{ type: 'ready'; ports: string }>('ready', 30_000)
    console.error(`${v.name}: ready (${ready.ports})`)
  }
  let dump: NetnsChild | undefined
  if (process.env.DIAG_TCPDUMP) {
    dump = ns.spawn('tcpdump', ['-i', 'lo', '-n', '-U', '-w', process.env.DIAG_TCPDUMP, 'udp'])
    await new Promise((r) => setTimeout(r, 1000))
  }
  const wallStart = Date.now()
  ns.setDropRate(drop)
  for (const [, c] of children) c.send({ cmd: 'run', seconds })
  const results = await Promise.all(children.map(([, c]) => c.readJson<ChildResult>('result', seconds * 1000 + 30_000)))
  const { dropped, accepted } = ns.counters()
  ns.setDropRate(0)
  await dump?.kill()
  console.error(`drop ${drop * 100}%: ${dropped}/${dropped + accepted} packets dropped; wall start ${wallStart}`)
  const summary: Record<string, unknown> = {}
  results.forEach((r, i) => {
    const v = variants[i]!
    const n = r.sentAt.length
    const ageU = r.udp.map((a, s) => (a == null ? Number.NaN : a - r.sentAt[s]!))
    const ageW = r.ws.map((a, s) => (a == null ? Number.NaN : a - r.sentAt[s]!))
    const sortU = ageU.filter((a) => !Number.isNaN(a)).sort((a, b) => a - b)
    const sortW = ageW.filter((a) => !Number.isNaN(a)).sort((a, b) => a - b)
    // Holds: maximal runs of delivered updates (lost ones skipped) each later than LATE_MS.
    const holds: { from: number; n: number; ages: number[]; buffered: number[]; spreadMs: number; wsAges: number[]; lostInside: number }[] = []
    let cur: (typeof holds)[number] | undefined
    let lastLate = -10
    for (let s = 0; s < n; s++) {
      const a = ageU[s]!
      if (Number.isNaN(a)) {
        if (cur) cur.lostInside++
        continue
      }
      if (a > LATE_MS) {
        if (!cur || s - lastLate > 3) {
          cur = { from: s, n: 0, ages: [], buffered: [], spreadMs: 0, wsAges: [], lostInside: 0 }
          holds.push(cur)
        }
        cur.n++
        cur.ages.push(Math.round(a))
        cur.buffered.push(r.buffered[s]!)
        cur.wsAges.push(Math.round(ageW[s]!))
        lastLate = s
      } else cur = undefined
    }
    for (const h of holds) {
      const arr = h.ages.map((_, k) => r.udp[h.from + k] ?? Number.NaN).filter((x) => !Number.isNaN(x))
      h.spreadMs = r2(Math.max(...arr) - Math.min(...arr))
    }
    const bufferedNonZero = r.buffered.filter((b) => b > 0).length
    summary[v.name] = {
      ws: { p50: r2(pct(sortW, 0.5)), p99: r2(pct(sortW, 0.99)), max: r2(sortW.at(-1)!), delivered: sortW.length / n },
      dc: { p50: r2(pct(sortU, 0.5)), p99: r2(pct(sortU, 0.99)), max: r2(sortU.at(-1)!), delivered: r2((100 * sortU.length) / n) / 100 },
      late: sortU.filter((a) => a > LATE_MS).length,
      holds: holds.length,
      bufferedNonZero,
    }
    console.error(`\n== ${v.name} (${v.mode}, reliable ${v.reliable}, sctp ${v.sctp ?? 'default'}${v.ordered ? ', ORDERED' : ''}${v.renice ? `, native threads nice ${v.renice}` : ''})`)
    console.error(JSON.stringify(summary[v.name]))
    for (const h of holds.filter((h) => h.n >= 2 || Math.max(...h.ages) > 20).slice(0, 12))
      console.error(
        `  hold @seq ${h.from} t=${r2(r.sentAt[h.from]! - wallStart)}ms: n=${h.n} lost-inside=${h.lostInside} ages=[${h.ages.join(',')}] arrival-spread=${h.spreadMs}ms buffered=[${[...new Set(h.buffered)].join(',')}] ws=[${h.wsAges.join(',')}]`,
      )
  })
  console.log(JSON.stringify({ seconds, drop, summary }))
  if (process.env.DIAG_SAVE) {
    const { writeFileSync } = await import('node:fs')
    writeFileSync(process.env.DIAG_SAVE, JSON.stringify({ wallStart, variants, results }))
  }
  for (const [, c] of children) c.send({ cmd: 'exit' })
  await Promise.all(children.map(([, c]) => Promise.race([c.exited, new Promise((r) => setTimeout(r, 5000))])))
} finally {
  await ns.destroy()
}
