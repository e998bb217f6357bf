import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LobbyClient } from '../../../client/lobby/index'
import type { GameClient } from '../../../client/index'
import type { DemoSchema } from '../../../shared/demo/demo-schema'
import { RedisBackplane } from '../../../server/cluster/redis-backplane'
import { canRunRedis } from '../../support/redis'
import { startCluster, type Cluster } from './cluster-net'

const redis = canRunRedis()
const CLAIMS = 100
/** The demo node admits a burst of 20 connections per address: 19 per node keeps within it. */
const PLAYERS = 57

describe.skipIf(!redis.ok)('names unique across the cluster under races', () => {
  let c: Cluster

  beforeAll(async () => {
    c = await startCluster(3)
  }, 120_000)
  afterAll(() => c?.close(), 30_000)

  it(`${PLAYERS} players on three nodes join as "Zed" at once: exactly one gets it, all names differ`, async () => {
    // Connect first (in batches, to spare the machine), then send every join in the same instant.
    const games: GameClient<DemoSchema>[] = []
    for (let i = 0; i < PLAYERS; i += 10)
      games.push(...(await Promise.all(Array.from({ length: Math.min(10, PLAYERS - i) }, (_, j) => c.connect(c.nodes[(i + j) % 3]!.url)))))
    const lobbies = games.map((g) => new LobbyClient(g, { storage: null, sessionStorage: null, requestTimeoutMs: 60_000 }))
    const joined = await Promise.all(lobbies.map((l) => l.join({ name: 'Zed' })))
    const names = joined.map((p) => p.name)
    expect(names.filter((n) => n === 'Zed')).toHaveLength(1)
    expect(new Set(names).size).toBe(PLAYERS)
    expect(new Set(joined.map((p) => p.id)).size).toBe(PLAYERS)
    for (const l of lobbies) l.close()
  }, 180_000)

  it(`${CLAIMS} claims of one name raced through three backplanes: one winner, no two alike`, async () => {
    const nodes = await Promise.all([1, 2, 3].map((i) => new RedisBackplane({ redisUrl: c.redis.url, publicUrl: `http://x${i}`, nodeId: `race${i}` }).connect()))
    try {
      const names = await Promise.all(Array.from({ length: CLAIMS }, (_, i) => nodes[i % 3]!.claimName('Bob', `peer${i}`, () => false)))
      expect(names.filter((n) => n === 'Bob')).toHaveLength(1)
      expect(new Set(names).size).toBe(CLAIMS)
    } finally {
      await Promise.all(nodes.map((n) => n.close()))
    }
  })
})
