/**
 * After a session resume the client's delta base is unknown to the server: NetRoom sends it a full
 * snapshot at once (not the delta the next tick would send against a base still in its history).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GameClient } from '../../../client/index'
import { NetClient } from '../../../client/netcode/index'
import type { GameServer } from '../../../server/index'
import type { NetRoom } from '../../../server/netcode/index'
import { readDeltaHeader } from '../../../shared/netcode/snapshot-delta'
import { waitFor } from '../../support/real-net'
import { clientGame, messages, TestWorld, type GameSchema, type InputFields, type Layout } from './test-game'
import { startOnePlayerRoom, stopOnePlayerRoom } from './one-player-room'

type Internals = { channel: { peerConnection: { localPeerConnection: RTCPeerConnection } } | undefined }

describe('NetRoom after a session resume', () => {
  let server: GameServer<GameSchema>
  let client: GameClient<GameSchema>
  let room: NetRoom<GameSchema, InputFields, Layout>
  const world = new TestWorld()

  beforeAll(async () => {
    world.addPlayer(1)
    ;({ server, client, room } = await startOnePlayerRoom(world, { tickRate: 30 }, { timeoutMs: 1500, pingIntervalMs: 250 }))
  })
  afterAll(() => stopOnePlayerRoom({ server, client, room }))

  it('sends a full snapshot right after the resume', async () => {
    const net = new NetClient(client, { messages, game: clientGame(() => ({ moveX: 0, moveY: 0 })), angles: ['angle'] })
    const seen: { full: boolean; at: number }[] = []
    client.on('netSnapshot', (m) => seen.push({ full: readDeltaHeader(m.data).baseTick === undefined, at: performance.now() }))
    await waitFor(() => seen.filter((s) => !s.full).length >= 10, 5000, 'deltas to flow')
    let resumedAt = 0
    let handshakeMs = 0
    client.events.on('resumed', (r) => {
      resumedAt = performance.now()
      handshakeMs = r.handshakeMs
    })
    ;(client as unknown as Internals).channel!.peerConnection.localPeerConnection.close()
    await waitFor(() => resumedAt > 0, 10_000, 'the resume')
    const askedAt = resumedAt - handshakeMs
    await waitFor(() => seen.some((s) => s.at >= askedAt), 5000, 'a snapshot after the resume')
    const first = seen.find((s) => s.at >= askedAt)!
    console.log(`[resume-snapshot] first snapshot after asking to resume: ${first.full ? 'full' : 'delta'}, ${(first.at - askedAt).toFixed(1)} ms (handshake ${handshakeMs.toFixed(1)} ms)`)
    expect(first.full).toBe(true)
    net.stop()
  })
})
