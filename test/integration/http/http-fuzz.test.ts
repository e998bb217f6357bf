import { describe, expect, it } from 'vitest'
import { GameClient } from '../../../client/index'
import { appSchema } from '../files/support'
import { connectClient } from '../../support/real-net' // installs Node's WebRTC globals
import { FUZZ_TOKEN } from './fuzz-generator'
import { runHttpFuzz } from './fuzz-runner'

void connectClient

/**
 * 10,000 generated hostile requests (raw TCP and node:http) plus slow senders against a real server
 * process with a real static root. The long form: `npm run fuzz:http -- --requests N --json FILE`.
 */
describe('HTTP fuzz', () => {
  it('keeps the server alive, serves nothing outside the root, gives no offer without credentials', async () => {
    const report = await runHttpFuzz({
      requests: 10_000,
      seed: 20261129,
      slowSenders: 16,
      health: async (url) => {
        const client = new GameClient(appSchema, { url, authorization: `Bearer ${FUZZ_TOKEN}`, connectTimeoutMs: 20_000 })
        await client.connect()
        expect(client.connected).toBe(true)
        client.close()
      },
    })
    console.log(`[http fuzz] ${JSON.stringify({ ...report, violations: report.violations.length })}`)
    expect(report.violations).toEqual([])
    expect(report.serverAlive).toBe(true)
    expect(report.requests).toBe(10_000)
    expect(report.secretLeaks).toBe(0)
    expect(report.forbiddenOffers).toBe(0)
    expect(report.slow.notCut).toBe(0) // every slow sender was cut off by the server
  }, 180_000)
})
