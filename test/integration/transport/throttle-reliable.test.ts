import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GameServer } from '../../../server/index'
import { connectPair, startServer, waitFor } from '../../support/real-net'
import { testSchema, type TestSchema } from '../../support/test-schema'

/**
 * Over real data channels: a client over its receive budget never loses a reliable message to
 * throttling (defect: single fragments were dropped, corrupting reassembly). It either gets every
 * message through, in order, or is disconnected with reason `rate-limit`, which it is told.
 */
describe('receive budget over real WebRTC: reliable stays reliable', () => {
  let server: GameServer<TestSchema>
  let url: string
  beforeAll(async () => {
    ;({ server, url } = await startServer(testSchema, {
      link: { rateLimit: { messagesPerSecond: 20, messageBurst: 10, bytesPerSecond: 64 * 1024, byteBurst: 64 * 1024, disconnectAfter: 400 } },
    }))
  })
  afterAll(async () => {
    await server.close()
  })

  it('a burst over the message and byte budget arrives whole and in order', async () => {
    const { client, conn } = await connectPair(server, testSchema, url)
    const got: string[] = []
    conn.on('chat', (d) => got.push(`chat ${d.seq}`))
    conn.on('bulk', (d) => got.push(`bulk ${d.seq} ${d.data.byteLength} ${d.data[d.data.byteLength - 1]}`))
    const sent: string[] = []
    const big = new Uint8Array(100_000).map((_, i) => (i * 7) & 0xff)
    for (let seq = 0; seq < 60; seq++) {
      if (seq % 10 === 5) {
        client.send('bulk', { seq, data: big })
        sent.push(`bulk ${seq} 100000 ${big[99_999]}`)
      } else {
        client.send('chat', { seq, text: `line ${seq}` })
        sent.push(`chat ${seq}`)
      }
    }
    await waitFor(() => got.length >= sent.length, 10_000, 'every reliable message')
    expect(got).toEqual(sent)
    expect(conn.closed).toBe(false)
    expect(conn.stats().rejected).toEqual({})
    client.close()
  })

  it('a client that keeps flooding the reliable channel is disconnected with rate-limit and told why', async () => {
    const { client, conn } = await connectPair(server, testSchema, url)
    const got: number[] = []
    conn.on('chat', (d) => got.push(d.seq))
    const told = new Promise<string>((r) => client.events.on('disconnect', (reason) => r(reason)))
    for (let seq = 0; seq < 2000; seq++) client.send('chat', { seq, text: 'flood' })
    expect(await told).toBe('rate-limit')
    expect(conn.closed).toBe(true)
    // Whatever was handled before the disconnect is a gap-free prefix.
    expect(got).toEqual(got.map((_, i) => i))
  })
})
