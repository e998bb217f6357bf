/** The printed report: one table of this run's numbers, then the target comparisons as ratios. */
import type { BenchResults, LossRow } from './stats'

const n0 = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : 'n/a')
const n1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : 'n/a')
const row = (label: string, ...cells: string[]) => `  ${label.padEnd(52)}${cells.map((c) => c.padStart(12)).join('')}`

export function formatTable(r: BenchResults): string {
  const lines: string[] = []
  lines.push('Round trip, one small message in flight (us)'.padEnd(54) + 'p50'.padStart(12) + 'p99'.padStart(12))
  const rtt: [keyof BenchResults['rtt'], string][] = [
    ['udp', 'rtt.udp         node:dgram echo (floor)'],
    ['ws', 'rtt.ws          ws echo'],
    ['geckos', 'rtt.geckos      raw geckos binary echo'],
    ['unreliable', 'rtt.unreliable  ours, unreliable channel'],
    ['reliable', 'rtt.reliable    ours, reliable channel'],
  ]
  for (const [k, label] of rtt) lines.push(row(label, n0(r.rtt[k].p50), n0(r.rtt[k].p99)))
  lines.push('')
  lines.push('Snapshot, 100 entities (encode + decode)'.padEnd(54) + 'bytes'.padStart(12) + 'per sec'.padStart(12))
  const snap: [keyof BenchResults['snapshot'], string][] = [
    ['json', 'snapshot.json                JSON string'],
    ['msgpackr', 'snapshot.msgpackr            plain pack/unpack'],
    ['msgpackrStructures', 'snapshot.msgpackrStructures  structures+float32'],
    ['schema', 'snapshot.schema              ours, float32'],
    ['schemaQuantized', 'snapshot.schemaQuantized     ours, quantized x/y'],
    ['handpacked', 'snapshot.handpacked          DataView float32'],
  ]
  for (const [k, label] of snap) lines.push(row(label, n0(r.snapshot[k].bytes), n0(r.snapshot[k].perSec)))
  lines.push('')
  lines.push(row('reliable.mbPerSec  10 MiB, 64 KiB messages (MB/s)', n1(r.reliable.mbPerSec)))
  lines.push(row('connect.geckos     raw geckos setup, p50 (ms)', n1(r.connect.geckos.p50)))
  lines.push(row('connect.ours       ours, both channels ready, p50 (ms)', n1(r.connect.ours.p50)))
  lines.push('')
  if ('skipped' in r.loss) lines.push(`Loss bench SKIPPED: ${String(r.loss.skipped)}`)
  else {
    lines.push('Loss (ms unless noted)'.padEnd(54) + ['p50', 'p99', 'max', 'delivered', 'stale p50', 'stale p99'].map((h) => h.padStart(12)).join(''))
    for (const [k, v] of Object.entries(r.loss) as [string, LossRow][]) {
      lines.push(row(`loss.${k}  age of 60 Hz updates`, n1(v.p50), n1(v.p99), n1(v.max), `${(v.delivered * 100).toFixed(1)}%`, n1(v.stale?.p50 ?? Number.NaN), n1(v.stale?.p99 ?? Number.NaN)))
      const calm = v.staleSenderOnTime
      if (calm) lines.push(row(`  frames, sender on time (${calm.frames})`, '', '', '', '', n1(calm.p50), n1(calm.p99)))
    }
    lines.push('  (age: of each update on arrival; stale: of the newest update held, at each 60 Hz frame of the receiver)')
  }
  return lines.join('\n')
}

export interface Ratio {
  name: string
  value: number
  target: string
  met: boolean | undefined
  note?: string
}

export function ratios(r: BenchResults): Ratio[] {
  const s = r.snapshot
  const out: Ratio[] = []
  const add = (name: string, value: number, target: string, ok: (v: number) => boolean, note?: string) =>
    out.push({ name, value, target, met: Number.isFinite(value) ? ok(value) : undefined, note })
  add('rtt.unreliable p50 / rtt.geckos p50', r.rtt.unreliable.p50 / r.rtt.geckos.p50, '<= 1.15', (v) => v <= 1.15)
  add('snapshot.schema bytes / msgpackrStructures bytes', s.schema.bytes / s.msgpackrStructures.bytes, '<= 1', (v) => v <= 1)
  add('snapshot.schema perSec / msgpackrStructures perSec', s.schema.perSec / s.msgpackrStructures.perSec, '>= 1', (v) => v >= 1)
  if ('skipped' in r.loss) {
    add('loss.p5 p99: ours (unreliable) / ws', Number.NaN, '<= 0.1', () => false, 'loss bench skipped')
    add('loss.p5 stale p99: ours (unreliable) / ws', Number.NaN, '<= 0.2', () => false, 'loss bench skipped')
  }
  else {
    // Keys as bench/loss.ts names them (p5 = 5% of packets dropped), `loss.` prefix removed.
    const ours = r.loss['p5.unreliable']
    const ws = r.loss['p5.ws']
    const note = ours && ws ? undefined : `no p5.unreliable / p5.ws rows among: ${Object.keys(r.loss).join(', ')}`
    add('loss.p5 p99: ours (unreliable) / ws', ours && ws ? ours.p99 / ws.p99 : Number.NaN, '<= 0.1', (v) => v <= 0.1, note)
    const staleRatio = ours?.stale && ws?.stale ? ours.stale.p99 / ws.stale.p99 : Number.NaN
    add('loss.p5 stale p99: ours (unreliable) / ws', staleRatio, '<= 0.2', (v) => v <= 0.2, note)
  }
  return out
}

export function formatRatios(list: Ratio[]): string {
  const lines = ['Targets (ratios within this run)']
  for (const q of list) {
    const verdict = q.met === undefined ? 'n/a' : q.met ? 'met' : 'MISSED'
    const value = Number.isFinite(q.value) ? q.value.toFixed(2) : 'n/a'
    lines.push(`  ${q.name.padEnd(52)}${value.padStart(8)}   target ${q.target.padEnd(8)} ${verdict}${q.note ? `  (${q.note})` : ''}`)
  }
  return lines.join('\n')
}
