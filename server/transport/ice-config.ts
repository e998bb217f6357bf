import geckos, { type GeckosServer } from '@geckos.io/server'
import { randomBytes } from 'node:crypto'
import { iceServersWithCredentialsInUrl, mintTurnServer, type TurnRestOptions } from './turn-credentials'

export interface IceConfigOptions {
  /** STUN/TURN servers for the server's own peer connections; TURN `username`/`credential` are honoured. */
  iceServers?: RTCIceServer[]
  /** `relay`: the server's peer connections use only TURN relay candidates (a server behind strict NAT). */
  iceTransportPolicy?: 'all' | 'relay'
  /**
   * A TURN server checking time-limited credentials (coturn `use-auth-secret`): the server mints fresh
   * credentials for every connection attempt and hands them to the client in the signalling response,
   * so players get TURN without a shared password in the client bundle.
   */
  turn?: TurnRestOptions & {
    /** The server's own peer connections gather relay candidates through it too. Default false. */
    forServer?: boolean
  }
}

/** What a player receives in the `POST /connections` response (geckos' `userData`). */
export interface ConnectUserData {
  iceServers?: RTCIceServer[]
}

/**
 * Creates geckos' server with our ICE handling on top of `base` (its other options):
 * - `iceServers` becomes a getter on the options object geckos keeps: geckos reads it for every new
 *   peer connection, so REST credentials are minted fresh each time, and TURN credentials travel
 *   inside the URLs (geckos passes on `urls` only).
 * - geckos refuses `iceTransportPolicy: 'relay'` on the server (resets it to `all` with a warning);
 *   libdatachannel supports it, so it is set after construction.
 * - server-side TURN turns geckos' `multiplex` off (libjuice's UDP mux cannot relay).
 */
export function geckosWithIce<T extends object>(options: IceConfigOptions, base: T): GeckosServer {
  const { turn } = options
  const geckosOptions = base as T & { iceServers: { urls: string }[]; iceTransportPolicy?: string; authorization?: () => Promise<ConnectUserData> }
  Object.defineProperty(geckosOptions, 'iceServers', {
    enumerable: true,
    get(): { urls: string }[] {
      const servers = [...(options.iceServers ?? [])]
      if (turn?.forServer) servers.push(mintTurnServer(turn, `server-${tag()}`))
      return iceServersWithCredentialsInUrl(servers)
    },
  })
  // libjuice's ICE-UDP mux (geckos' `multiplex`, default on: every connection on one port) gathers no
  // relay candidates: a server that relays itself gives up the shared port.
  const serverTurn = !!turn?.forServer || (options.iceServers ?? []).some((s) => [s.urls].flat().some((u) => /^turns?:/i.test(u)))
  ;(geckosOptions as { multiplex?: boolean }).multiplex = !serverTurn
  const io = geckos(geckosOptions as unknown as Parameters<typeof geckos>[0])
  geckosOptions.iceTransportPolicy = options.iceTransportPolicy ?? 'all'
  return io
}

/** With `turn`, fresh client credentials for one `POST /connections` answer (its `userData`), which the client reads before it creates its RTCPeerConnection. */
export function connectUserData(options: IceConfigOptions): ConnectUserData {
  return options.turn ? { iceServers: [mintTurnServer(options.turn, `player-${tag()}`)] } : {}
}

const tag = () => randomBytes(6).toString('base64url')
