/**
 * Players learn the cluster's live nodes (`clusterNodes`, their own first) and, when their node dies,
 * resume on another one by themselves: no list of URLs given by the application, only `connectTo`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canRunRedis } from '../../support/redis'
import { startCluster, startNode, waitFor, type Cluster, type Player } from './cluster-net'

const redis = canRunRedis()

describe.skipIf(!redis.ok)('a dead node\'s players resume on the nodes their server listed', () => {
  let c: Cluster
  let ann: Player
  let bob: Player

  beforeAll(async () => {
    c = await startCluster(2)
    ;[ann, bob] = await Promise.all([c.joined(c.nodes[0]!.url, 'Ann'), c.joined(c.nodes[1]!.url, 'Bob')])
  }, 120_000)
  afterAll(() => c?.close(), 30_000)

  it('lists the live nodes, its own first, and follows nodes coming and going', async () => {
    const [n1, n2] = c.nodes.map((n) => n.url)
    await waitFor(() => ann.lobby.nodes.length === 2 && bob.lobby.nodes.length === 2, 10_000, 'both nodes listed')
    expect(ann.lobby.nodes).toEqual([n1, n2])
    expect(bob.lobby.nodes).toEqual([n2, n1])
    const n3 = await startNode(c.redis.url, 'n3')
    try {
      await waitFor(() => ann.lobby.nodes.includes(n3.url) && bob.lobby.nodes.includes(n3.url), 10_000, 'a new node listed')
      expect(ann.lobby.nodes[0]).toBe(n1)
    } finally {
      await n3.kill('SIGKILL')
    }
    await waitFor(() => !ann.lobby.nodes.includes(n3.url) && !bob.lobby.nodes.includes(n3.url), 15_000, 'a dead node no longer listed')
  }, 60_000)

  it('SIGKILL a node: its player resumes on the other one, same id and name, and chats', async () => {
    const before = ann.lobby.self!
    const resumed = new Promise<boolean>((r) => ann.lobby.events.on('joined', (_self, ok) => r(ok)))
    const killedAt = Date.now()
    await c.nodes[0]!.kill('SIGKILL')
    expect(await resumed).toBe(true)
    const tookMs = Date.now() - killedAt
    expect(ann.lobby.self).toMatchObject({ id: before.id, name: 'Ann' })
    // Its new node first; the dead one is dropped once noticed (heartbeats).
    await waitFor(() => ann.lobby.nodes.join() === c.nodes[1]!.url, 15_000, 'only the live node listed')
    await waitFor(() => bob.lobby.peers.get(before.id)?.status === 'online', 15_000, 'Ann back, seen from Bob')
    const heard = new Promise<string>((r) => bob.lobby.events.on('chat', (m) => r(m.text)))
    await ann.lobby.say('still here', bob.lobby.self!.id)
    expect(await heard).toBe('still here')
    expect(tookMs).toBeLessThan(30_000)
    console.log(`cluster: a SIGKILLed node's player resumed on another node after ${tookMs} ms`)
  }, 60_000)
})
