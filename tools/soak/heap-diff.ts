/**
 * `tsx tools/soak/heap-diff.ts A.heapsnapshot B.heapsnapshot [top]`: objects by constructor (count
 * and self size) in two V8 heap snapshots, largest growth first. The soak writes snapshots at its
 * quiet points with SOAK_HEAP_SNAPSHOTS=dir; two quiet points with the same live bots should match.
 */
import { readFileSync } from 'node:fs'

interface Tally {
  count: number
  bytes: number
}

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } }
  nodes: number[]
  strings: string[]
}

/** Count and self size by `type:name` (constructor name for objects, "(closure) f" for functions...). */
export function tallyByConstructor(file: string): Map<string, Tally> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot
  const fields = snap.snapshot.meta.node_fields
  const types = snap.snapshot.meta.node_types[0]
  const width = fields.length
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number]
  const out = new Map<string, Tally>()
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]!]!
    // Strings and code are keyed by type only: their names are their contents.
    const key = type === 'object' || type === 'closure' || type === 'native' ? `${type}:${snap.strings[snap.nodes[i + nameAt]!]}` : type
    const t = out.get(key) ?? { count: 0, bytes: 0 }
    t.count++
    t.bytes += snap.nodes[i + sizeAt]!
    out.set(key, t)
  }
  return out
}

export function diffTallies(a: Map<string, Tally>, b: Map<string, Tally>): { key: string; count: number; bytes: number }[] {
  const keys = new Set([...a.keys(), ...b.keys()])
  return [...keys]
    .map((key) => ({ key, count: (b.get(key)?.count ?? 0) - (a.get(key)?.count ?? 0), bytes: (b.get(key)?.bytes ?? 0) - (a.get(key)?.bytes ?? 0) }))
    .filter((d) => d.count !== 0 || d.bytes !== 0)
    .sort((x, y) => y.bytes - x.bytes)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [fileA, fileB, top = '30'] = process.argv.slice(2)
  if (!fileA || !fileB) {
    console.error('usage: tsx tools/soak/heap-diff.ts A.heapsnapshot B.heapsnapshot [top]')
    process.exit(2)
  }
  const a = tallyByConstructor(fileA)
  const b = tallyByConstructor(fileB)
  const total = (t: Map<string, Tally>) => [...t.values()].reduce((s, x) => ({ count: s.count + x.count, bytes: s.bytes + x.bytes }), { count: 0, bytes: 0 })
  const [ta, tb] = [total(a), total(b)]
  console.log(`objects ${ta.count} -> ${tb.count} (${tb.count - ta.count}), self size ${(ta.bytes / 1e6).toFixed(2)} -> ${(tb.bytes / 1e6).toFixed(2)} MB`)
  const rows = diffTallies(a, b)
  for (const d of [...rows.slice(0, Number(top)), ...rows.slice(-5)]) console.log(`${String(d.count).padStart(8)} ${String(d.bytes).padStart(10)} B  ${d.key}`)
}
