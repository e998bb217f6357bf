import { randomBytes } from 'node:crypto'
import type http from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import type { DataPipe } from '../../shared/transport/pipe'
import { SOCKET_MAX_MESSAGE, WebSocketPipes } from '../../shared/transport/websocket-pipes'
import { AUTH_PROTOCOL_PREFIX, createWebSocketGuard, type WebSocketGuardOptions } from './websocket-guard'

/** The fallback's path on the game's HTTP server (beside geckos' /.wrtc/v2/). */
export const WEBSOCKET_PATH = '/.netplay/ws'
export const WEBSOCKET_PROTOCOL = 'netplay.v1'

export interface WebSocketFallbackOptions extends WebSocketGuardOptions {
  /** A peer that has not finished our handshake after this long is dropped. Default 10 s. */
  handshakeTimeoutMs?: number
}

export interface WebSocketFallbackStats {
  open: number
  accepted: number
  refused: Record<string, number>
}

/** What the game server does with an accepted socket: run the usual handshake on its two pipes. */
export type AdoptPipes = (id: string, pipes: { unreliable: DataPipe; reliable: DataPipe }) => AdoptedConnection

/** The part of a ServerConnection the fallback needs. */
export interface AdoptedConnection {
  readonly ready: boolean
  readonly events: { on(event: 'close', cb: () => void): unknown }
  /** The socket (or WebRTC setup) id whose pipes it uses now: a resume moves the session onto new ones. */
  readonly channelId: string
  /** Set when this connection resumed a session: the session's connection took over our socket. */
  readonly handedOver: AdoptedConnection | undefined
  /** The transport under it died: suspend the session for a resume, or end the connection. */
  connectionLost(reason: 'closed', detail: string): void
}

/**
 * Carries both channels of a connection over one WebSocket on the game's HTTP port, for players whose
 * network blocks UDP. Upgrades are checked (origin, token, connection cap, per-address rate) before
 * the socket is accepted; frames are capped at one chunk. Returns a handle to close it.
 */
export function attachWebSocketFallback(server: http.Server, adopt: AdoptPipes, options: WebSocketFallbackOptions = {}): { stats: WebSocketFallbackStats; close(): void } {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: SOCKET_MAX_MESSAGE + 1,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(WEBSOCKET_PROTOCOL) ? WEBSOCKET_PROTOCOL : false),
  })
  const guard = createWebSocketGuard(options)
  const stats: WebSocketFallbackStats = { open: 0, accepted: 0, refused: {} }
  const sockets = new Set<WebSocket>()

  const refuse = (socket: Duplex, status: number, why: string) => {
    stats.refused[why] = (stats.refused[why] ?? 0) + 1
    socket.end(`HTTP/1.1 ${status} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
  }

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0]
    if (path !== WEBSOCKET_PATH) return // someone else's upgrade (e.g. Vite's HMR)
    socket.on('error', () => undefined)
    guard(req, stats.open)
      .then((verdict) => {
        if (!verdict.ok) return refuse(socket, verdict.status, verdict.why)
        if (socket.destroyed) return
        stats.open++
        wss.handleUpgrade(req, socket, head, (ws) => accept(ws))
      })
      .catch(() => refuse(socket, 500, 'error'))
  }

  const accept = (ws: WebSocket) => {
    stats.accepted++
    sockets.add(ws)
    ws.binaryType = 'arraybuffer'
    const pipes = new WebSocketPipes(ws)
    const id = `ws-${randomBytes(12).toString('base64url')}`
    const conn = adopt(id, { unreliable: pipes.unreliable, reliable: pipes.reliable })
    ws.on('message', (data: ArrayBuffer, isBinary: boolean) => pipes.receive(isBinary ? data : Buffer.from(data).toString('utf8')))
    ws.on('error', () => undefined)
    ws.on('close', () => {
      stats.open--
      sockets.delete(ws)
      pipes.close()
      // A cut (reset, timeout) suspends the session so the client can resume on a new socket. After a
      // resume our socket belongs to the session's connection; an old socket the session left is no news.
      const owner = conn.handedOver ?? conn
      if (owner.channelId === id) owner.connectionLost('closed', 'WebSocket closed')
    })
    // Let the goodbye leave before the socket goes: when whichever connection uses it now ends.
    const closeWith = (c: AdoptedConnection) =>
      c.events.on('close', () => {
        if (c.handedOver) closeWith(c.handedOver) // a resume: the session's connection now rides this socket
        else if (c.channelId === id) setTimeout(() => ws.close(1000), 100).unref()
        else ws.terminate() // the session moved on to another socket
      })
    closeWith(conn)
    const timer = setTimeout(() => {
      if (!conn.ready) ws.terminate()
    }, options.handshakeTimeoutMs ?? 10_000)
    timer.unref()
  }

  server.on('upgrade', onUpgrade)
  return {
    stats,
    close() {
      server.off('upgrade', onUpgrade)
      for (const ws of sockets) ws.terminate()
      wss.close()
    },
  }
}

export { AUTH_PROTOCOL_PREFIX }
