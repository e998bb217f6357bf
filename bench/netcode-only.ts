/** `npx tsx bench/netcode-only.ts [--json FILE]`: the netcode bench alone, printed as a table. */
import { writeFileSync } from 'node:fs'
import { runNetcodeBench } from './netcode'

const results = await runNetcodeBench()
const width = Math.max(...Object.keys(results).map((k) => k.length))
for (const [key, value] of Object.entries(results)) console.log(`${key.padEnd(width)}  ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
const i = process.argv.indexOf('--json')
if (i >= 0 && process.argv[i + 1]) writeFileSync(process.argv[i + 1]!, JSON.stringify(results, null, 2) + '\n')
// WebRTC's native threads would keep the process alive.
process.exit(0)
