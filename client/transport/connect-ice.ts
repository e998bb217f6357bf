import type { ClientChannel } from '@geckos.io/client'

/** geckos.io client 3.1 internals this file relies on (pinned by package.json). */
interface GeckosClientConnectInternals {
  connectionsManager: {
    localPeerConnection?: RTCPeerConnection
    rtcConfiguration: RTCConfiguration
    /** The `POST /connections` response, set just before the RTCPeerConnection is created. */
    remotePeerConnection?: { userData?: unknown }
  }
}

const MAX_SERVERS = 8
const MAX_TEXT = 512

/**
 * TURN credentials the server minted for this connection (its `turn` option) arrive as `userData` in
 * the signalling response, and geckos creates the RTCPeerConnection right after reading it, with
 * `{ ...rtcConfiguration }`. A getter for `iceServers` on that object is read by the spread at that
 * moment: our own servers plus the server's. `onPeerConnection` then receives the server's list (for
 * the mesh) and the new RTCPeerConnection (to watch its gathering).
 */
export function takeServerIceServers(channel: ClientChannel, own: RTCIceServer[], onPeerConnection: (servers: RTCIceServer[], pc: RTCPeerConnection) => void): void {
  const manager = (channel as unknown as GeckosClientConnectInternals).connectionsManager
  Object.defineProperty(manager.rtcConfiguration, 'iceServers', {
    enumerable: true,
    configurable: true,
    get(): RTCIceServer[] {
      const fromServer = parseIceServers((manager.remotePeerConnection?.userData as { iceServers?: unknown } | undefined)?.iceServers)
      // Runs after geckos' synchronous code that creates and stores the peer connection.
      queueMicrotask(() => manager.localPeerConnection && onPeerConnection(fromServer, manager.localPeerConnection))
      return [...own, ...fromServer]
    },
  })
}

/** The server's answer is checked like any network input: a short list of string URLs and credentials. */
export function parseIceServers(value: unknown): RTCIceServer[] {
  if (!Array.isArray(value)) return []
  const out: RTCIceServer[] = []
  for (const item of value.slice(0, MAX_SERVERS)) {
    if (typeof item !== 'object' || item === null) continue
    const { urls, username, credential } = item as Record<string, unknown>
    const list = (Array.isArray(urls) ? urls : [urls]).filter((u): u is string => typeof u === 'string' && u.length <= MAX_TEXT && /^(stun|stuns|turn|turns):/i.test(u))
    if (list.length === 0) continue
    const server: RTCIceServer = { urls: list.slice(0, MAX_SERVERS) }
    if (typeof username === 'string' && username.length <= MAX_TEXT) server.username = username
    if (typeof credential === 'string' && credential.length <= MAX_TEXT) server.credential = credential
    out.push(server)
  }
  return out
}
