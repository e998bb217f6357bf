import { timingSafeEqual } from 'node:crypto'
import type http from 'node:http'
import { AddressBuckets } from './connect-guard'

/** Checks for the WebSocket fallback's upgrade request: the same stance as the signalling guard. */
export interface WebSocketGuardOptions {
  /** Origins allowed to open the fallback (browsers always send Origin on a WebSocket); default any. */
  allowedOrigins?: readonly string[] | ((origin: string) => boolean)
  /** Shared secret: `Authorization: Bearer <token>` (Node clients) or the `netplay-auth.<base64url>` subprotocol (browsers, which cannot set headers). */
  token?: string
  /** Or any check of the authorization value. */
  authorize?: (authorization: string | undefined, req: http.IncomingMessage) => boolean | Promise<boolean>
  /** Open fallback connections at most (each holds a socket and a link). Default 1,000. */
  maxConnections?: number
  /** New fallback connections per client address. Default 30 per minute, burst 10. */
  connectRate?: { perMinute: number; burst: number }
}

export const AUTH_PROTOCOL_PREFIX = 'netplay-auth.'

export type UpgradeVerdict = { ok: true } | { ok: false; status: number; why: string }

export function createWebSocketGuard(options: WebSocketGuardOptions): (req: http.IncomingMessage, open: number) => Promise<UpgradeVerdict> {
  const maxConnections = options.maxConnections ?? 1000
  const rate = options.connectRate ?? { perMinute: 30, burst: 10 }
  const allowed = options.allowedOrigins
  const originOk = typeof allowed === 'function' ? allowed : allowed ? (o: string) => allowed.includes(o) : () => true
  const buckets = new AddressBuckets(rate.perMinute / 60, rate.burst)
  return async (req, open) => {
    const origin = req.headers.origin
    if (origin !== undefined && !originOk(origin)) return { ok: false, status: 403, why: 'origin' }
    // No Origin: a non-browser client (which could send any Origin anyway); passes, as in the signalling guard.
    if (open >= maxConnections) return { ok: false, status: 503, why: 'full' }
    const ip = req.socket.remoteAddress ?? '?'
    if (!buckets.take(ip)) return { ok: false, status: 429, why: 'rate' }
    const authorization = authorizationOf(req)
    if (options.token !== undefined && !(authorization !== undefined && (same(authorization, `Bearer ${options.token}`) || same(authorization, options.token)))) return { ok: false, status: 401, why: 'token' }
    if (options.authorize && !(await options.authorize(authorization, req))) return { ok: false, status: 401, why: 'authorize' }
    return { ok: true }
  }
}

/** The Authorization header, or the value a browser carried in the subprotocol list. */
export function authorizationOf(req: http.IncomingMessage): string | undefined {
  if (req.headers.authorization !== undefined) return req.headers.authorization
  const protocols = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim())
  const carried = protocols.find((p) => p.startsWith(AUTH_PROTOCOL_PREFIX))
  if (!carried) return undefined
  try {
    return Buffer.from(carried.slice(AUTH_PROTOCOL_PREFIX.length), 'base64url').toString('utf8')
  } catch {
    return undefined
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.byteLength === y.byteLength && timingSafeEqual(x, y)
}
