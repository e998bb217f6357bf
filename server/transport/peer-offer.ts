import ServerChannel from '@geckos.io/server/lib/geckos/channel.js'
import WebRTCConnection from '@geckos.io/server/lib/wrtc/webrtcConnection.js'
import type { GeckosConnection, GeckosConnectionsManager } from './geckos-internals'

/**
 * How long the offer waits for ICE gathering to complete before it leaves with the candidates it has
 * (the rest then reach the client through geckos' `additional-candidates` polling). Host candidates
 * on a multiplexed port take a few ms; STUN/TURN gathering can take much longer.
 */
export const GATHER_WAIT_MS = 250
/** Longest wait for libdatachannel's offer at all (geckos' own: 20 polls of 50 ms). */
const OFFER_WAIT_MS = 1000

/** The geckos server options its connection manager keeps (the fields a peer connection is built from). */
interface ManagerOptions {
  ordered?: boolean
  label?: string
  iceServers?: { urls: string }[]
  portRange?: { min?: number; max?: number }
  iceTransportPolicy?: string
  bindAddress?: string
  maxPacketLifeTime?: number
  maxRetransmits?: number
  multiplex?: boolean
}

export interface PeerOffer {
  connection: GeckosConnection
  localDescription: { type: string; sdp: string }
  /** The server's candidates gathered so far (also queued for geckos' `additional-candidates` polls). */
  candidates: { candidate: string; sdpMid: string }[]
}

/**
 * Does what geckos' `ConnectionsManagerServer.createConnection` does (same classes, same options,
 * same registration, so geckos stays the byte pipe), but without its fixed waits: geckos polls for the
 * offer in 50 ms steps and sends it without candidates, so its client must poll for them on a back-off
 * (first poll after ~50 ms). Here the offer leaves as soon as libdatachannel has gathered, with the
 * candidates inside the SDP: the client starts ICE at once. ~110 ms of setup becomes a few ms.
 */
export async function createPeerOffer(manager: GeckosConnectionsManager): Promise<PeerOffer | undefined> {
  const options = (manager as unknown as { options: ManagerOptions }).options
  const { ordered = false, label = 'geckos.io', iceServers = [], portRange, iceTransportPolicy = 'all', bindAddress, maxPacketLifeTime, maxRetransmits = 0, multiplex = true } = options
  let rtcConfig: Record<string, unknown> = {
    iceTransportPolicy,
    iceServers: iceServers.map((ice) => ice.urls),
    bindAddress,
    enableIceUdpMux: multiplex,
  }
  if (portRange?.min && portRange.max) rtcConfig = { ...rtcConfig, portRangeBegin: Math.max(portRange.min, 1025), portRangeEnd: Math.min(portRange.max, 65535) }
  const id = manager.createId()
  const connections = manager.connections as unknown as Map<string, WebRTCConnection>
  const connection = new WebRTCConnection(id, rtcConfig as never, connections, {})
  const pc = await connection.init()
  if (!pc) return undefined
  // As geckos: a peer connection that fails or closes is removed (and its channel told).
  pc.onStateChange((state) => {
    // An exception escaping a node-datachannel callback aborts the process.
    try {
      if (state === 'connected' && connection.channel?.dataChannel) connection.channel.maxMessageSize = +connection.channel.dataChannel.maxMessageSize()
    } catch {
      // the channel closed meanwhile
    }
    if (state === 'disconnected' || state === 'failed' || state === 'closed') connection.close(state).catch(() => undefined)
  })
  const ready = new Promise<void>((resolve) => {
    let described = false
    let gathered = false
    const done = () => described && gathered && resolve()
    pc.onGatheringStateChange((state) => {
      gathered = state === 'complete'
      done()
    })
    pc.onLocalDescription(() => {
      described = true
      done()
    })
  })
  pc.onLocalCandidate((candidate, mid) => {
    connection.additionalCandidates.push({ candidate, sdpMid: mid } as unknown as RTCIceCandidate)
  })
  let dc
  try {
    dc = pc.createDataChannel(label, { maxPacketLifeTime, maxRetransmits, unordered: !ordered })
  } catch {
    pc.close()
    return undefined
  }
  connection.channel = new ServerChannel(connection, dc, options as never, {})
  await Promise.race([ready, delay(GATHER_WAIT_MS)])
  let description = pc.localDescription()
  for (let waited = GATHER_WAIT_MS; !description && waited < OFFER_WAIT_MS; waited += 10) {
    await delay(10)
    description = pc.localDescription()
  }
  if (!description) {
    await connection.close('closed').catch(() => undefined)
    return undefined
  }
  // The candidates travel beside the SDP, not in it: our client adds them once its answer has reached
  // us (see client/transport/early-candidates.ts); plain geckos clients poll for them as before.
  // Taken from the SDP: libdatachannel reports gathering complete before its candidate callbacks run.
  const sdpMid = /^a=mid:(\S+)/m.exec(description.sdp)?.[1] ?? '0'
  const candidates = [...description.sdp.matchAll(/^a=(candidate:[^\r\n]*)/gm)].map((m) => ({ candidate: m[1] ?? '', sdpMid }))
  const sdp = description.sdp.replace(/a=candidate:[^\r\n]*\r?\n/g, '').replace(/a=end-of-candidates\r?\n/g, '')
  connections.set(id, connection)
  return { connection: connection as unknown as GeckosConnection, localDescription: { type: description.type, sdp }, candidates }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
