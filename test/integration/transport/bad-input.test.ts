import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GameClient } from '../../../client/index'
import type { GameServer, ServerConnection } from '../../../server/index'
import { engineSchema } from '../../../shared/protocol/engine'
import { decodeMessage, encodeMessage, HEADROOM, type Payload } from '../../../shared/schema/index'
import { connectClient, sleep, startServer, waitFor } from '../../support/real-net'
import { RawClient } from '../../support/raw-client'
import { testSchema, type TestSchema } from '../../support/test-schema'

const id = (name: keyof TestSchema['declarations']) => testSchema.byName.get(name)!.id
const frame = <N extends keyof TestSchema['declarations'] & string>(name: N, data: Payload<TestSchema, N>) =>
  encodeMessage(testSchema.byName.get(name)!, data).subarray(HEADROOM).slice()
/** msgpack by hand, to say what our encoder never would. */
const bytes = (...b: number[]) => new Uint8Array(b)

describe('bad input is refused and counted; everyone else carries on', () => {
  let server: GameServer<TestSchema>
  let url: string
  let good: GameClient<TestSchema>
  const serverErrors: string[] = []
  let goodEchoes = 0
  let stopGood = false
  let goodLoop: Promise<void>

  beforeAll(async () => {
    ;({ server, url } = await startServer(testSchema, {
      link: { rateLimit: { messagesPerSecond: 300, messageBurst: 300, bytesPerSecond: 1 << 20, byteBurst: 1 << 20, disconnectAfter: 1000 } },
    }))
    server.events.on('error', (err) => serverErrors.push(err.code))
    server.on('chat', (d, conn) => conn.send('chat', d))
    good = await connectClient(testSchema, url)
    good.on('chat', () => goodEchoes++)
    // A well-behaved player chats throughout; every line must come back.
    goodLoop = (async () => {
      for (let seq = 0; !stopGood; seq++) {
        good.send('chat', { seq, text: 'still here' })
        await sleep(20)
      }
    })()
  })
  afterAll(async () => {
    stopGood = true
    await goodLoop
    good.close()
    await server.close()
  })

  async function hostile(): Promise<{ raw: RawClient; conn: ServerConnection<TestSchema> }> {
    const accepted = new Promise<ServerConnection<TestSchema>>((r) => {
      const off = server.onConnection((c) => {
        off()
        r(c)
      })
    })
    const raw = await RawClient.connect(url, { hello: { fingerprint: testSchema.fingerprint } })
    return { raw, conn: await accepted }
  }

  it('refuses each kind of malformed frame with its own code, on both channels', async () => {
    const { raw, conn } = await hostile()
    const cases: [string, Uint8Array][] = [
      ['unknown-id', bytes(200, 0x90)],
      ['malformed', frame('chat', { seq: 1, text: 'hello' }).subarray(0, 4)], // truncated
      ['wrong-type', bytes(id('chat'), 0x92, 0xa1, 0x78, 0xa1, 0x78)], // seq is a string
      ['too-long', bytes(id('chat'), 0x92, 0x01, 0xd9, 201, ...new Array<number>(201).fill(0x61))], // 201-char text
      ['frame-too-large', bytes(id('chat'), 0x92, 0x01, 0xda, 0x10, 0x00, ...new Array<number>(4096).fill(0x61))],
      ['unknown-key', bytes(id('chat'), 0x93, 0x01, 0xa1, 0x78, 0x01)], // a third field
      ['missing-key', bytes(id('chat'), 0x91, 0x01)],
      ['out-of-range', bytes(id('input'), 0x93, 0x01, 0xcc, 0xc8, 0x00)], // dx = 200 is not int8
      ['wrong-direction', frame('state', { seq: 1, sentAt: 1, pad: new Uint8Array(0) })], // toClient only
      ['wrong-channel', frame('input', { seq: 1, dx: 0, dy: 0 })], // unreliable message on the reliable channel
    ]
    for (const [, f] of cases) raw.sendReliableFrame(f)
    await waitFor(() => cases.every(([code]) => (conn.stats().rejected[code] ?? 0) >= 1), 5000, 'every reliable rejection')
    // Same on the unreliable channel (except the channel mix-up, which flips: chat is reliable).
    for (const [, f] of cases.slice(0, -1)) raw.sendUnreliableFrame(f)
    raw.sendUnreliableFrame(frame('chat', { seq: 1, text: 'x' }))
    await waitFor(() => cases.every(([code]) => (conn.stats().rejected[code] ?? 0) >= 2), 5000, 'every unreliable rejection')
    for (const [code] of cases) expect(serverErrors).toContain(code)
    expect(conn.closed).toBe(false)
  })

  it('survives random bytes, deep nesting and a too-short frame', async () => {
    const { raw, conn } = await hostile()
    let seed = 7
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff)
    for (let i = 0; i < 200; i++) {
      const junk = new Uint8Array(1 + Math.floor(rand() * 300)).map(() => Math.floor(rand() * 256))
      if (i % 2) raw.sendRawUnreliable(junk)
      else raw.sendRawReliable(junk)
      if (i % 50 === 49) await sleep(30)
    }
    const deep = new Uint8Array(60_000).fill(0x91) // 60,000 nested one-element arrays
    deep[0] = id('chat')
    raw.sendReliableFrame(deep)
    raw.sendRawUnreliable(bytes(1))
    await sleep(500)
    const rejected = Object.values(conn.stats().rejected).reduce((a, b) => a + b, 0)
    expect(rejected).toBeGreaterThanOrEqual(150)
    expect(conn.closed).toBe(false)
  })

  it("refuses JSON frames, so a client cannot fire geckos' internal events", async () => {
    const { raw, conn } = await hostile()
    raw.sendRawUnreliable(JSON.stringify({ disconnect: 'closed' }))
    raw.sendRawUnreliable(JSON.stringify({ rawMessage: 'x' }))
    raw.sendRawReliable(JSON.stringify({ dropped: 'x' }))
    await waitFor(() => (conn.stats().rejected['text-frame'] ?? 0) === 3, 5000, 'text frames rejected')
    await sleep(200)
    expect(conn.closed).toBe(false)
    expect(server.connections.has(conn.id)).toBe(true)
  })

  it('refuses application messages before the handshake', async () => {
    const before = server.connections.size
    const raw = await RawClient.connect(url) // no hello
    raw.sendReliableFrame(frame('chat', { seq: 1, text: 'sneaky' }))
    await waitFor(() => serverErrors.includes('handshake'), 5000, 'the early message to be refused')
    expect(server.connections.size).toBe(before) // never became a connection
    expect(goodEchoes).toBeGreaterThan(0)
  })

  it('throttles a flooding client, then disconnects it with a reason', async () => {
    const { raw, conn } = await hostile()
    const closed = new Promise<string>((r) => conn.events.on('close', (reason) => r(reason)))
    const f = frame('input', { seq: 1, dx: 1, dy: 1 })
    for (let i = 0; i < 3000 && !raw.closed; i++) {
      raw.sendUnreliableFrame(f)
      if (i % 100 === 99) await sleep(1)
    }
    expect(await closed).toBe('rate-limit')
    expect(conn.stats().rejected['rate-limited']).toBeGreaterThan(0)
  })

  it('disconnects a client past its allowance of refused frames with protocol-error, which it is told', async () => {
    const { raw, conn } = await hostile()
    const closed = new Promise<[string, string]>((r) => conn.events.on('close', (reason, detail) => r([reason, detail])))
    for (let i = 0; i < 1500 && !conn.closed; i++) {
      raw.sendReliableFrame(bytes(200, 0x90)) // unknown id
      if (i % 100 === 99) await sleep(1)
    }
    const [reason, detail] = await closed
    expect(reason).toBe('protocol-error')
    expect(detail).toMatch(/too many refused frames/)
    // The goodbye reached the client: [flag 0][bye id][reason index]...
    const byeId = engineSchema.byName.get('bye')!.id
    await waitFor(() => raw.received.some((f) => f[0] === 0 && f[1] === byeId), 5000, 'the goodbye')
    const bye = raw.received.find((f) => f[0] === 0 && f[1] === byeId)!
    const decoded = decodeMessage(engineSchema, bye.subarray(1), 'toClient')
    expect(decoded.ok && decoded.data).toMatchObject({ reason: 'protocol-error' })
    raw.close()
  })

  it('kept the well-behaved client fully served throughout', async () => {
    const sentBefore = good.stats().messagesOut.chat?.totalMessages ?? 0
    await sleep(300)
    expect(good.connected).toBe(true)
    await waitFor(() => goodEchoes >= sentBefore, 5000, 'every chat line echoed')
    expect(good.stats().rejected).toEqual({})
  })
})
