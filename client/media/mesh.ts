import { Emitter } from '../../shared/transport/emitter'
import { MeshPeer } from './mesh-peer'
import type { MeshSignal, SignalTransport } from './signal-types'

export interface MeshVideo {
  width: number
  height: number
  frameRate: number
}

export interface MeshOptions {
  /** Our peer id (from the lobby); it decides who is polite when both sides offer at once. */
  selfId: string
  signals: SignalTransport
  /**
   * STUN/TURN servers, e.g. `[{ urls: 'stun:stun.example.org' }, { urls: 'turn:turn.example.org', username, credential }]`,
   * or a function read for each new peer connection: `() => gameClient.iceServers()` picks up the
   * time-limited TURN credentials the game server minted for us.
   */
  iceServers?: RTCIceServer[] | (() => RTCIceServer[])
  /** Only TURN relays: hides our address from the other peers (`iceTransportPolicy: 'relay'`). */
  relayOnly?: boolean
  /** Camera settings (ideal values), or false for audio only. Each peer costs one upload: keep it modest. */
  video?: Partial<MeshVideo> | false
  /** Microphone (echo cancellation, noise suppression and gain control are always on), or false. */
  audio?: boolean
  /** A signal from a peer not added yet adds it (the server only relays from room mates and accepted calls). */
  acceptUnknownPeers?: boolean
  /** Injectable for tests and for other runtimes; default: the browser's. */
  createPeerConnection?: (config: RTCConfiguration) => RTCPeerConnection
  getUserMedia?: (constraints: MediaStreamConstraints) => Promise<MediaStream>
}

export const DEFAULT_MESH_VIDEO: MeshVideo = { width: 640, height: 360, frameRate: 24 }

export interface MeshEvents {
  /** A peer's media arrived (the same MediaStream object then gains its later tracks). */
  stream: [peerId: string, stream: MediaStream]
  state: [peerId: string, state: RTCPeerConnectionState]
  removed: [peerId: string]
  error: [peerId: string, error: Error]
}

/**
 * A full mesh of RTCPeerConnections for voice and video in a room: one connection per other peer,
 * added and removed as peers come and go (feed it the room's presence with `setPeers`). Media flows
 * peer to peer; the game server only relays the signalling.
 */
export class Mesh {
  readonly events = new Emitter<MeshEvents>()
  localStream: MediaStream | undefined
  private peers = new Map<string, MeshPeer>()
  private offSignals: () => void
  private closed = false

  constructor(private readonly options: MeshOptions) {
    this.offSignals = options.signals.onSignal((from, signal) => this.onSignal(from, signal))
  }

  /** Opens camera and microphone and sends them to every peer (present and future). */
  async start(): Promise<MediaStream> {
    const getUserMedia = this.options.getUserMedia ?? ((c: MediaStreamConstraints) => navigator.mediaDevices.getUserMedia(c))
    const stream = await getUserMedia(this.constraints())
    if (this.closed) {
      for (const track of stream.getTracks()) track.stop()
      throw new Error('mesh closed while media was opening')
    }
    this.localStream = stream
    for (const peer of this.peers.values()) peer.addStream(stream)
    return stream
  }

  /** The constraints `start` asks for. */
  constraints(): MediaStreamConstraints {
    const { video, audio } = this.options
    const v = video === false ? false : { ...DEFAULT_MESH_VIDEO, ...video }
    return {
      audio: audio === false ? false : { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
      video: v && { width: { ideal: v.width }, height: { ideal: v.height }, frameRate: { ideal: v.frameRate } },
    }
  }

  /** Makes the mesh match the room: connects to new peers, drops those who left. */
  setPeers(ids: Iterable<string>): void {
    const wanted = new Set(ids)
    wanted.delete(this.options.selfId)
    for (const id of [...this.peers.keys()]) if (!wanted.has(id)) this.removePeer(id)
    for (const id of wanted) this.addPeer(id)
  }

  addPeer(id: string): void {
    if (this.closed || id === this.options.selfId || this.peers.has(id)) return
    const pc = this.createPeerConnection()
    const peer = new MeshPeer(id, this.options.selfId < id, pc, {
      signal: (s) => this.options.signals.send(id, s),
      stream: (s) => this.events.emit('stream', id, s),
      state: (s) => this.events.emit('state', id, s),
      error: (e) => this.events.emit('error', id, e),
    })
    this.peers.set(id, peer)
    if (this.localStream) peer.addStream(this.localStream)
  }

  removePeer(id: string): void {
    const peer = this.peers.get(id)
    if (!peer) return
    this.peers.delete(id)
    peer.close()
    this.events.emit('removed', id)
  }

  /** Connected peers and what we know of each. */
  peerStates(): Map<string, { state: RTCPeerConnectionState; stream: MediaStream | undefined; polite: boolean; ignoredOffers: number }> {
    const out = new Map<string, { state: RTCPeerConnectionState; stream: MediaStream | undefined; polite: boolean; ignoredOffers: number }>()
    for (const [id, p] of this.peers) out.set(id, { state: p.pc.connectionState, stream: p.stream, polite: p.polite, ignoredOffers: p.ignoredOffers })
    return out
  }

  /** Hangs up on everyone and stops the camera and microphone. */
  close(): void {
    this.closed = true
    this.offSignals()
    for (const id of [...this.peers.keys()]) this.removePeer(id)
    for (const track of this.localStream?.getTracks() ?? []) track.stop()
    this.localStream = undefined
  }

  private onSignal(from: string, signal: MeshSignal): void {
    if (!this.peers.has(from) && this.options.acceptUnknownPeers !== false) this.addPeer(from)
    this.peers.get(from)?.receive(signal)
  }

  private createPeerConnection(): RTCPeerConnection {
    const config: RTCConfiguration = {
      iceServers: typeof this.options.iceServers === 'function' ? this.options.iceServers() : (this.options.iceServers ?? []),
      iceTransportPolicy: this.options.relayOnly ? 'relay' : 'all',
    }
    return this.options.createPeerConnection ? this.options.createPeerConnection(config) : new RTCPeerConnection(config)
  }
}
