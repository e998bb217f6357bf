import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const read = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'))

describe('create-netplay-game', () => {
  it('is released with the toolkit and pins the node-datachannel the toolkit depends on', () => {
    const toolkit = read('../../package.json') as { version: string; dependencies: Record<string, string> }
    const creator = read('../../create/package.json') as { version: string; dependencies?: unknown; netplay: { toolkit: string; nodeDatachannel: string } }
    expect(creator.version).toBe(toolkit.version)
    expect(creator.netplay).toEqual({ toolkit: `^${toolkit.version}`, nodeDatachannel: toolkit.dependencies['node-datachannel'] })
    expect(creator.dependencies).toBeUndefined() // npx installs it without anything native
  })
})
