import type { Schema } from '../../shared/schema/index'
import { ConnectError } from '../transport/connect-error'
import { candidateType } from '../transport/connect-watch'
import { GameClient } from '../transport/game-client'
import { explainProblem, type ProblemCode } from './problems'

export interface DiagnoseOptions<S extends Schema> {
  /** The game's schema (the probes complete the real handshake). */
  schema: S
  iceServers?: RTCIceServer[]
  authorization?: string
  /** Per probe. Default 5000 ms. */
  timeoutMs?: number
}

export interface Problem {
  code: ProblemCode
  /** A sentence a player can act on. */
  message: string
}

export interface ConnectivityReport {
  /** Candidate types this device gathered: `host`, `srflx` (STUN), `relay` (TURN). */
  candidates: string[]
  /** WebRTC over UDP reached the server and completed the handshake. */
  udp: boolean
  /** A relay-only connection through TURN worked; undefined when no TURN server is known. */
  turn: boolean | undefined
  /** The WebSocket fallback reached the server and completed the handshake. */
  websocket: boolean
  /** What `connect()` with `transport: 'auto'` would use, or `none`. */
  transport: 'webrtc' | 'websocket' | 'none'
  problems: Problem[]
  /** Round trip (ms) of each working transport, from its first pings. */
  rttMs: { webrtc?: number; websocket?: number }
}

/**
 * The connectivity doctor: gathers ICE candidates, then tries each way to the server for real (UDP,
 * TURN relay-only, the WebSocket fallback) with short timeouts, and explains what failed. Runs in
 * the browser and in Node (after installNodeWebRTC()).
 */
export async function diagnoseConnectivity<S extends Schema>(url: string, options: DiagnoseOptions<S>): Promise<ConnectivityReport> {
  const timeoutMs = options.timeoutMs ?? 5000
  const problems: Problem[] = []
  const add = (code: ProblemCode, detail?: string) => problems.push({ code, message: explainProblem(code, detail) })
  const base = { url, authorization: options.authorization, connectTimeoutMs: timeoutMs, link: { timeoutMs: 10_000 } }

  const udp = await probe(new GameClient(options.schema, { ...base, iceServers: options.iceServers, transport: 'webrtc' }))
  const serverIce = udp.client.iceServers().slice((options.iceServers ?? []).length)
  const iceServers = [...(options.iceServers ?? []), ...serverIce]
  const candidates = await gatherCandidates(iceServers, timeoutMs)
  if (candidates.length === 0) add('no-candidates')
  if (!udp.ok) add(udp.refused ? 'server-refused' : udp.mismatch ? 'schema-mismatch' : 'udp-blocked', udp.detail)

  const hasTurn = iceServers.some((s) => [s.urls].flat().some((u) => /^turns?:/i.test(u)))
  let turn: boolean | undefined
  if (hasTurn) {
    const relay = await probe(new GameClient(options.schema, { ...base, iceServers: options.iceServers, iceTransportPolicy: 'relay', transport: 'webrtc' }))
    turn = relay.ok
    if (!relay.ok) add(relay.turnFailed ? 'turn-refused' : 'turn-unreachable', relay.detail)
  } else if (!udp.ok) add('no-turn')

  const ws = await probe(new GameClient(options.schema, { ...base, transport: 'websocket' }))
  if (!ws.ok) add('websocket-failed', ws.detail)
  const transport = udp.ok || turn ? 'webrtc' : ws.ok ? 'websocket' : 'none'
  if (transport === 'none') add('server-unreachable')
  return { candidates, udp: udp.ok, turn, websocket: ws.ok, transport, problems, rttMs: { webrtc: udp.rtt, websocket: ws.rtt } }
}

interface ProbeResult<S extends Schema> {
  client: GameClient<S>
  ok: boolean
  rtt?: number
  detail?: string
  turnFailed?: boolean
  refused?: boolean
  mismatch?: boolean
}

async function probe<S extends Schema>(client: GameClient<S>): Promise<ProbeResult<S>> {
  try {
    await client.connect()
    // One ping round: the link pings every 500 ms.
    await new Promise((r) => setTimeout(r, 700))
    const rtt = client.stats().rtt.smoothed
    client.close()
    return { client, ok: true, rtt: rtt > 0 ? Math.round(rtt * 10) / 10 : undefined }
  } catch (err) {
    const reason = err instanceof ConnectError ? err.reason : undefined
    const detail = err instanceof Error ? err.message : String(err)
    return { client, ok: false, detail, turnFailed: reason === 'turn-failed', refused: /status code 4\d\d/.test(detail), mismatch: reason === 'schema-mismatch' }
  }
}

/** Candidate types an RTCPeerConnection gathers with these ICE servers (bounded by `timeoutMs`). */
export async function gatherCandidates(iceServers: RTCIceServer[], timeoutMs: number): Promise<string[]> {
  const pc = new RTCPeerConnection({ iceServers })
  const types = new Set<string>()
  try {
    pc.addEventListener('icecandidate', (ev: RTCPeerConnectionIceEvent) => {
      const type = ev.candidate?.candidate ? candidateType(ev.candidate.candidate) : undefined
      if (type) types.add(type)
    })
    pc.createDataChannel('probe')
    await pc.setLocalDescription(await pc.createOffer())
    const deadline = Date.now() + timeoutMs
    while (pc.iceGatheringState !== 'complete' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    await new Promise((r) => setTimeout(r, 100))
    for (const line of pc.localDescription?.sdp.split('\n') ?? []) {
      const type = line.startsWith('a=candidate:') ? candidateType(line) : undefined
      if (type) types.add(type)
    }
  } finally {
    pc.close()
  }
  return [...types].sort()
}
