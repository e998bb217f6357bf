/** Limits of one session's replay buffer and how eagerly it acknowledges. */
export interface SessionLimits {
  /** Bytes of sent but unacknowledged reliable messages kept for replay; beyond it the session ends ('overflow'). */
  maxUnackedBytes: number
  /** Same, in messages. */
  maxUnackedMessages: number
  /** Acknowledge at once after this many messages received since the last ack (else with the next ping). */
  ackEveryMessages: number
  /** ... or after this many bytes. */
  ackEveryBytes: number
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  // The link's own reliable queue may hold 4 MiB (past it: slow-consumer) and every byte of it is
  // unacknowledged: the buffer shares those bytes (no copy), and must not end a session the queue accepts;
  // the rest covers what SCTP holds in flight and what is sent while the session is suspended.
  maxUnackedBytes: 8 * 1024 * 1024,
  maxUnackedMessages: 100_000,
  ackEveryMessages: 32,
  ackEveryBytes: 64 * 1024,
}

/**
 * Session-level numbering of application reliable messages, one direction each way. Sequence
 * numbers are implicit: within one connection the reliable channel is ordered and lossless, so the
 * n-th message sent is the n-th received. Sent messages are kept until the peer's cumulative count
 * covers them; after a cut, the peer says how many it received and the rest is sent again, so each
 * message arrives exactly once and in order across connections. Pure bookkeeping, no I/O.
 */
export class SessionBook {
  /** Messages sent so far (the last one's sequence number). */
  sent = 0
  /** Messages the peer confirmed (cumulative). */
  acked = 0
  /** Messages received so far. */
  received = 0
  private kept: Uint8Array[] = []
  private head = 0
  private keptBytes = 0
  private lastAckSent = 0
  private bytesSinceAck = 0

  constructor(readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS) {}

  get unackedBytes(): number {
    return this.keptBytes
  }

  get unackedMessages(): number {
    return this.kept.length - this.head
  }

  /** Keeps a sent message (its bytes must not change afterwards). Returns why not when a limit is hit. */
  record(frame: Uint8Array): string | undefined {
    const { maxUnackedBytes, maxUnackedMessages } = this.limits
    if (this.unackedMessages + 1 > maxUnackedMessages) return `more than ${maxUnackedMessages} reliable messages unacknowledged`
    if (this.keptBytes + frame.byteLength > maxUnackedBytes) return `more than ${maxUnackedBytes} bytes of reliable messages unacknowledged`
    this.kept.push(frame)
    this.keptBytes += frame.byteLength
    this.sent++
    return undefined
  }

  /**
   * The peer has received `n` messages in all: forgets those. Returns false for a count that cannot
   * be true (backwards, beyond what was sent, not an integer): a broken or hostile peer.
   */
  peerReceived(n: number): boolean {
    if (!Number.isSafeInteger(n) || n > this.sent) return false
    if (n < this.acked) return true // a late, reordered ack: old news
    while (this.acked < n) {
      const f = this.kept[this.head]!
      this.kept[this.head++] = EMPTY
      this.keptBytes -= f.byteLength
      this.acked++
    }
    if (this.head === this.kept.length) {
      this.kept = []
      this.head = 0
    } else if (this.head > 1024 && this.head * 2 > this.kept.length) {
      this.kept = this.kept.slice(this.head)
      this.head = 0
    }
    return true
  }

  /** Sent messages the peer has not confirmed, oldest first: what to send again on a new connection. */
  unacked(): Uint8Array[] {
    return this.kept.slice(this.head)
  }

  /** One more message arrived; true when an ack should go out now rather than with the next ping. */
  noteReceived(bytes: number): boolean {
    this.received++
    this.bytesSinceAck += bytes
    return this.received - this.lastAckSent >= this.limits.ackEveryMessages || this.bytesSinceAck >= this.limits.ackEveryBytes
  }

  /** Whether anything arrived since the last ack. */
  get ackDue(): boolean {
    return this.received !== this.lastAckSent
  }

  /** The count to put in an ack; resets the eager-ack counters. */
  takeAck(): number {
    this.lastAckSent = this.received
    this.bytesSinceAck = 0
    return this.received
  }
}

const EMPTY = new Uint8Array(0)
