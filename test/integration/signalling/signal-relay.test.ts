import { pack } from 'msgpackr'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GameClient } from '../../../client/index'
import { SignalClient } from '../../../client/media/signal-client'
import type { MeshSignal } from '../../../client/media/signal-types'
import type { ServerConnection } from '../../../server/index'
import { SignalRelay } from '../../../server/signalling/signal-relay'
import { RawClient } from '../../support/raw-client'
import { sleep, waitFor } from '../../support/real-net'
import { appSchema, startApp, stopApp, type App, type AppSchema } from '../files/support'

interface Peer {
  client: GameClient<AppSchema>
  signals: SignalClient<AppSchema>
  id: string
  got: { from: string; signal: MeshSignal }[]
  errors: { to: string; code: string }[]
  calls: { from: string; name: string }[]
  answered: { from: string; accept: boolean }[]
  ended: { from: string; reason: string }[]
}

function peerOf(client: GameClient<AppSchema>): Peer {
  const signals = new SignalClient(client)
  const p: Peer = { client, signals, id: client.id, got: [], errors: [], calls: [], answered: [], ended: [] }
  signals.onSignal((from, signal) => p.got.push({ from, signal }))
  signals.events.on('error', (e) => p.errors.push(e))
  signals.events.on('incomingCall', (c) => p.calls.push(c))
  signals.events.on('callAnswered', (c) => p.answered.push(c))
  signals.events.on('callEnded', (c) => p.ended.push(c))
  return p
}

const offer: MeshSignal = { description: { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' } }
const candidate: MeshSignal = { candidate: { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 } }
/** `[id][msgpack payload]` for a message id, with any payload (no schema check on our side). */
const frame = (name: string, payload: unknown[]) => {
  const body = pack(payload)
  const out = new Uint8Array(body.byteLength + 1)
  out[0] = appSchema.byName.get(name)!.id
  out.set(body, 1)
  return out
}

describe('signalling relay', () => {
  let app: App
  let relay: SignalRelay<AppSchema>
  let a: Peer, b: Peer, c: Peer, d: Peer

  beforeAll(async () => {
    app = await startApp(4)
    relay = new SignalRelay(app.server, app.directory, { ringTimeoutMs: 800 })
    ;[a, b, c, d] = app.clients.map(peerOf) as [Peer, Peer, Peer, Peer]
    app.directory.setRoom(a.id, 'r1')
    app.directory.setRoom(b.id, 'r1')
    app.directory.setRoom(c.id, 'r2')
    app.directory.names.set(a.id, 'Alice')
  })
  afterAll(async () => {
    relay?.close()
    await stopApp(app)
  })

  it('relays between peers of one room, stamped with the real sender', async () => {
    a.signals.send(b.id, offer)
    a.signals.send(b.id, candidate)
    await waitFor(() => b.got.length === 2, 3000, 'signals at b')
    expect(b.got).toEqual([
      { from: a.id, signal: offer },
      { from: a.id, signal: candidate },
    ])
  })

  it('refuses signalling to a peer outside the room without an accepted call', async () => {
    const refusedBefore = relay.stats.refused['not-allowed'] ?? 0
    a.signals.send(c.id, offer)
    a.signals.send(d.id, candidate)
    await waitFor(() => a.errors.length >= 2, 3000, 'refusals')
    expect(a.errors.map((e) => [e.to, e.code])).toEqual([
      [c.id, 'not-allowed'],
      [d.id, 'not-allowed'],
    ])
    expect(relay.stats.refused['not-allowed']).toBe(refusedBefore + 2)
    await sleep(100)
    expect(c.got.length + d.got.length).toBe(0)
  })

  it('makes a forged sender impossible', async () => {
    const accepted = new Promise<ServerConnection<AppSchema>>((r) => app.server.onConnection(r))
    const raw = await RawClient.connect(app.url, { hello: { fingerprint: appSchema.fingerprint } })
    const conn = await accepted
    app.directory.setRoom(conn.id, 'r1')
    // `from` is not a field of what clients send: the type refuses it, and so does the encoder.
    // @ts-expect-error -- no `from` in rtcDescription
    expect(() => a.client.send('rtcDescription', { to: b.id, from: c.id, type: 'offer', sdp: 'x' })).toThrow(/unknown-key/)
    // A hand-made frame with an extra field, and the server-to-client message (which carries `from`).
    raw.sendReliableFrame(frame('rtcDescription', [b.id, 0, 'v=0', c.id]))
    raw.sendReliableFrame(frame('rtcDescriptionFrom', [c.id, 0, 'v=0']))
    raw.sendReliableFrame(frame('rtcDescription', [b.id, 0, 'v=0']))
    await waitFor(() => b.got.length === 3, 3000, 'the one valid signal')
    expect(b.got[2]!.from).toBe(conn.id)
    expect(conn.stats().rejected).toMatchObject({ 'unknown-key': 1, 'wrong-direction': 1 })
    await sleep(100)
    expect(b.got.length).toBe(3)
  })

  it('refuses an SDP over the size cap', async () => {
    const accepted = new Promise<ServerConnection<AppSchema>>((r) => app.server.onConnection(r))
    const raw = await RawClient.connect(app.url, { hello: { fingerprint: appSchema.fingerprint } })
    const conn = await accepted
    app.directory.setRoom(conn.id, 'r1')
    expect(() => a.client.send('rtcDescription', { to: b.id, type: 'offer', sdp: 'x'.repeat(20_000) })).toThrow(/too-long/)
    raw.sendReliableFrame(frame('rtcDescription', [b.id, 0, 'x'.repeat(20_000)]))
    await waitFor(() => Object.keys(conn.stats().rejected).length > 0, 3000, 'rejection')
    // Refused while decoding, before any handler: 'too-long' (or 'frame-too-large' past 3 bytes a char).
    expect(conn.stats().rejected).toEqual({ 'too-long': 1 })
    expect(b.got.length).toBe(3)
  })

  it('a declined call relays nothing', async () => {
    a.signals.call(c.id)
    await waitFor(() => c.calls.length === 1, 3000, 'ringing')
    expect(c.calls[0]).toEqual({ from: a.id, name: 'Alice' })
    a.signals.send(c.id, offer) // ringing is not accepted
    c.signals.answer(a.id, false)
    await waitFor(() => a.answered.length === 1, 3000, 'answer')
    expect(a.answered[0]).toEqual({ from: c.id, accept: false })
    a.signals.send(c.id, offer)
    c.signals.send(a.id, offer)
    await waitFor(() => a.errors.length >= 4 && c.errors.length >= 1, 3000, 'refusals')
    expect([...a.errors.slice(2), ...c.errors].map((e) => e.code)).toEqual(['not-allowed', 'not-allowed', 'not-allowed'])
    expect(c.got.length).toBe(0)
    expect(relay.calls.size).toBe(0)
  })

  it('an accepted call allows signalling both ways until hang-up', async () => {
    a.signals.call(d.id)
    await waitFor(() => d.calls.length === 1, 3000, 'ringing')
    d.signals.answer(a.id, true)
    await waitFor(() => a.answered.length === 2, 3000, 'accepted')
    a.signals.send(d.id, offer)
    d.signals.send(a.id, candidate)
    await waitFor(() => d.got.length === 1 && a.got.length === 1, 3000, 'relayed')
    expect(d.got[0]!.from).toBe(a.id)
    expect(a.got[0]!.from).toBe(d.id)
    a.signals.hangup(d.id)
    await waitFor(() => d.ended.length === 1, 3000, 'hang-up')
    expect(d.ended[0]).toEqual({ from: a.id, reason: 'hangup' })
    const errors = a.errors.length
    a.signals.send(d.id, offer)
    await waitFor(() => a.errors.length === errors + 1, 3000, 'refused after hang-up')
    expect(d.got.length).toBe(1)
  })

  it('two peers calling each other are connected', async () => {
    c.signals.call(d.id)
    await waitFor(() => d.calls.length === 2, 3000, 'ringing')
    d.signals.call(c.id)
    await waitFor(() => c.answered.length === 1 && d.answered.length === 1, 3000, 'both answered')
    expect(c.answered[0]).toEqual({ from: d.id, accept: true })
    expect(d.answered[0]).toEqual({ from: c.id, accept: true })
    expect(relay.allowed(c.id, d.id)).toBe(true)
    d.signals.hangup(c.id)
    await waitFor(() => c.ended.length === 1, 3000, 'hang-up')
    expect(relay.calls.size).toBe(0)
  })

  it('an unanswered call times out for both', async () => {
    b.signals.call(d.id)
    await waitFor(() => b.ended.length === 1 && d.ended.length === 2, 4000, 'timeout')
    expect(b.ended[0]).toEqual({ from: d.id, reason: 'timeout' })
    expect(d.ended[1]).toEqual({ from: b.id, reason: 'timeout' })
    expect(d.calls.at(-1)).toEqual({ from: b.id, name: b.id })
    expect(relay.calls.size).toBe(0)
  })

  it('rate-limits a flood of candidates', async () => {
    const before = b.got.length
    for (let i = 0; i < 500; i++) a.signals.send(b.id, candidate)
    await waitFor(() => (relay.stats.refused['rate-limited'] ?? 0) > 0 && b.got.length - before + (relay.stats.refused['rate-limited'] ?? 0) >= 500, 5000, 'flood handled')
    expect(b.got.length - before).toBeLessThan(500)
    expect(b.got.length - before).toBeGreaterThanOrEqual(300)
  })
})
