/**
 * `npx tsx bench/connect-only.ts [N]`: connection setup only, raw geckos and ours side by side
 * (p50/p99 in ms, N connections each, default 30).
 */
import { measureConnectSideBySide } from './connect'

const n = Number(process.argv[2] ?? 30)
measureConnectSideBySide(n, (l) => console.log(l)).then(
  (r) => {
    for (const kind of ['geckos', 'ours'] as const) console.log(`connect.${kind.padEnd(7)} p50 ${r[kind].p50} ms  p99 ${r[kind].p99} ms`)
    console.log(`ratio ours/geckos p50 ${(r.ours.p50 / r.geckos.p50).toFixed(2)}`)
    process.exit(0)
  },
  (err: unknown) => {
    console.error(err)
    process.exit(1)
  },
)
