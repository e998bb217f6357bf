import type { TransportInfo } from '../../shared/stats/net-stats'
import type { DataPipe } from '../../shared/transport/pipe'
import { ConnectError, isSetupRefusal } from './connect-error'
import { openWebSocket } from './websocket-pipe'

/** `auto`: WebRTC, falling back to a WebSocket if it has not connected in time; or one of them only. */
export type TransportMode = 'auto' | 'webrtc' | 'websocket'

export interface OpenedTransport {
  pipes: { unreliable: DataPipe; reliable: DataPipe }
  info: TransportInfo
  /** Runs once when the transport goes away underneath the link. */
  onClose(cb: (detail: string) => void): void
  /** Closes the transport here, without telling the server (it may be unreachable). */
  close(): void
}

export interface TransportChoice {
  mode: TransportMode
  /** `auto` gives WebRTC this long before trying the WebSocket. */
  fallbackAfterMs: number
  origin: string
  authorization: string | undefined
  socketTimeoutMs: number
}

/**
 * Opens the pipes a Link needs. WebRTC (UDP, unreliable state that never waits for a lost packet)
 * is preferred; where it cannot connect (UDP blocked, no usable TURN) the WebSocket fallback on the
 * same HTTP port carries both channels over TCP. `abandonWebRtc` tears down a WebRTC attempt that
 * lost the race, so a late success does not leave a second connection behind.
 *
 * WebRTC that is only late (a starved machine, a long ICE path) is not given up while the WebSocket
 * is tried: if the socket cannot open (the server has no fallback), WebRTC keeps the time the
 * caller's connect timeout leaves it, and if WebRTC connects first it wins.
 */
export async function openTransport(choice: TransportChoice, openWebRtc: () => Promise<OpenedTransport>, abandonWebRtc: () => void): Promise<OpenedTransport> {
  if (choice.mode === 'webrtc') return openWebRtc()
  if (choice.mode === 'websocket') return viaWebSocket(choice, 'forced')
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), choice.fallbackAfterMs)))
  const attempt = openWebRtc().then(
    (t) => t,
    (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
  )
  const first = await Promise.race([attempt, late])
  clearTimeout(timer)
  if (first !== 'late' && !(first instanceof Error)) return first
  // The server answered and refused us (401, 403, 429...): the WebSocket would be refused too.
  if (isSetupRefusal(first)) throw first
  if (first instanceof Error) {
    abandonWebRtc()
    const reason = first instanceof ConnectError && first.reason === 'turn-failed' ? 'turn-failed' : `webrtc-failed: ${first.message}`
    return viaWebSocket(choice, reason, first instanceof ConnectError ? first : undefined)
  }
  return raceLateWebRtc(choice, attempt, abandonWebRtc)
}

/** WebRTC is late: the WebSocket and the WebRTC attempt still under way race; the first open one wins. */
async function raceLateWebRtc(choice: TransportChoice, attempt: Promise<OpenedTransport | Error>, abandonWebRtc: () => void): Promise<OpenedTransport> {
  const socket = viaWebSocket(choice, 'webrtc-timeout').then(
    (t) => t,
    (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
  )
  const winner = await Promise.race([attempt.then((r) => ({ from: 'webrtc' as const, r })), socket.then((r) => ({ from: 'socket' as const, r }))])
  if (winner.from === 'socket' && !(winner.r instanceof Error)) {
    abandonWebRtc()
    return winner.r
  }
  if (winner.from === 'webrtc' && !(winner.r instanceof Error)) {
    // Connected after all: a socket that opens later is closed unused.
    void socket.then((s) => !(s instanceof Error) && s.close())
    return winner.r
  }
  // One failed: the other is the last chance.
  const other = winner.from === 'socket' ? await attempt : await socket
  if (!(other instanceof Error)) {
    if (winner.from === 'webrtc') abandonWebRtc()
    return other
  }
  abandonWebRtc()
  const failed = winner.r as Error
  const webrtcError = winner.from === 'webrtc' ? failed : other
  const socketError = winner.from === 'socket' ? failed : other
  if (isSetupRefusal(webrtcError)) throw webrtcError
  // The socket's error already reads "unreachable: WebRTC: webrtc-timeout; WebSocket fallback: ...".
  throw new ConnectError(webrtcError instanceof ConnectError ? webrtcError.reason : 'unreachable', `${socketError.message.replace(/^[\w-]+: /, '')}; then WebRTC failed: ${webrtcError.message}`)
}

/** If the WebSocket fails too, WebRTC's own ConnectError (e.g. `turn-failed`) is the one reported. */
async function viaWebSocket(choice: TransportChoice, reason: string, webrtcError?: ConnectError): Promise<OpenedTransport> {
  try {
    const socket = await openWebSocket(choice.origin, choice.authorization, choice.socketTimeoutMs)
    return { pipes: socket.pipes, info: { kind: 'websocket', reason }, onClose: socket.onClose, close: socket.close }
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err)
    if (webrtcError) throw new ConnectError(webrtcError.reason, `${webrtcError.message.replace(/^[\w-]+: /, '')}; WebSocket fallback: ${why}`)
    throw new ConnectError('unreachable', reason === 'forced' ? why : `WebRTC: ${reason}; WebSocket fallback: ${why}`)
  }
}
