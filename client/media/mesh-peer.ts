import type { CandidateInit, MeshSignal } from './signal-types'

export interface MeshPeerHooks {
  signal(signal: MeshSignal): void
  stream(stream: MediaStream): void
  state(state: RTCPeerConnectionState): void
  error(err: Error): void
}

/**
 * One RTCPeerConnection of the mesh, negotiated with the "perfect negotiation" pattern (W3C WebRTC
 * spec, section 10.7): either side may start an offer at any time; when both do at once (glare), the
 * impolite peer ignores the incoming offer and the polite one rolls its own back (setRemoteDescription
 * does that implicitly) and answers. Which side is polite is fixed by comparing peer ids.
 */
export class MeshPeer {
  stream: MediaStream | undefined
  /** Offers this side ignored because of glare (for tests and stats). */
  ignoredOffers = 0
  private makingOffer = false
  private ignoreOffer = false
  private closed = false
  /** Incoming signals are applied one at a time, in arrival order. */
  private chain: Promise<void> = Promise.resolve()

  constructor(
    readonly id: string,
    readonly polite: boolean,
    readonly pc: RTCPeerConnection,
    private readonly hooks: MeshPeerHooks,
  ) {
    pc.onnegotiationneeded = () => void this.offer()
    pc.onicecandidate = (ev) => {
      // A null candidate only marks the end of gathering; browsers do not need it relayed.
      if (ev.candidate && ev.candidate.candidate) hooks.signal({ candidate: candidateInit(ev.candidate) })
    }
    pc.ontrack = (ev) => {
      const stream = ev.streams[0] ?? this.stream ?? (typeof MediaStream === 'function' ? new MediaStream() : undefined)
      if (!stream) return
      if (!stream.getTracks().includes(ev.track)) stream.addTrack(ev.track)
      if (stream !== this.stream) {
        this.stream = stream
        hooks.stream(stream)
      }
    }
    pc.onconnectionstatechange = () => hooks.state(pc.connectionState)
    // ICE can recover from a changed network without a new connection: restart it on failure.
    pc.oniceconnectionstatechange = () => {
      if (pc.iceConnectionState === 'failed') pc.restartIce()
    }
  }

  /** Sends our tracks; adding them makes the browser ask for (re)negotiation. */
  addStream(stream: MediaStream): void {
    const sending = new Set(this.pc.getSenders().map((s) => s.track))
    for (const track of stream.getTracks()) if (!sending.has(track)) this.pc.addTrack(track, stream)
  }

  receive(signal: MeshSignal): void {
    this.chain = this.chain.then(() => this.apply(signal)).catch((err: unknown) => this.fail(err))
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.pc.onnegotiationneeded = this.pc.onicecandidate = this.pc.ontrack = null
    this.pc.onconnectionstatechange = this.pc.oniceconnectionstatechange = null
    this.pc.close()
  }

  private async offer(): Promise<void> {
    try {
      this.makingOffer = true
      await this.pc.setLocalDescription()
      this.sendLocalDescription()
    } catch (err) {
      this.fail(err)
    } finally {
      this.makingOffer = false
    }
  }

  private async apply(signal: MeshSignal): Promise<void> {
    if (this.closed) return
    const pc = this.pc
    if ('candidate' in signal) {
      try {
        await pc.addIceCandidate(signal.candidate)
      } catch (err) {
        // Candidates of an offer we ignored cannot be added; that is expected.
        if (!this.ignoreOffer) throw err
      }
      return
    }
    const description = signal.description
    const offerCollision = description.type === 'offer' && (this.makingOffer || pc.signalingState !== 'stable')
    this.ignoreOffer = !this.polite && offerCollision
    if (this.ignoreOffer) {
      this.ignoredOffers++
      return
    }
    await pc.setRemoteDescription(description)
    if (description.type === 'offer') {
      await pc.setLocalDescription()
      this.sendLocalDescription()
    }
  }

  private sendLocalDescription(): void {
    const d = this.pc.localDescription
    if (!this.closed && d && (d.type === 'offer' || d.type === 'answer')) this.hooks.signal({ description: { type: d.type, sdp: d.sdp } })
  }

  private fail(err: unknown): void {
    if (!this.closed) this.hooks.error(err instanceof Error ? err : new Error(String(err)))
  }
}

function candidateInit(c: RTCIceCandidate): CandidateInit {
  const out: CandidateInit = { candidate: c.candidate }
  if (c.sdpMid != null) out.sdpMid = c.sdpMid
  if (c.sdpMLineIndex != null) out.sdpMLineIndex = c.sdpMLineIndex
  if (c.usernameFragment != null) out.usernameFragment = c.usernameFragment
  return out
}
