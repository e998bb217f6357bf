import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GameClient } from '../../../client/index'
import type { GameServer, ServerConnection } from '../../../server/index'
import { connectPair, startServer, waitFor } from '../../support/real-net'
import { testSchema, type TestSchema } from '../../support/test-schema'

const COUNT = 10_000
const BIG_AT = 5_000
const big = new Uint8Array(1024 * 1024).map((_, i) => (i * 31 + 7) & 0xff)
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

interface Received {
  seqs: number[]
  bigHash: string
}

/** Sends COUNT reliable messages (one of them 1 MB) with backpressure, the way an application should. */
async function sendAll(send: (seq: number) => boolean, drained: () => Promise<void>): Promise<void> {
  for (let seq = 0; seq < COUNT; seq++) if (!send(seq)) await drained()
}

function record(into: Received) {
  return (d: { seq: number; data?: Uint8Array }) => {
    into.seqs.push(d.seq)
    if (d.data && d.data.byteLength > 1000) into.bigHash = sha(d.data)
  }
}

function expectCompleteAndOrdered(r: Received): void {
  expect(r.seqs.length).toBe(COUNT)
  expect(r.seqs.every((s, i) => s === i)).toBe(true)
  expect(r.bigHash).toBe(sha(big))
}

describe('reliable channel: 10,000 messages including one of 1 MB', () => {
  let server: GameServer<TestSchema>
  let client: GameClient<TestSchema>
  let conn: ServerConnection<TestSchema>

  beforeAll(async () => {
    let url: string
    ;({ server, url } = await startServer(testSchema, { link: { rateLimit: false } }))
    ;({ client, conn } = await connectPair(server, testSchema, url))
  })
  afterAll(async () => {
    client.close()
    await server.close()
  })

  const payload = (seq: number) => (seq === BIG_AT ? { seq, data: big } : { seq, data: new Uint8Array([seq & 0xff]) })

  it('client to server: complete and in order', async () => {
    const got: Received = { seqs: [], bigHash: '' }
    conn.on('bulk', record(got))
    await sendAll((seq) => client.send('bulk', payload(seq)), () => client.drained())
    await waitFor(() => got.seqs.length === COUNT, 30_000, 'all messages at the server')
    expectCompleteAndOrdered(got)
  })

  it('server to client: complete and in order', async () => {
    const got: Received = { seqs: [], bigHash: '' }
    client.on('bulk', record(got))
    await sendAll((seq) => conn.send('bulk', payload(seq)), () => conn.drained())
    await waitFor(() => got.seqs.length === COUNT, 30_000, 'all messages at the client')
    expectCompleteAndOrdered(got)
  })

  it('keeps order under simulated latency and jitter on both ends', async () => {
    const got: Received = { seqs: [], bigHash: '' }
    conn.on('chat', (d) => got.seqs.push(d.seq))
    client.setConditions({ outgoing: { latencyMs: 20, jitterMs: 30 } })
    conn.setConditions({ incoming: { latencyMs: 10, jitterMs: 30 } })
    for (let seq = 0; seq < 500; seq++) client.send('chat', { seq, text: `line ${seq}` })
    await waitFor(() => got.seqs.length === 500, 10_000, 'chat lines')
    expect(got.seqs).toEqual([...Array(500).keys()])
    client.setConditions({ outgoing: {} })
    conn.setConditions({ incoming: {} })
  })

  it('keeps state flowing on the unreliable channel while bulk data queues', async () => {
    const ages: number[] = []
    client.on('state', (s) => ages.push(Date.now() - s.sentAt))
    let bulkDone = false
    const bulk = (async () => {
      for (let i = 0; i < 20; i++) if (!conn.send('bulk', { seq: i, data: big })) await conn.drained()
      bulkDone = true
    })()
    let sent = 0
    let sentDuringBulk = 0
    const start = Date.now()
    while (Date.now() - start < 500) {
      conn.send('state', { seq: sent++, sentAt: Date.now(), pad: new Uint8Array(200) })
      if (!bulkDone) sentDuringBulk++
      await new Promise((r) => setTimeout(r, 16))
    }
    await bulk
    // State is not queued behind 20 MB of reliable data: it arrives, and fresh.
    expect(sentDuringBulk).toBeGreaterThan(3)
    expect(ages.length).toBeGreaterThan(sent * 0.5)
    ages.sort((a, b) => a - b)
    expect(ages[Math.floor(ages.length / 2)]).toBeLessThan(100)
  })
})
