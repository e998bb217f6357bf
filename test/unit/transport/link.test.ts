import { afterEach, describe, expect, it } from 'vitest'
import { encodeMessage, type Payload } from '../../../shared/schema/index'
import { testSchema, type TestSchema } from '../../support/test-schema'
import { flush, linkPair, watch } from './link-pair'

type Kinds = Payload<TestSchema, 'kindsSafe'>
const kinds = (): Kinds => ({
  u8: 1,
  u16: 2,
  u32: 3,
  i8: -4,
  i16: -5,
  i32: -6,
  f32: 0.5,
  f64: 0.1,
  q: 12.34,
  flag: true,
  name: 'player',
  mode: 'ctf',
  blob: new Uint8Array([9, 8, 7]),
  list: [{ id: 1, tag: 'a' }, { id: 2 }],
  nested: { inner: { depth: 1 } },
})

/** As a broadcast does: echo 0 on `a` only, then echoes 1-20 each encoded once and sent on both links. */
function broadcastEchoes(a: ReturnType<typeof linkPair>, b: ReturnType<typeof linkPair>): void {
  a.server.send('echo', { seq: 0 })
  const spec = testSchema.byName.get('echo')!
  for (let seq = 1; seq <= 20; seq++) {
    const encoded = encodeMessage(spec, { seq })
    a.server.sendEncoded(spec, encoded)
    b.server.sendEncoded(spec, encoded)
  }
}

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

describe('Link: typed messages over memory pipes', () => {
  it('delivers on both channels, both ways, with the declared types', async () => {
    const p = linkPair()
    cleanup = p.close
    const atServer: string[] = []
    const atClient: string[] = []
    p.server.on('chat', (d) => atServer.push(`chat ${d.seq} ${d.text}`))
    p.server.on('input', (d) => atServer.push(`input ${d.seq} ${d.dx} ${d.dy}`))
    p.server.on('kindsFast', (d) => atServer.push(`fast ${d.mode} ${d.q.toFixed(2)} ${[...d.blob].join(',')}`))
    p.client.on('state', (d) => atClient.push(`state ${d.seq} ${d.sentAt} ${d.pad.byteLength}`))
    p.client.on('chat', (d) => atClient.push(`chat ${d.seq} ${d.text}`))
    p.client.on('kindsSafe', (d) => atClient.push(`safe ${d.name} ${d.list.length} ${d.nested.inner.depth} ${'maybe' in d}`))

    expect(p.client.send('chat', { seq: 1, text: 'hello' })).toBe(true)
    expect(p.client.send('input', { seq: 2, dx: -1, dy: 1 })).toBe(true)
    expect(p.client.send('kindsFast', kinds())).toBe(true)
    expect(p.server.send('state', { seq: 3, sentAt: 1.25, pad: new Uint8Array(100) })).toBe(true)
    expect(p.server.send('chat', { seq: 4, text: 'welcome' })).toBe(true)
    expect(p.server.send('kindsSafe', kinds())).toBe(true)
    await flush()

    expect(atServer).toEqual(['chat 1 hello', 'input 2 -1 1', 'fast ctf 12.34 9,8,7'])
    expect(atClient).toEqual(['state 3 1.25 100', 'chat 4 welcome', 'safe player 2 1 false'])
  })

  it('keeps reliable messages in order, and carries one larger than many chunks intact', async () => {
    const p = linkPair({ client: { chunkBytes: 1024 } })
    cleanup = p.close
    const got: number[] = []
    let bulk: Uint8Array | undefined
    p.server.on('chat', (d) => got.push(d.seq))
    p.server.on('bulk', (d) => (bulk = d.data))
    const data = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7) & 0xff)
    for (let seq = 0; seq < 300; seq++) {
      p.client.send('chat', { seq, text: `line ${seq}` })
      if (seq === 150) p.client.send('bulk', { seq, data })
    }
    await p.client.drained()
    await flush()
    expect(got).toEqual(Array.from({ length: 300 }, (_, i) => i))
    expect(bulk).toBeDefined()
    expect(bulk!.byteLength).toBe(100_000)
    expect(Buffer.compare(bulk!, data)).toBe(0)
    expect(p.server.stats().rejected).toEqual({})
  })

  it('an unsubscribed handler hears nothing more; others still do', async () => {
    const p = linkPair()
    cleanup = p.close
    const a: number[] = []
    const b: number[] = []
    const offA = p.server.on('echo', (d) => a.push(d.seq))
    p.server.on('echo', (d) => b.push(d.seq))
    p.client.send('echo', { seq: 1 })
    await flush()
    offA()
    p.client.send('echo', { seq: 2 })
    await flush()
    expect(a).toEqual([1])
    expect(b).toEqual([1, 2])
  })

  it('relays application messages after its own handlers', async () => {
    const p = linkPair()
    cleanup = p.close
    const order: string[] = []
    p.server.on('echo', () => order.push('handler'))
    p.server.relay = (name, data) => order.push(`relay ${name} ${JSON.stringify(data)}`)
    p.client.send('echo', { seq: 5 })
    await flush()
    expect(order).toEqual(['handler', 'relay echo {"seq":5}'])
  })

  it('throws SchemaError on a payload that does not match, and sends nothing', async () => {
    const p = linkPair()
    cleanup = p.close
    let got = 0
    p.server.on('chat', () => got++)
    const bad: unknown = { seq: -1, text: 'x' }
    expect(() => p.client.send('chat', bad as Payload<TestSchema, 'chat'>)).toThrow(/out-of-range at chat.seq/)
    await flush()
    expect(got).toBe(0)
    expect(p.client.stats().messagesOut).toEqual({})
  })

  it('counts messages and bytes per name, engine messages with a $', async () => {
    const p = linkPair()
    cleanup = p.close
    for (let i = 0; i < 10; i++) p.client.send('echo', { seq: i })
    await p.advance(1000)
    const s = p.server.stats()
    expect(s.messagesIn.echo?.totalMessages).toBe(10)
    expect(s.messagesIn.echo?.totalBytes).toBe(10 * 3) // [id][0x91][seq as a fixint]
    // Counts are as of the last stats tick (t = 1000), which runs before the peer's ping of that moment arrives.
    expect(s.messagesIn.$ping?.totalMessages).toBe(1)
    expect(p.client.stats().messagesOut.echo).toMatchObject({ totalMessages: 10, totalBytes: 30 })
    expect(s.bytesInPerSec).toBeGreaterThan(0)
  })

  it('emits stats every interval', async () => {
    const p = linkPair()
    cleanup = p.close
    const at: number[] = []
    p.client.events.on('stats', (s) => {
      at.push(p.clock.now())
      expect(s.loss.in).toBe(0)
    })
    await p.advance(3000)
    expect(at).toEqual([1000, 2000, 3000])
  })

  it('a frame encoded once and sent on many links keeps each link its own sequence numbers', async () => {
    // As a broadcast does: one encode, sendEncoded on every connection. The links' sequence numbers
    // differ (a got one extra message), and each write must not leak into the other's frame.
    const a = linkPair()
    const b = linkPair()
    cleanup = () => (a.close(), b.close())
    const got = { a: [] as number[], b: [] as number[] }
    a.client.on('echo', (d) => got.a.push(d.seq))
    b.client.on('echo', (d) => got.b.push(d.seq))
    broadcastEchoes(a, b)
    await flush()
    expect(got.a).toEqual(Array.from({ length: 21 }, (_, i) => i))
    expect(got.b).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    expect(a.client.stats().duplicatesIn).toBe(0)
  })

  it('the same, with simulated latency holding the frames', async () => {
    const a = linkPair()
    const b = linkPair()
    cleanup = () => (a.close(), b.close())
    a.server.setConditions({ outgoing: { latencyMs: 30 } })
    b.server.setConditions({ outgoing: { latencyMs: 30 } })
    const got = { a: 0, b: 0 }
    a.client.on('echo', () => got.a++)
    b.client.on('echo', () => got.b++)
    broadcastEchoes(a, b)
    a.clock.advance(30)
    b.clock.advance(30)
    await flush()
    expect(got).toEqual({ a: 21, b: 20 })
  })

  it('closed links send nothing and ignore what arrives', async () => {
    const p = linkPair()
    const seen = watch(p.server)
    let got = 0
    p.server.on('echo', () => got++)
    p.server.close('closed', '', false)
    expect(p.server.send('echo', { seq: 1 })).toBe(false)
    p.client.send('echo', { seq: 1 })
    await flush()
    expect(got).toBe(0)
    expect(seen.closes).toEqual([['closed', '']])
    p.server.close('kicked') // a second close does nothing
    expect(seen.closes.length).toBe(1)
    p.client.close('closed', '', false)
  })
})
