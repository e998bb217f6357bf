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
 */
export async function openTransport(choice: TransportChoice, openWebRtc: () => Promise<OpenedTransport>, abandonWebRtc: () => void): Promise<OpenedTransport> {
  if (choice.mode === 'webrtc') return openWebRtc()
  if (choice.mode === 'websocket') return viaWebSocket(choice, 'forced')
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), choice.fallbackAfterMs)))
  const attempt = openWebRtc().then(
    (t) => t,
    (err: unknown) => err instanceof Error ? err : new Error(String(err)),
  )
  const first = await Promise.race([attempt, late])
  clearTimeout(timer)
  if (first !== 'late' && !(first instanceof Error)) return first
  // The server answered and refused us (401, 403, 429...): the WebSocket would be refused too.
  if (isSetupRefusal(first)) throw first
  abandonWebRtc()
  const reason = first === 'late' ? 'webrtc-timeout' : first instanceof ConnectError && first.reason === 'turn-failed' ? 'turn-failed' : `webrtc-failed: ${first.message}`
  return viaWebSocket(choice, reason, first instanceof ConnectError ? first : undefined)
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
