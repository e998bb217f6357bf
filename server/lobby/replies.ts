import { LobbyError } from '../../shared/lobby/index'
import type { ResolvedLobbyOptions } from './options'
import type { LobbyConnection, Peer } from './peer'
import type { Presence } from './presence'

/** A request whose reply is sent later (by `respondLater`), not acknowledged at once. */
export const NO_ACK = '\u0000later'

/**
 * How the lobby answers a request: `lobbyAck` (with a room id when there is one) or `lobbyError`
 * with the request's id, at once or when asynchronous work (a backplane round trip) finishes.
 */
export class LobbyReplies {
  constructor(
    private readonly presence: Presence,
    private readonly options: ResolvedLobbyOptions,
    /** Once true, nothing is answered (the lobby closed). */
    private readonly closed: () => boolean,
  ) {}

  /** Runs a request from a joined peer and acknowledges it (unless `run` returns NO_ACK). */
  request(conn: LobbyConnection, rid: number, limited: boolean, run: (peer: Peer) => string | void): void {
    this.respond(conn, rid, () => {
      const peer = this.presence.byConnection(conn.id)
      if (!peer) throw new LobbyError('not-joined', 'join the lobby first')
      if (limited && !peer.requestBucket.take(1, this.options.clock.now())) throw new LobbyError('rate-limited', 'too many requests')
      const roomId = run(peer)
      if (roomId !== NO_ACK) conn.send('lobbyAck', { rid, roomId: roomId || undefined })
    })
  }

  /** `respond` for work that finishes later (a backplane round trip): the promise sends its own reply. */
  respondLater(conn: LobbyConnection, rid: number, work: Promise<unknown>): void {
    work.catch((err: unknown) => {
      if (this.closed() || conn.closed) return
      if (err instanceof LobbyError) return conn.send('lobbyError', { rid, code: err.code, message: err.detail.slice(0, 200) })
      console.warn('lobby: backplane request failed', err)
      conn.send('lobbyError', { rid, code: 'disconnected', message: 'the cluster is unreachable; try again' })
    })
  }

  /** A refusal goes back as `lobbyError` with the request's id; anything else is a bug and propagates (the link reports it). */
  respond(conn: LobbyConnection, rid: number, run: () => void): void {
    if (this.closed()) return
    try {
      run()
    } catch (err) {
      if (!(err instanceof LobbyError)) throw err
      conn.send('lobbyError', { rid, code: err.code, message: err.detail.slice(0, 200) })
    }
  }
}
