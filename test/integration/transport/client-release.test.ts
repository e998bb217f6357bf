/**
 * The client side of connection release: every WebRTC connection a GameClient opens (the first one
 * and one per session resume) must become garbage once it is replaced or the client is closed, with
 * its native channels closed. A Node bot or a long-lived tab that resumes many times must not keep a
 * peer connection per resume.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GameClient } from '../../../client/index'
import type { GameServer } from '../../../server/index'
import type { GeckosConnectionsManager } from '../../../server/transport/geckos-internals'
import { connectPair, sleep, startServer, waitFor } from '../../support/real-net'
import { testSchema, type TestSchema } from '../../support/test-schema'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void
type Internals = { channel: { peerConnection: { localPeerConnection: RTCPeerConnection } } | undefined }

describe('a client releases the connections it replaced', () => {
  let server: GameServer<TestSchema>
  let url: string
  const manager = () => server.io.connectionsManager as unknown as GeckosConnectionsManager

  beforeAll(async () => ({ server, url } = await startServer(testSchema, { link: { timeoutMs: 1500, pingIntervalMs: 250 }, sessions: { graceMs: 20_000 } })))
  afterAll(() => server.close())

  it('keeps no old peer connection alive after 4 resumes and a close', async () => {
    let client: GameClient<TestSchema> | undefined = (await connectPair(server, testSchema, url, { link: { timeoutMs: 1500, pingIntervalMs: 250 }, resume: { retryDelayMs: 100 } })).client
    const internals = () => client as unknown as Internals
    let opened = 0
    let released = 0
    const freed: number[] = []
    const registry = new FinalizationRegistry<number>((i) => {
      released++
      freed.push(i)
    })
    const states: RTCPeerConnection[] = []
    const track = () => {
      const ch = internals().channel!
      registry.register(ch, opened++)
      states.push(ch.peerConnection.localPeerConnection)
    }
    track()
    let resumes = 0
    client.events.on('resumed', () => {
      resumes++
      track()
    })
    for (let i = 1; i <= 4; i++) {
      internals().channel!.peerConnection.localPeerConnection.close()
      await waitFor(() => resumes === i, 15_000, `resume ${i}`)
    }
    // The replaced connections are closed natively, not just dropped.
    expect(states.slice(0, -1).map((pc) => pc.connectionState)).toEqual(['closed', 'closed', 'closed', 'closed'])
    client.close()
    client = undefined // a closed client the game still holds may keep its objects, not its native connection
    await waitFor(() => states.every((pc) => pc.connectionState === 'closed'), 10_000, 'every peer connection to close')
    await waitFor(() => server.connections.size === 0 && manager().connections.size === 0, 20_000, 'the server to drop the client')
    states.length = 0
    for (let i = 0; i < 40 && released < opened; i++) {
      await sleep(250)
      gc()
    }
    expect({ opened, released, freed: freed.sort() }).toEqual({ opened: 5, released: 5, freed: [0, 1, 2, 3, 4] })
  }, 120_000)
})
