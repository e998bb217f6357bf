import { afterEach, describe, expect, it } from 'vitest'
import { Mesh, type MeshOptions } from '../../../client/media/mesh'
import { fakeGetUserMedia, FakePeerConnection, FakeStream, SignalBus } from './fake-rtc'

const meshes: Mesh[] = []

function mesh(bus: SignalBus, selfId: string, extra: Partial<MeshOptions> = {}): Mesh {
  const m = new Mesh({
    selfId,
    signals: bus.transport(selfId),
    createPeerConnection: (config) => new FakePeerConnection(config) as unknown as RTCPeerConnection,
    getUserMedia: fakeGetUserMedia(),
    ...extra,
  })
  meshes.push(m)
  return m
}

function waitFor(predicate: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const start = Date.now()
  return new Promise((resolve, reject) => {
    const check = () => {
      if (predicate()) return resolve()
      if (Date.now() - start > timeoutMs) return reject(new Error(`timed out waiting for ${what}`))
      setTimeout(check, 5)
    }
    check()
  })
}

/** Every mesh is connected to every other and holds its audio + video stream. */
function fullyConnected(ms: Mesh[], ids: string[]): boolean {
  return ms.every((m, i) => {
    const states = m.peerStates()
    return ids.every((id, j) => i === j || (states.get(id)?.state === 'connected' && states.get(id)?.stream?.getTracks().length === 2))
  })
}

afterEach(() => {
  for (const m of meshes.splice(0)) m.close()
  FakePeerConnection.created = []
})

describe('media mesh (perfect negotiation)', () => {
  it('two peers that offer at the same moment (glare) still connect, both ways', async () => {
    let glares = 0
    for (let round = 0; round < 20; round++) {
      const bus = new SignalBus()
      const a = mesh(bus, `a${round}`)
      const b = mesh(bus, `b${round}`)
      await Promise.all([a.start(), b.start()])
      const errors: Error[] = []
      for (const m of [a, b]) m.events.on('error', (_id, e) => errors.push(e))
      // Both learn of each other at once, as when presence reaches both: both offer.
      a.addPeer(`b${round}`)
      b.addPeer(`a${round}`)
      await waitFor(() => fullyConnected([a, b], [`a${round}`, `b${round}`]), 3000, `round ${round} connected`)
      expect(errors).toEqual([])
      const impolite = b.peerStates().get(`a${round}`)!
      const polite = a.peerStates().get(`b${round}`)!
      expect(polite.polite).toBe(true)
      expect(impolite.polite).toBe(false)
      glares += impolite.ignoredOffers
      a.close()
      b.close()
    }
    // With both offering at once, glare is the rule: the impolite side ignored offers, the polite rolled back.
    expect(glares).toBeGreaterThan(10)
    expect(FakePeerConnection.created.reduce((n, pc) => n + pc.rollbacks, 0)).toBeGreaterThan(10)
  })

  it('peers join and leave: the mesh follows the room', async () => {
    const bus = new SignalBus()
    const ids = ['p1', 'p2', 'p3']
    const ms = ids.map((id) => mesh(bus, id))
    await Promise.all(ms.map((m) => m.start()))
    for (const m of ms) m.setPeers(ids)
    await waitFor(() => fullyConnected(ms, ids), 3000, 'three connected')

    const streams: string[] = []
    ms[0]!.events.on('stream', (id) => streams.push(id))
    const p4 = mesh(bus, 'p4')
    await p4.start()
    const all = [...ids, 'p4']
    for (const m of [...ms, p4]) m.setPeers(all)
    await waitFor(() => fullyConnected([...ms, p4], all), 3000, 'four connected')
    expect(streams).toEqual(['p4'])

    const removed: string[] = []
    for (const m of [ms[0]!, ms[2]!, p4]) m.events.on('removed', (id) => removed.push(id))
    const leaving = ms[1]!
    const localTracks = leaving.localStream!.getTracks() as unknown as { stopped: boolean }[]
    leaving.close()
    const stay = ['p1', 'p3', 'p4']
    for (const m of [ms[0]!, ms[2]!, p4]) m.setPeers(stay)
    expect(removed).toEqual(['p2', 'p2', 'p2'])
    expect(localTracks.every((t) => t.stopped)).toBe(true)
    expect([...ms[0]!.peerStates().keys()].sort()).toEqual(['p3', 'p4'])
    // Every connection to p2, on either side, is closed.
    const open = FakePeerConnection.created.filter((pc) => !pc.closed)
    expect(open.length).toBe(6) // 3 peers x 2 connections each
  })

  it('a peer added before the camera opened gets the media by renegotiation', async () => {
    const bus = new SignalBus()
    const a = mesh(bus, 'a')
    const b = mesh(bus, 'b')
    a.addPeer('b')
    b.addPeer('a')
    await new Promise((r) => setTimeout(r, 20))
    expect(a.peerStates().get('b')!.state).toBe('new') // nothing to negotiate yet
    await a.start()
    await waitFor(() => b.peerStates().get('a')?.stream?.getTracks().length === 2, 3000, 'a -> b media')
    await b.start()
    await waitFor(() => fullyConnected([a, b], ['a', 'b']), 3000, 'both ways')
  })

  it('asks for camera and microphone with echo cancellation and the configured video', async () => {
    const asked: MediaStreamConstraints[] = []
    const m = mesh(new SignalBus(), 'x', { getUserMedia: fakeGetUserMedia(asked), video: { width: 1280, height: 720, frameRate: 15 } })
    await m.start()
    expect(asked[0]).toEqual({
      audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
      video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 15 } },
    })
    const audioOnly = mesh(new SignalBus(), 'y', { video: false })
    expect(audioOnly.constraints().video).toBe(false)
  })

  it('passes ICE servers and relay-only mode to every connection', () => {
    const iceServers = [{ urls: 'stun:stun.example.org' }, { urls: 'turn:turn.example.org', username: 'u', credential: 'c' }]
    const m = mesh(new SignalBus(), 'x', { iceServers, relayOnly: true })
    m.addPeer('y')
    const pc = FakePeerConnection.created.at(-1)!
    expect(pc.config).toEqual({ iceServers, iceTransportPolicy: 'relay' })
  })

  it('restarts ICE when it fails', async () => {
    const bus = new SignalBus()
    const [a, b] = [mesh(bus, 'a'), mesh(bus, 'b')]
    await Promise.all([a.start(), b.start()])
    a.addPeer('b')
    b.addPeer('a')
    await waitFor(() => fullyConnected([a, b], ['a', 'b']), 3000, 'connected')
    const pc = FakePeerConnection.created[0]!
    const offersBefore = bus.sent.filter((s) => 'description' in s.signal).length
    pc.failIce()
    expect(pc.restarts).toBe(1)
    await waitFor(() => bus.sent.filter((s) => 'description' in s.signal).length >= offersBefore + 2, 3000, 'renegotiated')
  })

  it('takes signals from unknown peers only when allowed to', async () => {
    const bus = new SignalBus()
    const strict = mesh(bus, 's', { acceptUnknownPeers: false })
    const open = mesh(bus, 'o')
    const caller = mesh(bus, 'c')
    await caller.start()
    caller.addPeer('s')
    caller.addPeer('o')
    await waitFor(() => open.peerStates().get('c')?.state === 'connected', 3000, 'open side connected')
    expect(strict.peerStates().size).toBe(0)
    expect(new FakeStream().getTracks()).toEqual([])
  })
})
