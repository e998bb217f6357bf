/**
 * A small RTCPeerConnection stand-in that follows the JSEP signalling state machine closely enough to
 * exercise perfect negotiation in Node: an operations chain with random delays, implicit rollback when
 * an offer arrives in have-local-offer, InvalidStateError for an answer in the wrong state, candidates
 * tied to ICE credentials, tracks announced through the SDP, negotiationneeded after addTrack.
 * node-datachannel's polyfill cannot do this: no media, no rollback, and setLocalDescription() without
 * an argument is a no-op there.
 */
import type { SignalTransport, MeshSignal } from '../../../client/media/signal-types'

let seq = 0

export class FakeTrack {
  stopped = false
  constructor(
    readonly kind: 'audio' | 'video',
    readonly id = `track${++seq}`,
  ) {}
  stop(): void {
    this.stopped = true
  }
}

export class FakeStream {
  private tracks: FakeTrack[]
  constructor(
    tracks: FakeTrack[] = [],
    readonly id = `stream${++seq}`,
  ) {
    this.tracks = [...tracks]
  }
  getTracks(): FakeTrack[] {
    return [...this.tracks]
  }
  addTrack(t: FakeTrack): void {
    this.tracks.push(t)
  }
}

interface FakeSdp {
  ufrag: string
  tracks: { id: string; kind: 'audio' | 'video'; streamId: string }[]
}

type Desc = { type: 'offer' | 'answer'; sdp: string }

/** Peer connections by ICE username fragment, so a connectivity check can find the other end. */
const byUfrag = new Map<string, FakePeerConnection>()

export class FakePeerConnection {
  static created: FakePeerConnection[] = []
  signalingState: RTCSignalingState = 'stable'
  connectionState: RTCPeerConnectionState = 'new'
  iceConnectionState: RTCIceConnectionState = 'new'
  localDescription: Desc | null = null
  remoteDescription: Desc | null = null
  rollbacks = 0
  restarts = 0
  onnegotiationneeded: ((ev: Event) => void) | null = null
  onicecandidate: ((ev: { candidate: RTCIceCandidateInit | null }) => void) | null = null
  ontrack: ((ev: { track: FakeTrack; streams: FakeStream[] }) => void) | null = null
  onconnectionstatechange: ((ev: Event) => void) | null = null
  oniceconnectionstatechange: ((ev: Event) => void) | null = null
  private senders: { track: FakeTrack; stream: FakeStream }[] = []
  private version = 0
  private described = 0
  private ufrag: string
  private gathered = new Set<string>()
  private remoteCandidates = new Set<string>()
  private remoteTracks = new Set<string>()
  private remoteStreams = new Map<string, FakeStream>()
  private chain: Promise<unknown> = Promise.resolve()
  private pending = 0

  constructor(
    readonly config: RTCConfiguration,
    private readonly delay: () => number = () => Math.random() * 3,
  ) {
    this.ufrag = `u${++seq}`
    byUfrag.set(this.ufrag, this)
    FakePeerConnection.created.push(this)
  }

  getSenders(): { track: FakeTrack }[] {
    return this.senders.map((s) => ({ track: s.track }))
  }

  addTrack(track: FakeTrack, stream: FakeStream): void {
    this.senders.push({ track, stream })
    this.version++
    this.maybeNegotiationNeeded()
  }

  restartIce(): void {
    this.restarts++
    this.ufrag = `u${++seq}`
    byUfrag.set(this.ufrag, this)
    this.version++
    this.maybeNegotiationNeeded()
  }

  setLocalDescription(): Promise<void> {
    return this.op(() => {
      const type = this.signalingState === 'have-remote-offer' ? 'answer' : 'offer'
      const sdp: FakeSdp = { ufrag: this.ufrag, tracks: this.senders.map((s) => ({ id: s.track.id, kind: s.track.kind, streamId: s.stream.id })) }
      this.localDescription = { type, sdp: JSON.stringify(sdp) }
      this.described = this.version
      this.signalingState = type === 'offer' ? 'have-local-offer' : 'stable'
      this.gather()
      if (type === 'answer') this.settled()
    })
  }

  setRemoteDescription(desc: Desc): Promise<void> {
    return this.op(() => {
      if (desc.type === 'answer' && this.signalingState !== 'have-local-offer')
        throw new DOMException(`Failed to set remote answer sdp: Called in wrong state: ${this.signalingState}`, 'InvalidStateError')
      if (desc.type === 'offer' && this.signalingState === 'have-local-offer') {
        this.rollbacks++ // implicit rollback, as browsers do
        this.signalingState = 'stable'
      } else if (desc.type === 'offer' && this.signalingState !== 'stable') throw new DOMException('offer in wrong state', 'InvalidStateError')
      this.remoteDescription = desc
      const sdp = JSON.parse(desc.sdp) as FakeSdp
      for (const t of sdp.tracks) {
        if (this.remoteTracks.has(t.id)) continue
        this.remoteTracks.add(t.id)
        let stream = this.remoteStreams.get(t.streamId)
        if (!stream) this.remoteStreams.set(t.streamId, (stream = new FakeStream([], t.streamId)))
        const track = new FakeTrack(t.kind, t.id)
        stream.addTrack(track)
        this.ontrack?.({ track, streams: [stream] })
      }
      this.signalingState = desc.type === 'offer' ? 'have-remote-offer' : 'stable'
      if (desc.type === 'answer') this.settled()
    })
  }

  addIceCandidate(c: RTCIceCandidateInit): Promise<void> {
    return this.op(() => {
      if (!this.remoteDescription) throw new DOMException('no remote description', 'InvalidStateError')
      const remote = (JSON.parse(this.remoteDescription.sdp) as FakeSdp).ufrag
      if (c.usernameFragment !== remote) throw new DOMException('unknown ufrag', 'OperationError')
      this.remoteCandidates.add(remote)
      this.checkConnected()
    })
  }

  close(): void {
    this.signalingState = 'closed'
    this.connectionState = 'closed'
  }

  /** Test hook: pretend ICE failed. */
  failIce(): void {
    this.iceConnectionState = 'failed'
    this.oniceconnectionstatechange?.(new Event('iceconnectionstatechange'))
  }

  get closed(): boolean {
    return this.signalingState === 'closed'
  }

  /** Operations run one at a time, each after a random delay, like a browser's operations chain. */
  private op(fn: () => void): Promise<void> {
    this.pending++
    const run = this.chain.then(async () => {
      await new Promise((r) => setTimeout(r, this.delay()))
      if (this.closed) throw new DOMException('closed', 'InvalidStateError')
      fn()
    })
    this.chain = run.catch(() => undefined).finally(() => {
      this.pending--
      this.maybeNegotiationNeeded()
    })
    return run
  }

  private gather(): void {
    if (this.gathered.has(this.ufrag)) return
    this.gathered.add(this.ufrag)
    const ufrag = this.ufrag
    setTimeout(() => {
      if (this.closed) return
      this.onicecandidate?.({ candidate: { candidate: `candidate:1 1 udp 1 127.0.0.1 ${40000 + seq} typ host`, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: ufrag } })
      this.onicecandidate?.({ candidate: null })
    }, this.delay())
  }

  private settled(): void {
    this.checkConnected()
    this.maybeNegotiationNeeded()
  }

  /** Connected once stable with both descriptions and one side holds a candidate of the other (checks run both ways). */
  checkConnected(): void {
    if (this.closed || this.connectionState === 'connected' || this.signalingState !== 'stable' || !this.localDescription || !this.remoteDescription) return
    const remote = (JSON.parse(this.remoteDescription.sdp) as FakeSdp).ufrag
    const other = byUfrag.get(remote)
    if (!this.remoteCandidates.has(remote) && !other?.remoteCandidates.has(this.ufrag)) return
    this.connectionState = 'connected'
    this.iceConnectionState = 'connected'
    this.onconnectionstatechange?.(new Event('connectionstatechange'))
    other?.checkConnected()
  }

  private maybeNegotiationNeeded(): void {
    setTimeout(() => {
      if (this.closed || this.pending > 0 || this.signalingState !== 'stable' || this.version <= this.described) return
      this.described = this.version // fire once per change, like the browser's negotiation-needed flag
      this.onnegotiationneeded?.(new Event('negotiationneeded'))
    }, 0)
  }
}

/** In-memory signalling: ordered per pair, delayed at random, JSON round-tripped like the wire. */
export class SignalBus {
  readonly sent: { from: string; to: string; signal: MeshSignal }[] = []
  private listeners = new Map<string, Set<(from: string, s: MeshSignal) => void>>()
  private chains = new Map<string, Promise<void>>()

  constructor(private readonly delay: () => number = () => Math.random() * 3) {}

  transport(id: string): SignalTransport {
    return {
      send: (to, signal) => this.deliver(id, to, signal),
      onSignal: (listener) => {
        let set = this.listeners.get(id)
        if (!set) this.listeners.set(id, (set = new Set()))
        set.add(listener)
        return () => set.delete(listener)
      },
    }
  }

  private deliver(from: string, to: string, signal: MeshSignal): void {
    this.sent.push({ from, to, signal })
    const key = `${from}>${to}`
    const copy = JSON.parse(JSON.stringify(signal)) as MeshSignal
    const next = (this.chains.get(key) ?? Promise.resolve()).then(
      () =>
        new Promise<void>((r) =>
          setTimeout(() => {
            for (const l of this.listeners.get(to) ?? []) l(from, copy)
            r()
          }, this.delay()),
        ),
    )
    this.chains.set(key, next)
  }
}

export function fakeGetUserMedia(record: MediaStreamConstraints[] = []): (c: MediaStreamConstraints) => Promise<MediaStream> {
  return async (c) => {
    record.push(c)
    const tracks = [...(c.audio ? [new FakeTrack('audio')] : []), ...(c.video ? [new FakeTrack('video')] : [])]
    return new FakeStream(tracks) as unknown as MediaStream
  }
}
