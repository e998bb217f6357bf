/**
 * Running the client in Node (bots, tests, benchmarks): installs node-datachannel's WebRTC polyfill
 * as the browser globals @geckos.io/client expects, and the `ws` WebSocket for the fallback transport
 * (Node 20 has no global WebSocket). Import this before connecting; never in a browser.
 */
import { RTCIceCandidate, RTCPeerConnection, RTCSessionDescription } from 'node-datachannel/polyfill'
import { WebSocket } from 'ws'

export function installNodeWebRTC(options: { bindAddress?: string } = {}): void {
  const { bindAddress } = options
  class BoundPeerConnection extends RTCPeerConnection {
    constructor(config: RTCConfiguration = {}) {
      const fixed = { ...config, iceServers: config.iceServers?.map(encodeCredentials) }
      super(bindAddress ? ({ ...fixed, bindAddress } as RTCConfiguration) : fixed)
    }
  }
  Object.assign(globalThis, { RTCPeerConnection: BoundPeerConnection, RTCSessionDescription, RTCIceCandidate })
  // Node 22+ has its own; Node 20 none. `ws` speaks the same API (binaryType, onmessage, bufferedAmount).
  if (!(globalThis as { WebSocket?: unknown }).WebSocket) Object.assign(globalThis, { WebSocket })
}

/**
 * The polyfill writes TURN credentials into the URL as they are (`turn:user:pass@host`), and
 * libdatachannel percent-decodes them: a REST username (`<expiry>:<user>`) or a base64 credential
 * would be cut at the first `:` or mangled. Encoding them first makes them arrive intact.
 */
function encodeCredentials(server: RTCIceServer): RTCIceServer {
  if (!server.username) return server
  return { ...server, username: encodeURIComponent(server.username), credential: encodeURIComponent(String(server.credential ?? '')) }
}

export { GameClient, type GameClientOptions } from './transport/game-client'
export { ConnectError } from './transport/connect-error'
