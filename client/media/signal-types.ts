/** What a mesh sends another peer through the server: a session description or one ICE candidate. */
export interface CandidateInit {
  candidate: string
  sdpMid?: string
  sdpMLineIndex?: number
  usernameFragment?: string
}

export type MeshSignal = { description: { type: 'offer' | 'answer'; sdp: string } } | { candidate: CandidateInit }

/**
 * How the mesh reaches other peers. SignalClient implements it over the game connection; tests use
 * an in-memory bus. `from` in `onSignal` is whatever the server stamped, never what a peer claimed.
 */
export interface SignalTransport {
  send(to: string, signal: MeshSignal): void
  onSignal(listener: (from: string, signal: MeshSignal) => void): () => void
}
