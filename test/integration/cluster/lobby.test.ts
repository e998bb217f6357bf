import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChatMessage } from '../../../shared/lobby/index'
import { canRunRedis } from '../../support/redis'
import { startCluster, waitFor, type Cluster, type Player } from './cluster-net'

const redis = canRunRedis()

describe.skipIf(!redis.ok)('one lobby across three server processes on Redis', () => {
  let c: Cluster
  let ann: Player
  let bob: Player
  let cid: Player

  beforeAll(async () => {
    c = await startCluster(3)
    ;[ann, bob, cid] = await Promise.all([c.joined(c.nodes[0]!.url, 'Ann'), c.joined(c.nodes[1]!.url, 'Bob'), c.joined(c.nodes[2]!.url, 'Cid')])
  }, 120_000)
  afterAll(() => c?.close(), 30_000)

  it('shows every peer and room of the cluster on every node, with live deltas', async () => {
    const everyone = [ann, bob, cid]
    const ids = everyone.map((p) => p.lobby.self!.id)
    for (const p of everyone) await waitFor(() => ids.every((id) => p.lobby.peers.has(id)), 10_000, `${p.lobby.self!.name} to see all three`)
    const room = await bob.lobby.createRoom({ name: 'arena', capacity: 4, meta: { map: 'dunes' } })
    for (const p of everyone) await waitFor(() => p.lobby.rooms.get(room.id)?.meta.map === 'dunes', 10_000, 'the room everywhere')
    // A delta (status) made on node 3 reaches nodes 1 and 2.
    await cid.lobby.setStatus('away')
    for (const p of [ann, bob]) await waitFor(() => p.lobby.peers.get(cid.lobby.self!.id)?.status === 'away', 10_000, 'the status change')
    await bob.lobby.leaveRoom()
    for (const p of everyone) await waitFor(() => !p.lobby.rooms.has(room.id), 10_000, 'the room to close everywhere')
  })

  it('carries pings across nodes: a slow link on node 1 shows on node 3', async () => {
    const annId = ann.lobby.self!.id
    // 60 ms each way on Ann's link: the server's RTT for her rises, and its ping batch (every 3 s) travels to the other nodes.
    ann.game.setConditions({ outgoing: { latencyMs: 60 }, incoming: { latencyMs: 60 } })
    try {
      for (const p of [bob, cid]) await waitFor(() => (p.lobby.peers.get(annId)?.ping ?? 0) >= 60, 20_000, `Ann's ping seen by ${p.lobby.self!.name}`)
    } finally {
      ann.game.setConditions({})
    }
  })

  it('delivers direct chat across nodes, server-stamped, with an echo to the sender', async () => {
    const got: ChatMessage[] = []
    const echo: ChatMessage[] = []
    cid.lobby.events.on('chat', (m) => got.push(m))
    ann.lobby.events.on('chat', (m) => echo.push(m))
    await ann.lobby.say('hello from node 1', cid.lobby.self!.id)
    await waitFor(() => got.length === 1 && echo.length === 1, 10_000, 'the direct message')
    expect(got[0]).toMatchObject({ from: ann.lobby.self!.id, fromName: 'Ann', to: cid.lobby.self!.id, text: 'hello from node 1', replay: false })
    expect(echo[0]!.id).toBe(got[0]!.id)
    // Ids from different nodes never collide (each node counts in its own range), so clients never drop one as a duplicate.
    await bob.lobby.say('and from node 2', cid.lobby.self!.id)
    await waitFor(() => got.length === 2, 10_000, 'the second message')
    expect(got[1]!.id).not.toBe(got[0]!.id)
  })

  it('refuses a direct file transfer to a peer on another node with the reason other-node', async () => {
    const reason = new Promise<string>((resolve) => ann.game.on('fileCancelled', (d) => resolve(d.reason)))
    ann.game.send('fileOffer', { to: cid.lobby.self!.id, transferId: 'a'.repeat(32), name: 'x.txt', size: 10, mime: 'text/plain', sha256: 'b'.repeat(64) })
    expect(await reason).toBe('other-node')
  })
})
