/**
 * Running the client in Node (bots, tests, benchmarks): installs node-datachannel's WebRTC polyfill
 * as the browser globals @geckos.io/client expects. Import this before connecting; never in a browser.
 */
import { RTCIceCandidate, RTCPeerConnection, RTCSessionDescription } from 'node-datachannel/polyfill'

export function installNodeWebRTC(options: { bindAddress?: string } = {}): void {
  const { bindAddress } = options
  class BoundPeerConnection extends RTCPeerConnection {
    constructor(config: RTCConfiguration = {}) {
      super(bindAddress ? ({ ...config, bindAddress } as RTCConfiguration) : config)
    }
  }
  Object.assign(globalThis, { RTCPeerConnection: BoundPeerConnection, RTCSessionDescription, RTCIceCandidate })
}

export { GameClient, type GameClientOptions } from './transport/game-client'
export { ConnectError } from './transport/connect-error'
