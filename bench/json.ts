import type { BenchResults } from './stats'

/** `{ 'a.b': 1 }` → `{ a: { b: 1 } }`: the keys (`loss.p5.ws`, `netcode.bytes.ours.full`) as JSON paths. */
export function nest(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split('.')
    let at = out
    for (const p of parts.slice(0, -1)) at = (at[p] ??= {}) as Record<string, unknown>
    at[parts.at(-1)!] = value
  }
  return out
}

/** The JSON `--json` writes: every key at the path the issue names (`connect.*` as plain milliseconds). */
export function benchJson(r: BenchResults & { netcode: Record<string, unknown>; bundle: { clientBytes: number; clientGzipBytes: number } }): Record<string, unknown> {
  const loss = 'skipped' in r.loss ? r.loss : nest(r.loss as Record<string, unknown>)
  return {
    rtt: r.rtt,
    snapshot: r.snapshot,
    reliable: r.reliable,
    connect: { geckos: r.connect.geckos.p50, ours: r.connect.ours.p50 },
    loss,
    ...nest(r.netcode),
    bundle: r.bundle,
  }
}
