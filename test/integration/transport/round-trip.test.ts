import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConnectError, type GameClient } from '../../../client/index'
import type { GameServer, ServerConnection } from '../../../server/index'
import { defineSchema, t, type Payload } from '../../../shared/schema/index'
import { connectClient, connectPair, startServer, waitFor } from '../../support/real-net'
import { testSchema, type TestSchema } from '../../support/test-schema'

const sample: Payload<TestSchema, 'kindsFast'> = {
  u8: 255,
  u16: 65535,
  u32: 4294967295,
  i8: -128,
  i16: -32768,
  i32: -2147483648,
  f32: 1.1,
  f64: Math.PI,
  q: -123.45,
  flag: true,
  name: 'héllo ✓',
  mode: 'ctf',
  blob: new Uint8Array([0, 1, 254, 255]),
  list: [{ id: 1, tag: 'a' }, { id: 2 }],
  nested: { inner: { depth: 7 } },
}

function expectSample(got: Payload<TestSchema, 'kindsFast'>): void {
  expect(got.f32).toBe(Math.fround(1.1))
  expect(got.q).toBeCloseTo(-123.45, 9)
  expect(Array.from(got.blob)).toEqual([0, 1, 254, 255])
  expect({ ...got, f32: 0, q: 0, blob: null }).toEqual({ ...sample, f32: 0, q: 0, blob: null })
}

describe('typed round trip over real WebRTC on loopback', () => {
  let server: GameServer<TestSchema>
  let url: string
  let client: GameClient<TestSchema>
  let conn: ServerConnection<TestSchema>

  beforeAll(async () => {
    ;({ server, url } = await startServer(testSchema))
    ;({ client, conn } = await connectPair(server, testSchema, url))
  })
  afterAll(async () => {
    client.close()
    await server.close()
  })

  it('assigns the connection id on the server and tells the client', () => {
    expect(client.id).toBe(conn.id)
    expect(client.id).toMatch(/^c-[0-9A-Za-z_-]{12}$/) // public: the secret setup id stays with the client
  })

  it('carries every field kind on both channels, both ways', async () => {
    const atServer: Payload<TestSchema, 'kindsFast'>[] = []
    const atClient: Payload<TestSchema, 'kindsFast'>[] = []
    server.on('kindsFast', (d) => atServer.push(d))
    server.on('kindsSafe', (d) => atServer.push(d))
    client.on('kindsFast', (d) => atClient.push(d))
    client.on('kindsSafe', (d) => atClient.push(d))
    // Unreliable may lose a packet even on loopback: send until one arrives.
    for (let i = 0; i < 20 && atServer.length < 1; i++) {
      client.send('kindsFast', sample)
      conn.send('kindsFast', sample)
      await new Promise((r) => setTimeout(r, 20))
    }
    client.send('kindsSafe', sample)
    conn.send('kindsSafe', sample)
    await waitFor(() => atServer.length >= 2 && atClient.length >= 2, 5000, 'both kinds messages')
    for (const got of [...atServer, ...atClient]) expectSample(got)
  })

  it('refuses to send a payload that does not match its declaration', () => {
    expect(() => client.send('chat', { seq: 1, text: 'x'.repeat(201) })).toThrow(/too-long/)
    expect(() => client.send('chat', { seq: -1, text: '' })).toThrow(/out-of-range/)
  })

  it('measures RTT on both ends', async () => {
    await waitFor(() => client.stats().rtt.samples >= 3 && conn.stats().rtt.samples >= 3, 5000, 'rtt samples')
    for (const s of [client.stats(), conn.stats()]) {
      expect(s.rtt.p50).toBeGreaterThan(0)
      expect(s.rtt.p50).toBeLessThan(100)
      expect(s.rtt.p95).toBeGreaterThanOrEqual(s.rtt.p50)
    }
    expect(client.stats().messagesOut.kindsSafe?.totalMessages).toBeGreaterThanOrEqual(1)
  })
})

describe('connect and disconnect', () => {
  let server: GameServer<TestSchema>
  let url: string
  beforeAll(async () => ({ server, url } = await startServer(testSchema)))
  afterAll(() => server.close())

  it('rejects a client built against another schema with a clear error', async () => {
    const other = defineSchema({ chat: { channel: 'reliable', fields: { text: t.string({ maxLength: 10 }) } } })
    const err = await connectClient(other, url).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConnectError)
    expect((err as ConnectError).reason).toBe('schema-mismatch')
    expect(server.connections.size).toBe(0)
  })

  it('reports an unreachable server', async () => {
    const err = await connectClient(testSchema, 'http://127.0.0.1:9', { connectTimeoutMs: 5000 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConnectError)
    expect((err as ConnectError).reason).toBe('unreachable')
  })

  it('tells each side why the connection ended', async () => {
    const accepted = new Promise<ServerConnection<TestSchema>>((r) => server.onConnection(r))
    const client = await connectClient(testSchema, url)
    const conn = await accepted
    const clientSaw = new Promise<[string, string]>((r) => client.events.on('disconnect', (reason, detail) => r([reason, detail])))
    conn.kick('too many teamkills')
    expect(await clientSaw).toEqual(['kicked', 'too many teamkills'])

    const accepted2 = new Promise<ServerConnection<TestSchema>>((r) => server.onConnection(r))
    const client2 = await connectClient(testSchema, url)
    const conn2 = await accepted2
    const serverSaw = new Promise<string>((r) => conn2.events.on('close', (reason) => r(reason)))
    client2.close()
    expect(await serverSaw).toBe('closed')
    await waitFor(() => server.connections.size === 0, 3000, 'server to forget closed connections')
  })

  it('broadcasts and sends to groups, encoding once', async () => {
    const conns: ServerConnection<TestSchema>[] = []
    server.onConnection((c) => conns.push(c))
    const clients = [await connectClient(testSchema, url), await connectClient(testSchema, url), await connectClient(testSchema, url)]
    await waitFor(() => conns.length === 3)
    const got = clients.map(() => [] as string[])
    clients.forEach((c, i) => c.on('chat', (d) => got[i]!.push(d.text)))
    const red = server.group('red')
    red.add(conns[0]!)
    red.add(conns[1]!)
    red.send('chat', { seq: 1, text: 'red only' })
    server.broadcast('chat', { seq: 2, text: 'all but 0' }, { except: conns[0] })
    await waitFor(() => got[0]!.length === 1 && got[1]!.length === 2 && got[2]!.length === 1, 5000, 'group and broadcast delivery')
    expect(got).toEqual([['red only'], ['red only', 'all but 0'], ['all but 0']])
    for (const c of clients) c.close()
    await waitFor(() => red.size === 0, 3000, 'group to drop closed members')
  })
})
