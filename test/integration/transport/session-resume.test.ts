/**
 * Session resume over real WebRTC on loopback: the client's peer connection is torn down under it
 * (both channels die at once), both ends keep sending reliable messages, the client resumes on a new
 * WebRTC connection by itself, and every message arrives exactly once, in order, on the same
 * ServerConnection. A used token, or a connection id, resumes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GameClient } from '../../../client/index'
import type { GameServer, ServerConnection } from '../../../server/index'
import { engineSchema, PROTOCOL_VERSION } from '../../../shared/protocol/engine'
import { encodeMessage, HEADROOM } from '../../../shared/schema/index'
import { RawClient } from '../../support/raw-client'
import { connectPair, startServer, waitFor } from '../../support/real-net'
import { testSchema, type TestSchema } from '../../support/test-schema'

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i)
type Internals = { token: string; channel: { peerConnection: { localPeerConnection: RTCPeerConnection } } | undefined }

/** A `resume` as a hostile client would send it. */
function resumeFrame(token: string): Uint8Array {
  return encodeMessage(engineSchema.byName.get('resume')!, { protocol: PROTOCOL_VERSION, fingerprint: testSchema.fingerprint, token, received: 0 }).subarray(HEADROOM)
}

describe('session resume after both channels are cut (real WebRTC)', () => {
  let server: GameServer<TestSchema>
  let url: string
  let client: GameClient<TestSchema>
  let conn: ServerConnection<TestSchema>

  beforeAll(async () => {
    ;({ server, url } = await startServer(testSchema, { link: { timeoutMs: 1500, pingIntervalMs: 250 }, sessions: { graceMs: 20_000 } }))
    ;({ client, conn } = await connectPair(server, testSchema, url, { link: { timeoutMs: 1500, pingIntervalMs: 250 }, resume: { retryDelayMs: 100 } }))
  })
  afterAll(async () => {
    client.close()
    await server.close()
  })

  it('replays what either side sent while cut, exactly once and in order, on the same connection', async () => {
    const atServer: number[] = []
    const atClient: number[] = []
    server.on('chat', (m) => atServer.push(m.seq))
    client.on('chat', (m) => atClient.push(m.seq))
    for (const seq of range(0, 5)) {
      client.send('chat', { seq, text: 'before' })
      conn.send('chat', { seq, text: 'before' })
    }
    await waitFor(() => atServer.length === 5 && atClient.length === 5, 5000, 'messages before the cut')
    const id = client.id
    const firstToken = (client as unknown as Internals).token
    expect(firstToken).toMatch(/^[0-9a-f]{32}$/)
    const events: string[] = []
    client.events.on('suspended', (r) => events.push(`suspended ${r}`))
    client.events.on('resumed', (r) => events.push(`resumed ${r.replayed}`))
    client.events.on('disconnect', (r) => events.push(`disconnect ${r}`))

    ;(client as unknown as Internals).channel!.peerConnection.localPeerConnection.close()
    for (const seq of range(5, 55)) {
      client.send('chat', { seq, text: 'during' })
      conn.send('chat', { seq, text: 'during' })
    }
    await waitFor(() => events.some((e) => e.startsWith('resumed')), 15_000, 'the client to resume')
    await waitFor(() => atServer.length >= 55 && atClient.length >= 55, 5000, 'the replay')
    expect(atServer).toEqual(range(0, 55))
    expect(atClient).toEqual(range(0, 55))
    expect(events[0]).toMatch(/^suspended/)
    expect(events.filter((e) => e.startsWith('disconnect'))).toEqual([])
    // Same identity: the very same ServerConnection, under the same id.
    expect(client.id).toBe(id)
    expect(server.connections.get(id)).toBe(conn)
    expect(server.connections.size).toBe(1)
    expect(conn.channelId).not.toBe(id)
    // The new connection carries on both ways.
    client.send('chat', { seq: 55, text: 'after' })
    conn.send('chat', { seq: 55, text: 'after' })
    await waitFor(() => atServer.length === 56 && atClient.length === 56, 5000, 'messages after the resume')
    expect((client as unknown as Internals).token).not.toBe(firstToken)
    // Acks flow on the new connection: both ends forget what the other has.
    await waitFor(() => conn.session!.book.unackedMessages === 0, 5000, 'the server to be acknowledged')

    // The first token was single use; a connection id is no token.
    for (const token of [firstToken, id]) {
      const thief = await RawClient.connect(url)
      thief.sendReliableFrame(resumeFrame(token))
      await waitFor(() => thief.closed, 8000, 'the thief to be closed')
    }
    expect(server.connections.get(id)).toBe(conn)
    expect(conn.closed).toBe(false)
  }, 40_000)

  it('a client that does not resume still acknowledges, and a cut then ends its connection', async () => {
    const { client: plain, conn: plainConn } = await connectPair(server, testSchema, url, { link: { timeoutMs: 1500, pingIntervalMs: 250 }, resume: false })
    for (const seq of range(0, 40)) plainConn.send('chat', { seq, text: 'x' })
    await waitFor(() => plainConn.session!.book.unackedMessages === 0, 5000, 'acks from a client without resume')
    const reasons: string[] = []
    plain.events.on('disconnect', (r) => reasons.push(r))
    ;(plain as unknown as Internals).channel!.peerConnection.localPeerConnection.close()
    await waitFor(() => reasons.length > 0, 8000, 'the client to disconnect')
    expect(reasons[0]).not.toBe('resume-failed')
  })
})
