import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GameServer } from '../../../server/index'
import type { GeckosConnectionsManager } from '../../../server/transport/geckos-internals'
import { startServer, waitFor } from '../../support/real-net'
import { RawClient } from '../../support/raw-client'
import { testSchema, type TestSchema } from '../../support/test-schema'

describe('half-open connections are cleaned up', () => {
  let server: GameServer<TestSchema>
  let url: string
  const manager = () => server.io.connectionsManager as unknown as GeckosConnectionsManager

  beforeAll(async () => ({ server, url } = await startServer(testSchema, { handshakeTimeoutMs: 3000 })))
  afterAll(() => server.close())

  it('closes a peer that opened WebRTC but never said hello', async () => {
    const raw = await RawClient.connect(url) // WebRTC up, no hello
    expect(manager().connections.size).toBe(1)
    await waitFor(() => manager().connections.size === 0, 15_000, 'the silent peer to be dropped')
    expect(server.connections.size).toBe(0)
    await waitFor(() => raw.closed, 15_000, 'the client to see the close')
  })

  it('closes a signalling request whose WebRTC setup never completes', async () => {
    const res = await fetch(`${url}/.wrtc/v2/connections`, { method: 'POST' })
    expect(res.status).toBe(200) // an offer, which we never answer
    expect(manager().connections.size).toBe(1)
    await waitFor(() => manager().connections.size === 0, 15_000, 'the abandoned peer connection to be dropped')
  })
})
