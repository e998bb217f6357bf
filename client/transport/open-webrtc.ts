import geckos, { type ClientChannel } from '@geckos.io/client'
import { ConnectError } from './connect-error'
import { takeServerIceServers } from './connect-ice'
import type { OpenedTransport } from './connect-transport'
import { watchGathering } from './connect-watch'
import { addCandidatesOnceAnswered } from './early-candidates'
import { RtcPipe } from './rtc-pipe'

/** Same negotiated stream id as the server's (see server/transport/geckos-internals.ts). */
const RELIABLE_CHANNEL_ID = 100

interface GeckosClientInternals {
  peerConnection?: { localPeerConnection: RTCPeerConnection; id?: string }
  connectionsManager: { dataChannel: RTCDataChannel; remotePeerConnection?: { candidates?: unknown } }
}

export interface WebRtcOptions {
  url: URL
  iceServers: RTCIceServer[]
  iceTransportPolicy: RTCIceTransportPolicy
  authorization: string | undefined
  /** The player chose WebRTC only (reported as the transport's reason). */
  forced: boolean
}

export interface OpenedWebRtc extends OpenedTransport {
  channel: ClientChannel
  close(): void
}

/**
 * One WebRTC connection through geckos' signalling, resolved once both data channels are open.
 * `started` gets the channel at once, so a caller can abandon an attempt that loses a race;
 * `serverIce` gets the ICE servers the server minted for this player (TURN credentials).
 */
export async function openWebRtc(o: WebRtcOptions, started: (channel: ClientChannel) => void, serverIce: (servers: RTCIceServer[]) => void): Promise<OpenedWebRtc> {
  const port = o.url.port ? Number(o.url.port) : o.url.protocol === 'https:' ? 443 : 80
  const channel = geckos({
    url: `${o.url.protocol}//${o.url.hostname}`,
    port,
    iceServers: o.iceServers,
    iceTransportPolicy: o.iceTransportPolicy,
    authorization: o.authorization,
  })
  started(channel)
  const relayOnly = o.iceTransportPolicy === 'relay'
  try {
    await new Promise<void>((resolve, reject) => {
      takeServerIceServers(channel, o.iceServers, (servers, pc) => {
        serverIce(servers)
        // Relay-only: the server's host candidates are of no use, and connecting before gathering ends
        // would hide a TURN server that gave us nothing (turn-failed).
        if (!relayOnly) addCandidatesOnceAnswered(pc, (channel as unknown as GeckosClientInternals).connectionsManager.remotePeerConnection?.candidates)
        watchGathering(pc, ({ types }) => {
          if (relayOnly && !types.has('relay')) reject(new ConnectError('turn-failed', 'relay-only, and no TURN server gave us a relay address: check the TURN URL and credentials'))
        })
      })
      void channel.onConnect((err) => (err ? reject(ConnectError.fromSetup(err as { message?: unknown; status?: unknown })) : resolve()))
    })
    const internals = channel as unknown as GeckosClientInternals
    const unreliable = internals.connectionsManager.dataChannel
    const reliable = internals.peerConnection!.localPeerConnection.createDataChannel('reliable', { negotiated: true, id: RELIABLE_CHANNEL_ID })
    if (reliable.readyState !== 'open') await new Promise((resolve) => reliable.addEventListener('open', resolve, { once: true }))
    return {
      channel,
      pipes: { unreliable: new RtcPipe(unreliable), reliable: new RtcPipe(reliable) },
      info: { kind: 'webrtc', reason: o.forced ? 'forced' : 'direct' },
      onClose: (cb) => channel.onDisconnect(() => cb('WebRTC connection closed')),
      close: () => closeChannel(channel),
    }
  } catch (err) {
    closeChannel(channel)
    throw err
  }
}

/**
 * Closes the peer connection ourselves: geckos' own close() posts to the server without catching,
 * which surfaces as an unhandled rejection when the server is already gone.
 */
export function closeChannel(channel: ClientChannel): void {
  const pc = (channel as unknown as GeckosClientInternals).peerConnection?.localPeerConnection
  if (!pc) return
  // geckos keeps polling the server for ICE candidates for ~10 s and adds them without catching: on a
  // closed connection that rejects, unhandled (fatal in Node). Late candidates are ignored instead.
  pc.addIceCandidate = () => Promise.resolve()
  try {
    pc.close()
  } catch {
    // already closed
  }
}

/**
 * Gives up a connection still in setup: closes it here and asks the server to free it at once, by
 * its secret setup id (which only this client knows; the server accepts it only during setup).
 */
export function abandonChannel(channel: ClientChannel, origin: string): void {
  closeChannel(channel)
  const setupId = (channel as unknown as GeckosClientInternals).peerConnection?.id
  if (setupId && origin) fetch(`${origin}/.wrtc/v2/connections/${setupId}/close`, { method: 'POST' }).catch(() => undefined)
}
