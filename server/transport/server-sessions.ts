import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { PROTOCOL_VERSION, type EngineSchema } from '../../shared/protocol/engine'
import type { Payload, Schema } from '../../shared/schema/index'
import type { SessionOptions } from '../../shared/transport/session'
import type { ServerConnection } from './server-connection'

const isToken = (s: string): boolean => /^[0-9a-f]{32}$/.test(s)
const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest()

/**
 * Who may resume which session. Each session has one secret token (128 random bits, handed over in
 * the welcome and replaced by every resume, so each works once); only its SHA-256 is kept, found by
 * digest and compared in constant time. A connection id alone never resumes anything.
 */
export class ServerSessions<S extends Schema> {
  private byDigest = new Map<string, { conn: ServerConnection<S>; digest: Buffer }>()
  private keyOf = new Map<ServerConnection<S>, string>()

  constructor(readonly options: SessionOptions | undefined) {}

  /** A fresh token for `conn` (its previous one stops working); '' when sessions are off. */
  issue(conn: ServerConnection<S>): string {
    if (!conn.session) return ''
    this.revoke(conn)
    const token = randomBytes(16).toString('hex')
    const d = sha256(token)
    const key = d.toString('hex')
    this.byDigest.set(key, { conn, digest: d })
    this.keyOf.set(conn, key)
    return token
  }

  revoke(conn: ServerConnection<S>): void {
    const key = this.keyOf.get(conn)
    if (key === undefined) return
    this.byDigest.delete(key)
    this.keyOf.delete(conn)
  }

  /**
   * `candidate`, a new connection that has not said hello, asks to resume a session. On success its
   * channels move under the session's connection (which is returned, running again, with what the
   * client missed replayed) and the candidate ends without touching them. On failure the candidate is
   * closed with the reason.
   */
  resume(candidate: ServerConnection<S>, msg: Payload<EngineSchema, 'resume'>, fingerprint: string, closeChannel: (id: string) => void): ServerConnection<S> | undefined {
    if (msg.protocol !== PROTOCOL_VERSION || msg.fingerprint !== fingerprint) {
      candidate.close('schema-mismatch', `server schema ${fingerprint} protocol ${PROTOCOL_VERSION}, client ${msg.fingerprint} protocol ${msg.protocol}`)
      return undefined
    }
    const conn = this.find(msg.token)
    if (!conn || conn.closed || !conn.session) {
      candidate.close('resume-failed', 'unknown, used or expired session token')
      return undefined
    }
    this.revoke(conn) // single use, whatever happens next
    const oldChannel = conn.channelId
    conn.session.attach(candidate.channelPipes)
    conn.channelId = candidate.channelId
    conn.channelPipes = candidate.channelPipes
    candidate.handedOver = conn
    candidate.close('closed', 'handed over to a resumed session', false)
    if (oldChannel !== conn.channelId) closeChannel(oldChannel)
    conn.sendEngine('resumed', { received: conn.session.book.received, token: this.issue(conn) })
    if (!conn.session.complete(msg.received)) {
      conn.close('resume-failed', `impossible count ${msg.received} (sent ${conn.session.book.sent})`)
      return undefined
    }
    return conn
  }

  private find(token: string): ServerConnection<S> | undefined {
    if (!isToken(token)) return undefined
    const d = sha256(token)
    const entry = this.byDigest.get(d.toString('hex'))
    return entry && timingSafeEqual(entry.digest, d) ? entry.conn : undefined
  }
}
