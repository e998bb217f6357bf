import type { DataPipe } from '../../shared/transport/pipe'
import { WebSocketPipes } from '../../shared/transport/websocket-pipes'

/** Must match server/transport/websocket-fallback.ts. */
export const WEBSOCKET_PATH = '/.netplay/ws'
const WEBSOCKET_PROTOCOL = 'netplay.v1'
const AUTH_PROTOCOL_PREFIX = 'netplay-auth.'

export interface OpenSocket {
  pipes: { unreliable: DataPipe; reliable: DataPipe }
  /** Runs once when the socket closes (either end, or the network). */
  onClose(cb: (detail: string) => void): void
  close(): void
}

/**
 * Opens the WebSocket fallback on the game server's HTTP port: `ws(s)://host:port/.netplay/ws`.
 * Browsers cannot set an Authorization header on a WebSocket, so it rides as a subprotocol
 * (`netplay-auth.<base64url>`). In Node, `installNodeWebRTC()` provides `WebSocket` (the `ws` package).
 */
export function openWebSocket(origin: string, authorization: string | undefined, timeoutMs: number): Promise<OpenSocket> {
  const Socket = (globalThis as { WebSocket?: typeof WebSocket }).WebSocket
  if (!Socket) return Promise.reject(new Error('no WebSocket in this runtime (in Node, call installNodeWebRTC() first)'))
  const url = new URL(WEBSOCKET_PATH, origin)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  const protocols = [WEBSOCKET_PROTOCOL]
  if (authorization !== undefined) protocols.push(AUTH_PROTOCOL_PREFIX + base64url(authorization))
  const ws = new Socket(url.href, protocols)
  ws.binaryType = 'arraybuffer'
  const pipes = new WebSocketPipes(ws)
  ws.onmessage = (ev: MessageEvent) => pipes.receive(ev.data as ArrayBuffer | string)
  const closers: ((detail: string) => void)[] = []
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.close()
      reject(new Error(`WebSocket did not open within ${timeoutMs} ms`))
    }, timeoutMs)
    ws.onerror = () => undefined
    ws.onclose = (ev: CloseEvent) => {
      clearTimeout(timer)
      pipes.close()
      const detail = `WebSocket closed (${ev.code}${ev.reason ? ` ${ev.reason}` : ''})`
      reject(new Error(`${detail}: refused or unreachable`))
      for (const cb of closers.splice(0)) cb(detail)
    }
    ws.onopen = () => {
      clearTimeout(timer)
      resolve({
        pipes: { unreliable: pipes.unreliable, reliable: pipes.reliable },
        onClose: (cb) => closers.push(cb),
        close: () => ws.close(1000),
      })
    }
  })
}

function base64url(text: string): string {
  const bytes = new TextEncoder().encode(text)
  let bin = ''
  for (const b of bytes) bin += String.fromCharCode(b)
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}
