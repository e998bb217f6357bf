import { timingSafeEqual } from 'node:crypto'
import type http from 'node:http'
import { TokenBucket } from '../../shared/transport/token-bucket'

/** Checks on the HTTP requests of WebRTC connection setup (see http-front-door.ts). */
export interface ConnectGuardOptions {
  /** Origins allowed to set up connections, e.g. `['https://play.example.org']`, or a predicate. Default: any. */
  allowedOrigins?: readonly string[] | ((origin: string) => boolean)
  /**
   * POSTs without an Origin header come from non-browser clients (bots, tests, curl), which can send
   * any Origin anyway, so refusing them adds little; default true. GETs without one always pass:
   * browsers leave Origin off same-origin GETs (geckos' candidate polling).
   */
  allowMissingOrigin?: boolean
  /** A body larger than this is refused with 413 before more is read. Setup bodies are ~2-6 KB. Default 16 KiB. */
  maxBodyBytes?: number
  /** Shared secret expected in `Authorization` (`Bearer <token>` or the bare token) on `POST /connections`. */
  token?: string
  /** Or any check of the header; runs after `token`. */
  authorize?: (authorization: string | undefined, req: http.IncomingMessage) => boolean | Promise<boolean>
  /** New peer connections per client address. Default 240 a minute, bursts of 60. */
  connectRate?: { perMinute: number; burst: number }
  /** Requests to the per-connection routes per client address. Default 50 a second, bursts of 200. */
  routeRate?: { perSecond: number; burst: number }
  /** The client's address for rates and caps; behind a trusted proxy, read its header here. Default: the socket's. */
  clientAddress?: (req: http.IncomingMessage) => string
}

export interface ConnectGuardStats {
  passed: number
  badOrigin: number
  tooLarge: number
  unauthorized: number
  rateLimited: number
  /** Per-connection routes naming no connection in setup (unknown, public or finished ids). */
  unknownId: number
  /** Refused by ConnectLimits (too many handshakes or connections). */
  overCap: number
}

/**
 * Per-address token buckets. A bucket that has refilled to its burst says nothing a new one would not,
 * so full buckets are dropped every `sweepEvery` new addresses: the map holds only addresses active in
 * the last refill time (burst / rate), not every address ever seen. Beyond `max` the oldest goes.
 */
export class AddressBuckets {
  private buckets = new Map<string, TokenBucket>()
  private added = 0
  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly max = 10_000,
    private readonly sweepEvery = 256,
  ) {}

  /** Addresses currently tracked. */
  get size(): number {
    return this.buckets.size
  }

  take(address: string, now = performance.now()): boolean {
    let bucket = this.buckets.get(address)
    if (!bucket) {
      if (++this.added % this.sweepEvery === 0) this.dropFull(now)
      if (this.buckets.size >= this.max) this.buckets.delete(this.buckets.keys().next().value!)
      this.buckets.set(address, (bucket = new TokenBucket(this.perSecond, this.burst, now)))
    }
    return bucket.take(1, now)
  }

  private dropFull(now: number): void {
    for (const [address, bucket] of this.buckets) if (bucket.isFull(now)) this.buckets.delete(address)
  }
}

export class ConnectGuard {
  readonly stats: ConnectGuardStats = { passed: 0, badOrigin: 0, tooLarge: 0, unauthorized: 0, rateLimited: 0, unknownId: 0, overCap: 0 }
  readonly maxBodyBytes: number
  private readonly originOk: (origin: string) => boolean
  private readonly anyOrigin: boolean
  private readonly creates: AddressBuckets
  private readonly routes: AddressBuckets

  constructor(private readonly options: ConnectGuardOptions = {}) {
    this.maxBodyBytes = options.maxBodyBytes ?? 16 * 1024
    const allowed = options.allowedOrigins
    this.anyOrigin = allowed === undefined
    this.originOk = allowed === undefined ? () => true : typeof allowed === 'function' ? allowed : (o) => allowed.includes(o)
    const cr = options.connectRate ?? { perMinute: 240, burst: 60 }
    this.creates = new AddressBuckets(cr.perMinute / 60, cr.burst)
    const rr = options.routeRate ?? { perSecond: 50, burst: 200 }
    this.routes = new AddressBuckets(rr.perSecond, rr.burst)
  }

  address(req: http.IncomingMessage): string {
    return this.options.clientAddress?.(req) ?? req.socket.remoteAddress ?? '?'
  }

  /** Origin check; `post` because browsers always send Origin on POSTs but not on same-origin GETs. */
  originAllowed(req: http.IncomingMessage, post: boolean): boolean {
    const origin = req.headers.origin
    if (origin === undefined) return !post || (this.options.allowMissingOrigin ?? true)
    return this.originOk(origin)
  }

  async authorized(req: http.IncomingMessage): Promise<boolean> {
    const header = req.headers.authorization
    const token = this.options.token
    if (token !== undefined && !(header !== undefined && (sameText(header, `Bearer ${token}`) || sameText(header, token)))) return false
    return this.options.authorize ? (await this.options.authorize(header, req)) === true : true
  }

  takeCreate(address: string): boolean {
    return this.creates.take(address)
  }

  takeRoute(address: string): boolean {
    return this.routes.take(address)
  }

  /** Addresses held by the rate limiters (bounded: see AddressBuckets). */
  get trackedAddresses(): { creates: number; routes: number } {
    return { creates: this.creates.size, routes: this.routes.size }
  }

  /** CORS headers for an allowed origin (echoed, never `*` once an allowlist is set). */
  corsHeaders(req: http.IncomingMessage): Record<string, string> {
    const origin = req.headers.origin
    const allow = this.anyOrigin ? '*' : origin !== undefined && this.originOk(origin) ? origin : undefined
    if (allow === undefined) return {}
    return {
      'Access-Control-Allow-Origin': allow,
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
      'Access-Control-Allow-Headers': 'authorization, content-type',
      'Access-Control-Max-Age': '600',
      Vary: 'Origin',
    }
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.byteLength === y.byteLength && timingSafeEqual(x, y)
}
