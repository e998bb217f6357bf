import type { DataChannel, PeerConnection } from 'node-datachannel'

/**
 * The parts of @geckos.io/server 3.1's internals we rely on (its typings keep them private).
 * Pinned by the exact version in package.json; the integration tests fail if they change.
 */
export interface GeckosConnection {
  id: string
  peerConnection: PeerConnection
  channel?: unknown
  /** Local ICE candidates gathered since the client last polled for them. */
  additionalCandidates: unknown[]
  close(state?: string): Promise<void>
}

export interface GeckosConnectionsManager {
  connections: Map<string, GeckosConnection>
  getConnection(id: string): GeckosConnection | undefined
  /** Picks the id of a new connection; geckos' own uses Math.random, which is predictable. */
  createId(): string
  createConnection(auth: string | undefined, req: unknown, res: unknown): Promise<{ status: number; connection?: { id: string; localDescription?: unknown } }>
}

export interface GeckosServerChannel {
  id: string
  dataChannel: DataChannel
  webrtcConnection: GeckosConnection
  onDisconnect(cb: (state: string) => void): void
  close(): Promise<void>
}

/** SCTP stream of our ordered, reliable channel: negotiated out of band, so no race to announce it. */
export const RELIABLE_CHANNEL_ID = 100
export const RELIABLE_CHANNEL_LABEL = 'reliable'
