import { timingSafeEqual } from 'node:crypto'
import type http from 'node:http'
import { TokenBucket } from '../../shared/transport/token-bucket'

/** geckos.io 3.x serves WebRTC signalling under this path on the game's HTTP server. */
export const SIGNALLING_PREFIX = '/.wrtc/v2/'

export interface SignallingGuardOptions {
  /** Origins allowed to use signalling, e.g. `['https://play.example.org']`, or a predicate. */
  allowedOrigins: readonly string[] | ((origin: string) => boolean)
  /**
   * POSTs without an Origin header come from non-browser clients (bots, tests, curl), which can send
   * any Origin anyway, so refusing them adds little; default true. GETs without one always pass:
   * browsers leave Origin off same-origin GETs (geckos' candidate polling).
   */
  allowMissingOrigin?: boolean
  /** A body larger than this is refused with 413 before more is read. Signalling bodies are ~2-6 KB. */
  maxBodyBytes?: number
  /** Shared secret expected in `Authorization` (`Bearer <token>` or the bare token) on `POST /connections`. */
  token?: string
  /** Or any check of the header; runs after `token`. */
  authorize?: (authorization: string | undefined, req: http.IncomingMessage) => boolean | Promise<boolean>
  /** New peer connections per client address: each allocates WebRTC state until it times out. */
  connectRate?: { perMinute: number; burst: number }
}

export interface SignallingGuardStats {
  passed: number
  badOrigin: number
  tooLarge: number
  unauthorized: number
  rateLimited: number
}

export interface SignallingGuard {
  readonly stats: SignallingGuardStats
  /** For GameServer's `cors.origin`: echoes an allowed Origin instead of geckos' default `*`. */
  corsOrigin(req: http.IncomingMessage): string
  /** Starts checking requests on `server`; before or after GameServer attaches, either works. */
  install(server: http.Server): void
  uninstall(): void
}

/**
 * Hardens the signalling routes geckos adds to an HTTP server: geckos answers CORS with `*`, reads
 * JSON bodies without a limit and lets anyone open peer connections. The guard runs before any
 * 'request' listener (it wraps the server's `emit`, since geckos replaces the listeners it finds when
 * it attaches) and only looks at paths under /.wrtc/v2/; everything else passes untouched.
 */
export function createSignallingGuard(options: SignallingGuardOptions): SignallingGuard {
  const maxBody = options.maxBodyBytes ?? 16 * 1024
  const allowMissing = options.allowMissingOrigin ?? true
  const originOk = typeof options.allowedOrigins === 'function' ? options.allowedOrigins : ((list) => (o: string) => list.includes(o))(options.allowedOrigins)
  const stats: SignallingGuardStats = { passed: 0, badOrigin: 0, tooLarge: 0, unauthorized: 0, rateLimited: 0 }
  const buckets = new Map<string, TokenBucket>()
  let installed: { server: http.Server; emit: http.Server['emit'] } | undefined

  const refuse = (res: http.ServerResponse, status: number, stat: keyof SignallingGuardStats) => {
    stats[stat]++
    // Close the connection: the rest of an oversized body is never read.
    res.writeHead(status, { 'Content-Type': 'text/plain', Connection: 'close' }).end(`${status}`)
  }

  const authorized = async (req: http.IncomingMessage): Promise<boolean> => {
    const header = req.headers.authorization
    if (options.token !== undefined && !(header !== undefined && (sameText(header, `Bearer ${options.token}`) || sameText(header, options.token)))) return false
    return options.authorize ? await options.authorize(header, req) : true
  }

  const connectAllowed = (req: http.IncomingMessage): boolean => {
    if (!options.connectRate) return true
    const ip = req.socket.remoteAddress ?? '?'
    let bucket = buckets.get(ip)
    if (!bucket) buckets.set(ip, (bucket = new TokenBucket(options.connectRate.perMinute / 60, options.connectRate.burst, performance.now())))
    if (buckets.size > 10_000) buckets.clear() // a crude bound; real floods belong to a proxy
    return bucket.take(1, performance.now())
  }

  /** Refuses the request itself, or calls `pass`. Async only for `authorize`. */
  const check = async (req: http.IncomingMessage, res: http.ServerResponse, pass: () => void): Promise<void> => {
    const origin = req.headers.origin
    if (origin === undefined ? !allowMissing && req.method === 'POST' : !originOk(origin)) return refuse(res, 403, 'badOrigin')
    const length = Number(req.headers['content-length'] ?? 0)
    if (!Number.isFinite(length) || length > maxBody) return refuse(res, 413, 'tooLarge')
    const creating = req.method === 'POST' && /\/connections\/?(\?|$)/.test(req.url ?? '')
    if (creating && !connectAllowed(req)) return refuse(res, 429, 'rateLimited')
    if (creating && !(await authorized(req))) return refuse(res, 401, 'unauthorized')
    limitBody(req, res, maxBody, () => refuse(res, 413, 'tooLarge'))
    stats.passed++
    pass()
  }

  return {
    stats,
    corsOrigin: (req) => {
      const origin = req.headers.origin
      return origin !== undefined && originOk(origin) ? origin : 'null'
    },
    install(server) {
      if (installed) throw new Error('signalling guard already installed')
      const emit = server.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean
      installed = { server, emit: server.emit }
      server.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
        if (event !== 'request') return emit.call(this, event, ...args)
        const [req, res] = args as [http.IncomingMessage, http.ServerResponse]
        if (!(req.url ?? '').startsWith(SIGNALLING_PREFIX)) return emit.call(this, event, ...args)
        check(req, res, () => emit.call(this, event, ...args)).catch(() => {
          if (!res.headersSent) res.writeHead(500, { Connection: 'close' }).end()
        })
        return true
      } as http.Server['emit']
    },
    uninstall() {
      if (installed) installed.server.emit = installed.emit
      installed = undefined
    },
  }
}

/** Bodies without a Content-Length (chunked) are counted as they arrive and cut off past the limit. */
function limitBody(req: http.IncomingMessage, res: http.ServerResponse, maxBytes: number, onTooLarge: () => void): void {
  let seen = 0
  const count = (chunk: Buffer) => {
    seen += chunk.byteLength
    if (seen <= maxBytes) return
    req.off('data', count)
    if (!res.headersSent) onTooLarge()
    req.pause()
    req.socket.destroySoon()
  }
  // Attached only when the route starts reading: a 'data' listener of ours alone would start the flow
  // (and lose the chunks) before the route, which may read after an await, attaches its own.
  req.on('newListener', function watch(event) {
    if (event !== 'data') return
    req.off('newListener', watch)
    req.on('data', count)
  })
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.byteLength === y.byteLength && timingSafeEqual(x, y)
}
