/**
 * Encode and decode time of the snapshot delta, bit-packed (ours now) against the byte-varint format it
 * replaced (bench/legacy-snapshot-delta.ts), on the same snapshots, interleaved in one run: best of
 * several rounds, CPU microseconds per snapshot.
 */
import { SnapshotCodec as LegacyCodec } from './legacy-snapshot-delta'
import { SnapshotCodec, type EntityLayout, type Snapshot } from '../shared/netcode/snapshot-delta'

interface Codec<L extends EntityLayout> {
  quantize(s: Snapshot<L>): Snapshot<L>
  encode(base: Snapshot<L> | undefined, current: Snapshot<L>): Uint8Array
  decode(base: Snapshot<L> | undefined, bytes: Uint8Array): Snapshot<L>
}

const ROUNDS = 15
const ROUND_MS = 40

/**
 * CPU microseconds per call of `fn` over one round (process CPU time, not wall time: on this shared
 * machine a round is often preempted, and wall time would count the other workers' turns).
 */
function round(fn: () => void): number {
  let n = 0
  const start = performance.now()
  const cpu = process.cpuUsage()
  while (performance.now() - start < ROUND_MS) {
    for (let i = 0; i < 20; i++) fn()
    n += 20
  }
  const used = process.cpuUsage(cpu)
  return (used.user + used.system) / n
}

const r2 = (x: number) => Math.round(x * 100) / 100

/**
 * `cases`: name -> [base world index or undefined (full), current world index]. The snapshot objects
 * are reused, so both codecs' per-snapshot integer caches are warm: what a server pays per client
 * (the world is quantized once per tick) and a client per snapshot (its base was decoded before).
 * Every measurement takes one round in turn, ROUNDS times (so load bursts hit all alike); best round kept.
 */
export function measureCodecSpeed<L extends EntityLayout>(layout: L, worlds: readonly Snapshot<L>[], cases: Record<string, [number | undefined, number]>): Record<string, number> {
  const codecs: Record<'before' | 'after', Codec<L>> = { before: new LegacyCodec(layout), after: new SnapshotCodec(layout) }
  const jobs: [string, () => void][] = []
  for (const [name, [b, c]] of Object.entries(cases)) {
    for (const [which, codec] of Object.entries(codecs)) {
      const base = b === undefined ? undefined : codec.quantize(worlds[b]!)
      const current = codec.quantize(worlds[c]!)
      const bytes = codec.encode(base, current)
      jobs.push([`netcode.codec.encodeUs.${which}.${name}`, () => codec.encode(base, current)])
      jobs.push([`netcode.codec.decodeUs.${which}.${name}`, () => codec.decode(base, bytes)])
    }
  }
  const best = new Map<string, number>()
  for (let k = 0; k < ROUNDS; k++) for (const [key, fn] of jobs) best.set(key, Math.min(best.get(key) ?? Infinity, round(fn)))
  return Object.fromEntries([...best].map(([k, v]) => [k, r2(v)]))
}
