import { describe, expect, it } from 'vitest'
import { measureClientBundle } from '../../bench/bundle'

describe('netplay-toolkit/client in a browser bundle', () => {
  it('bundles for the browser without any Node-only module, server code or the demo', async () => {
    const bundle = await measureClientBundle() // throws on node:* or a Node built-in
    expect(bundle.modules.filter((m) => /^(server|test|bench)\/|\/demo\/|node-datachannel|@geckos\.io\/server/.test(m))).toEqual([])
    expect(bundle.modules).toContain('entry/client.ts')
    expect(bundle.clientGzipBytes).toBeGreaterThan(0)
  }, 120_000)
})
