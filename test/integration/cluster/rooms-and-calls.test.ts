import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GameClient } from '../../../client/index'
import type { DemoSchema } from '../../../shared/demo/demo-schema'
import { canRunRedis } from '../../support/redis'
import { startCluster, waitFor, type Cluster, type Player } from './cluster-net'

const redis = canRunRedis()

/** Resolves with the first `name` message the client receives that passes `match`. */
function next<N extends 'callIncoming' | 'callAnswered' | 'callEnded' | 'rtcDescriptionFrom' | 'signalError'>(
  game: GameClient<DemoSchema>,
  name: N,
): Promise<Parameters<Parameters<GameClient<DemoSchema>['on']>[1]>[0]> {
  return new Promise((resolve) => {
    const off = game.on(name, (d: unknown) => {
      off()
      resolve(d as never)
    })
  })
}

describe.skipIf(!redis.ok)('rooms on one node, calls across nodes', () => {
  let c: Cluster
  let ann: Player
  let cid: Player

  beforeAll(async () => {
    c = await startCluster(2)
    ;[ann, cid] = await Promise.all([c.joined(c.nodes[0]!.url, 'Ann'), c.joined(c.nodes[1]!.url, 'Cid')])
    await waitFor(() => ann.lobby.peers.has(cid.lobby.self!.id) && cid.lobby.peers.has(ann.lobby.self!.id), 10_000, 'both to see each other')
  }, 120_000)
  afterAll(() => c?.close(), 30_000)

  it('relays call signalling between nodes only once the call is accepted, with the sender stamped by the server', async () => {
    const annId = ann.lobby.self!.id
    const cidId = cid.lobby.self!.id
    const refused = next(ann.game, 'signalError')
    ann.game.send('rtcDescription', { to: cidId, type: 'offer', sdp: 'v=0 too early' })
    expect(await refused).toMatchObject({ to: cidId, code: 'not-allowed' })

    const incoming = next(cid.game, 'callIncoming')
    ann.game.send('callRequest', { to: cidId })
    expect(await incoming).toEqual({ from: annId, name: 'Ann' })
    const answered = next(ann.game, 'callAnswered')
    cid.game.send('callAnswer', { to: annId, accept: true })
    expect(await answered).toEqual({ from: cidId, accept: true })

    // Both directions now pass: offer from node 1 to node 2, answer back.
    const offer = next(cid.game, 'rtcDescriptionFrom')
    ann.game.send('rtcDescription', { to: cidId, type: 'offer', sdp: 'v=0 offer' })
    expect(await offer).toEqual({ from: annId, type: 'offer', sdp: 'v=0 offer' })
    const answer = next(ann.game, 'rtcDescriptionFrom')
    cid.game.send('rtcDescription', { to: annId, type: 'answer', sdp: 'v=0 answer' })
    expect(await answer).toEqual({ from: cidId, type: 'answer', sdp: 'v=0 answer' })

    const ended = next(cid.game, 'callEnded')
    ann.game.send('callHangup', { to: cidId })
    expect(await ended).toEqual({ from: annId, reason: 'hangup' })
    // Hung up on node 1, recorded on node 2 too: Cid may not signal Ann any more.
    const after = next(cid.game, 'signalError')
    cid.game.send('rtcDescription', { to: annId, type: 'offer', sdp: 'v=0 late' })
    expect(await after).toMatchObject({ code: 'not-allowed' })
  })

  it('redirects a join to the node hosting the room; the client moves there (same id, name) and plays', async () => {
    const room = await ann.lobby.createRoom({ name: 'fort', capacity: 2, password: 'sesame' })
    await waitFor(() => cid.lobby.rooms.has(room.id), 10_000, 'the room on node 2')
    await expect(cid.lobby.joinRoom(room.id, 'wrong')).rejects.toMatchObject({ code: 'wrong-password' })

    const before = cid.lobby.self!
    let moved: GameClient<DemoSchema> | undefined
    const snapshots: number[] = []
    const mover = await c.joined(c.nodes[1]!.url, 'Mover', {
      connectTo: async (url) => {
        moved = await c.connect(url)
        moved.on('netSnapshot', (s) => snapshots.push(s.slot))
        return moved
      },
    })
    const moverId = mover.lobby.self!.id
    let seat = ''
    mover.game.on('roomRedirect', (d) => (seat = d.seat))
    const annLeaves: string[] = []
    ann.lobby.events.on('peerLeft', (p) => annLeaves.push(p.id))
    const cidLeaves: string[] = []
    cid.lobby.events.on('peerLeft', (p) => cidLeaves.push(p.id))

    const joined = await mover.lobby.joinRoom(room.id, 'sesame')
    expect(joined.id).toBe(room.id)
    expect(moved).toBeDefined()
    expect(mover.lobby.self).toMatchObject({ id: moverId, name: 'Mover', room: room.id })
    expect(mover.game.connected).toBe(false) // the old connection is closed
    // The room's node runs the game: snapshots flow on the new connection.
    await waitFor(() => snapshots.length >= 5, 10_000, 'snapshots on the room node')
    // Everyone sees the move as a room change, nobody sees the peer leave.
    for (const p of [ann, cid]) await waitFor(() => p.lobby.peers.get(moverId)?.room === room.id, 10_000, 'the mover in the room')
    expect(annLeaves).not.toContain(moverId)
    expect(cidLeaves).not.toContain(moverId)
    await waitFor(() => cid.lobby.rooms.get(room.id)?.size === 2, 10_000, 'size 2 on node 2')

    // Capacity holds across nodes: the room is full.
    await expect(cid.lobby.joinRoom(room.id, 'sesame')).rejects.toMatchObject({ code: 'room-full' })
    expect(cid.lobby.self).toEqual(before)

    // Direct chat still reaches the mover on its new node.
    const got: string[] = []
    mover.lobby.events.on('chat', (m) => got.push(m.text))
    await cid.lobby.say('found you', moverId)
    await waitFor(() => got.includes('found you'), 10_000, 'chat to the moved peer')

    // The seat was single use: presenting it again (on the room's node, by its owner) is refused.
    expect(seat).toMatch(/^[0-9a-f]{32}$/)
    await mover.lobby.leaveRoom()
    const again = await new Promise<{ code: string }>((resolve) => {
      moved!.on('lobbyError', (d) => d.rid === 4242 && resolve(d))
      moved!.send('roomSeat', { rid: 4242, seat })
    })
    expect(again.code).toBe('unknown-room')
    expect(mover.lobby.self!.room).toBeUndefined()
  })
})
