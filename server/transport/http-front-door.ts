import type http from 'node:http'
import { ConnectGuard } from './connect-guard'
import { isRefusal, type ConnectLimits, type ConnectTicket } from './connect-limits'
import { isUnderConnectPrefix, matchConnectRoute, routeMethod, type ConnectRoute } from './connect-routes'
import type { GeckosConnection } from './geckos-internals'
import { BodyError, readBody } from './read-body'

/** What the front door needs from the game server to set up peer connections. */
export interface ConnectBackend {
  /** Allocates a peer connection paid for by `ticket` and returns its offer; undefined if that failed. */
  create(ticket: ConnectTicket): Promise<{ id: string; localDescription: unknown; candidates?: unknown[]; userData: object } | undefined>
  /** A peer connection still in setup, by its secret setup id; finished or unknown ids give undefined. */
  inSetup(id: string): GeckosConnection | undefined
  /** Whether a peer connection with this setup id still exists (for reclaiming lost tickets). */
  alive(id: string): boolean
}

/** The application's own handler for everything that is not connection setup (e.g. static files). */
export type AppHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>

/** Timeouts for an HTTP server facing the internet; `listen()` and the demo create theirs with these. */
export const HARDENED_HTTP_OPTIONS: http.ServerOptions = {
  headersTimeout: 10_000,
  requestTimeout: 20_000,
  keepAliveTimeout: 5_000,
  // How often Node checks the two timeouts above (default 30 s, which would let a slow sender stay 50 s).
  connectionsCheckingInterval: 1_000,
}

const BODY_TIMEOUT_MS = 5_000

/**
 * The one request listener of the game's public HTTP server. It owns routing: the exact routes of
 * WebRTC connection setup go through the guard (origin, token, body limit, rates) and the caps, and
 * are answered here against geckos' connection manager; everything else under `/.wrtc/` is 404; the
 * rest goes to the application's handler, or 404. geckos' own HTTP layer is never installed. No
 * request, however malformed, leaves an error unanswered or a promise rejected.
 */
export class HttpFrontDoor {
  readonly listener: (req: http.IncomingMessage, res: http.ServerResponse) => void
  private answered = new WeakSet<GeckosConnection>()

  constructor(
    private readonly guard: ConnectGuard,
    private readonly limits: ConnectLimits,
    private readonly backend: ConnectBackend,
    private readonly app?: AppHandler,
  ) {
    this.listener = (req, res) => {
      req.on('error', () => undefined) // an aborted upload is not our crash
      this.handle(req, res).catch((err: unknown) => fail(res, err))
    }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = req.url ?? ''
    const route = matchConnectRoute(url)
    if (route) return this.connectRoute(route, req, res)
    if (isUnderConnectPrefix(url) || !this.app) return send(res, 404, 'not found')
    // A body the app answered without reading is not read on (a slow sender would hold the socket
    // until requestTimeout): the connection ends once the answer is out.
    res.once('finish', () => req.complete || req.socket.destroySoon())
    await this.app(req, res)
  }

  private async connectRoute(route: ConnectRoute, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const { guard } = this
    const post = req.method === 'POST'
    if (!guard.originAllowed(req, post || req.method === 'OPTIONS')) return refuse(res, guard, 403, 'origin not allowed', 'badOrigin')
    for (const [k, v] of Object.entries(guard.corsHeaders(req))) res.setHeader(k, v)
    if (req.method === 'OPTIONS') return send(res, 204, '')
    if (req.method !== routeMethod(route)) return send(res, 405, 'method not allowed', { Allow: `${routeMethod(route)}, OPTIONS` })
    const address = guard.address(req)
    if (route.kind === 'create') return this.create(req, res, address)
    if (!guard.takeRoute(address)) return refuse(res, guard, 429, 'too many requests', 'rateLimited')
    const conn = this.backend.inSetup(route.id)
    if (!conn) return refuse(res, guard, 404, 'no such connection in setup', 'unknownId')
    if (route.kind === 'additional-candidates') {
      const candidates = conn.additionalCandidates.splice(0)
      guard.stats.passed++
      return send(res, 200, JSON.stringify(candidates), { 'Content-Type': 'application/json' })
    }
    if (route.kind === 'close') {
      guard.stats.passed++
      await conn.close().catch(() => undefined)
      return send(res, 200, 'closed')
    }
    const body = await this.body(req, res)
    if (!body) return
    const answer = parseAnswer(body)
    if (!answer) return send(res, 400, 'expected {"type":"answer","sdp":"..."}')
    // One answer per offer: a second would renegotiate a connection its owner already set up.
    if (this.answered.has(conn)) return send(res, 409, 'answer already set')
    this.answered.add(conn)
    try {
      conn.peerConnection.setRemoteDescription(answer, 'answer')
    } catch {
      return send(res, 400, 'answer refused')
    }
    guard.stats.passed++
    send(res, 200, 'ok')
  }

  private async create(req: http.IncomingMessage, res: http.ServerResponse, address: string): Promise<void> {
    const { guard } = this
    // Rate first, so neither tokens nor caps can be probed fast.
    if (!guard.takeCreate(address)) return refuse(res, guard, 429, 'too many new connections', 'rateLimited')
    if (!(await guard.authorized(req))) return refuse(res, guard, 401, 'unauthorized', 'unauthorized')
    if (!(await this.body(req, res))) return
    const ticket = this.limits.admit(address, (id) => this.backend.alive(id))
    if (isRefusal(ticket)) return refuse(res, guard, ticket.status, ticket.reason, 'overCap', { 'Retry-After': '5' })
    let offer: Awaited<ReturnType<ConnectBackend['create']>>
    try {
      offer = await this.backend.create(ticket)
    } finally {
      if (ticket.id === undefined) ticket.release()
    }
    if (!offer) return send(res, 500, 'could not create a peer connection')
    guard.stats.passed++
    // `userData` (TURN credentials minted for this player, or {}): @geckos.io/client refuses a reply without it.
    send(res, 200, JSON.stringify({ userData: offer.userData, id: offer.id, localDescription: offer.localDescription, candidates: offer.candidates ?? [] }), { 'Content-Type': 'application/json' })
  }

  /** The body within the limits, or undefined once the refusal has been sent. */
  private async body(req: http.IncomingMessage, res: http.ServerResponse): Promise<Buffer | undefined> {
    try {
      return await readBody(req, this.guard.maxBodyBytes, BODY_TIMEOUT_MS)
    } catch (err) {
      if (!(err instanceof BodyError)) throw err
      if (err.status === 413) this.guard.stats.tooLarge++
      send(res, err.status, err.message, { Connection: 'close' })
      return undefined
    }
  }
}

function parseAnswer(body: Buffer): string | undefined {
  try {
    const json: unknown = JSON.parse(body.toString('utf8'))
    if (typeof json !== 'object' || json === null) return undefined
    const { type, sdp } = json as { type?: unknown; sdp?: unknown }
    return type === 'answer' && typeof sdp === 'string' && sdp.length > 0 && !sdp.includes('\0') ? sdp : undefined
  } catch {
    return undefined
  }
}

function refuse(
  res: http.ServerResponse,
  guard: ConnectGuard,
  status: number,
  reason: string,
  stat: Exclude<keyof ConnectGuard['stats'], 'passed'>,
  headers: Record<string, string> = {},
): void {
  guard.stats[stat]++
  // Close the connection: whatever body followed is never read.
  send(res, status, reason, { Connection: 'close', ...headers })
}

function send(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers })
  res.end(body)
}

function fail(res: http.ServerResponse, err: unknown): void {
  console.error('[http] request handler failed:', err)
  if (!res.headersSent && !res.destroyed) send(res, 500, 'internal error', { Connection: 'close' })
  else res.destroy()
}
