import type { Clock } from '../../shared/transport/index'
import type { Peer } from './peer'
import { digest, isToken, newToken, sameDigest } from './secrets'

/**
 * Resume tokens: 128 random bits, handed to the peer in its welcome and replaced on every resume, so
 * a token works once. Only the SHA-256 digest is kept. A token is found by its digest (so lookup
 * timing depends on the digest, not on the secret), then compared in constant time.
 */
export class ResumeTokens {
  private byDigest = new Map<string, { peer: Peer; digest: Buffer }>()
  private digestOf = new Map<string, string>()

  /** A fresh token for the peer; its previous one stops working. */
  issue(peer: Peer): string {
    this.revoke(peer.id)
    const token = newToken()
    const d = digest(token)
    this.byDigest.set(d.toString('hex'), { peer, digest: d })
    this.digestOf.set(peer.id, d.toString('hex'))
    return token
  }

  find(token: string): Peer | undefined {
    if (!isToken(token)) return undefined
    const d = digest(token)
    const entry = this.byDigest.get(d.toString('hex'))
    return entry && sameDigest(entry.digest, d) ? entry.peer : undefined
  }

  revoke(peerId: string): void {
    const key = this.digestOf.get(peerId)
    if (key === undefined) return
    this.byDigest.delete(key)
    this.digestOf.delete(peerId)
  }
}

/** Grace periods: one timer per peer that lost its connection. */
export class GraceTimers {
  private timers = new Map<string, unknown>()

  constructor(
    private readonly clock: Clock,
    private readonly graceMs: number,
  ) {}

  start(peer: Peer, expire: () => void): void {
    this.cancel(peer.id)
    this.timers.set(
      peer.id,
      this.clock.setTimeout(() => {
        this.timers.delete(peer.id)
        expire()
      }, this.graceMs),
    )
  }

  cancel(peerId: string): void {
    const t = this.timers.get(peerId)
    if (t === undefined) return
    this.clock.clearTimeout(t)
    this.timers.delete(peerId)
  }

  clear(): void {
    for (const t of this.timers.values()) this.clock.clearTimeout(t)
    this.timers.clear()
  }
}
