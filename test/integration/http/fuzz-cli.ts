/**
 * `npm run fuzz:http -- --requests N [--seed S] [--slow K] [--json FILE]`: the HTTP fuzz against a
 * real server process (see fuzz-runner.ts); prints the figures, writes them as JSON, exits 1 on any
 * violation (server died, a file outside the root served, an offer without credentials).
 */
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { installNodeWebRTC } from '../../../client/node'
import { GameClient } from '../../../client/index'
import { appSchema } from '../files/support'
import { FUZZ_TOKEN } from './fuzz-generator'
import { runHttpFuzz } from './fuzz-runner'

const { values } = parseArgs({ options: { requests: { type: 'string' }, seed: { type: 'string' }, slow: { type: 'string' }, json: { type: 'string' } } })
installNodeWebRTC()
const report = await runHttpFuzz({
  requests: Number(values.requests ?? 10_000),
  seed: Number(values.seed ?? 1),
  slowSenders: Number(values.slow ?? 16),
  health: async (url) => {
    const client = new GameClient(appSchema, { url, authorization: `Bearer ${FUZZ_TOKEN}`, connectTimeoutMs: 15_000 })
    await client.connect()
    client.close()
  },
})
console.log(JSON.stringify(report, null, 2))
if (values.json) writeFileSync(values.json, JSON.stringify(report, null, 2))
process.exit(report.violations.length === 0 && report.serverAlive ? 0 : 1)
