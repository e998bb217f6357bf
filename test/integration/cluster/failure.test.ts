import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import { canRunRedis } from '../../support/redis'
import { sleep } from '../../support/real-net'
import { startCluster, startNode, waitFor, type Cluster, type Player } from './cluster-net'

const redis = canRunRedis()

describe.skipIf(!redis.ok)('a node killed, Redis restarted', () => {
  let c: Cluster
  let ann: Player
  let bob: Player

  beforeAll(async () => {
    c = await startCluster(3)
    ;[ann, bob] = await Promise.all([c.joined(c.nodes[0]!.url, 'Ann'), c.joined(c.nodes[1]!.url, 'Bob')])
  }, 120_000)
  afterAll(() => c?.close(), 30_000)

  it('drops a SIGKILLed node with its rooms and players from every lobby within 10 s; its players resume on another node', async () => {
    const n3 = c.nodes[2]!
    // Dan comes back by itself (to node 1) once its connection times out; Fay at once, before node 3
    // is declared dead; Eve has no way back and must vanish.
    const dan = await c.joined(n3.url, 'Dan', { resumeUrls: [c.nodes[0]!.url] })
    const fay = await c.joined(n3.url, 'Fay', { autoResume: false })
    const eve = await c.joined(n3.url, 'Eve', { autoResume: false })
    const room = await dan.lobby.createRoom({ name: 'doomed', capacity: 4 })
    await eve.lobby.joinRoom(room.id)
    const danBefore = dan.lobby.self!
    const eveId = eve.lobby.self!.id
    for (const p of [ann, bob]) await waitFor(() => p.lobby.peers.has(eveId) && p.lobby.rooms.has(room.id), 10_000, 'node 3 seen')
    const resumed = new Promise<boolean>((r) => dan.lobby.events.on('joined', (_self, ok) => r(ok)))

    const killedAt = Date.now()
    await n3.kill('SIGKILL')
    expect(await fay.lobby.resume(await c.connect(c.nodes[1]!.url))).toBe(true)
    for (const p of [ann, bob]) await waitFor(() => !p.lobby.peers.has(eveId) && !p.lobby.rooms.has(room.id), 15_000, `node 3 gone from ${p.lobby.self!.name}'s lobby`)
    const goneAfter = Date.now() - killedAt
    expect(goneAfter).toBeLessThan(10_000)

    expect(await resumed).toBe(true)
    expect(dan.lobby.self).toMatchObject({ id: danBefore.id, name: 'Dan' })
    expect(dan.lobby.self!.room).toBeUndefined() // its room died with its node
    for (const p of [ann, bob]) await waitFor(() => p.lobby.peers.get(danBefore.id)?.status === 'online', 15_000, 'Dan back, seen from the others')
    // Its name is its own again, for good: a newcomer asking for it gets a variant.
    const copy = await c.joined(c.nodes[1]!.url, 'Dan')
    expect(copy.lobby.self!.name).toBe('Dan (2)')
    // ...and stays so: releasing the dead node's claims (after its death was noticed) did not put a
    // grace-period expiry on the names its players had already taken back on other nodes.
    const r = new Redis(c.redis.url)
    try {
      await waitFor(() => !bob.lobby.peers.has(eveId), 1000, 'node 3 reaped')
      await sleep(1500)
      expect(await r.get('np:name:fay')).toBe(fay.lobby.self!.id)
      expect(await r.pttl('np:name:fay')).toBe(-1)
      expect(await r.pttl('np:name:dan')).toBe(-1)
      expect(await r.exists('np:peers:n3', 'np:names:n3', 'np:node:n3')).toBe(0)
    } finally {
      r.disconnect()
    }
    console.log(`cluster: SIGKILLed node gone from the other lobbies after ${goneAfter} ms`)
  }, 60_000)

  it('a node restarted under the same id releases the names its previous run held', async () => {
    const first = await startNode(c.redis.url, 'again')
    const ghost = await c.joined(first.url, 'Ghost', { autoResume: false })
    const id = ghost.lobby.self!.id
    const r = new Redis(c.redis.url)
    try {
      expect(await r.get('np:name:ghost')).toBe(id)
      await first.kill('SIGKILL')
      const second = await startNode(c.redis.url, 'again')
      try {
        // The new run knows nothing of Ghost: the claim may only last the grace period, not forever.
        let ttl = -1
        for (let i = 0; i < 100 && ttl < 0; i++) (ttl = await r.pttl('np:name:ghost')), await sleep(100)
        expect(ttl).toBeGreaterThan(0)
        expect(ttl).toBeLessThanOrEqual(15_000)
      } finally {
        await second.kill('SIGTERM')
      }
    } finally {
      r.disconnect()
    }
  }, 60_000)

  it('reports a Redis outage, keeps local play going, and heals when Redis is back', async () => {
    const n1 = c.nodes[0]!
    const local = await c.joined(n1.url, 'Local')
    const room = await ann.lobby.createRoom({ name: 'lan', capacity: 4 })
    await local.lobby.joinRoom(room.id)

    await c.redis.stop()
    await waitFor(() => n1.log.some((l) => l.includes('Redis unreachable')), 15_000, 'node 1 to report the outage')
    // Local play on node 1 goes on: room chat between two players of that node.
    const heard: string[] = []
    local.lobby.events.on('chat', (m) => heard.push(m.text))
    await ann.lobby.say('still here')
    await waitFor(() => heard.includes('still here'), 5000, 'room chat during the outage')
    // A change on node 2 made during the outage...
    await bob.lobby.setStatus('away')
    await sleep(500)

    await c.redis.restart() // empty: no persistence, as configured
    await waitFor(() => n1.log.some((l) => l.includes('Redis is back')), 20_000, 'node 1 to reconnect')
    // ...reaches node 1 once the nodes re-registered, and a newcomer on node 2 is seen from node 1.
    await waitFor(() => ann.lobby.peers.get(bob.lobby.self!.id)?.status === 'away', 20_000, 'the lobby to heal')
    const late = await c.joined(c.nodes[1]!.url, 'Late')
    await waitFor(() => ann.lobby.peers.has(late.lobby.self!.id), 10_000, 'a newcomer after the restart')
    // Redis holds the cluster again: every node, every peer.
    const r = new Redis(c.redis.url)
    try {
      const nodes = await r.smembers('np:nodes')
      expect(nodes.sort()).toEqual(['n1', 'n2'])
      const peers = (await r.hlen('np:peers:n1')) + (await r.hlen('np:peers:n2'))
      expect(peers).toBe(ann.lobby.peers.size)
      // Names were re-claimed: "Local" is taken cluster-wide.
      expect(await r.get('np:name:local')).toBe(local.lobby.self!.id)
    } finally {
      r.disconnect()
    }
  }, 90_000)
})
