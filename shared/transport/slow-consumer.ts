import type { LinkOptions } from './link-options'
import type { ReliableSender } from './reliable-sender'
import type { BudgetMember } from './send-budget'

/**
 * Notices a peer that has stopped reading while we have reliable data for it (the bytes leaving the
 * channel's buffer stop growing although some are pending), and enrols the link in the server-wide
 * send budget, which may shed it. Both end the link as `slow-consumer`.
 */
export class SlowConsumerGuard {
  private lastMoved = 0
  private since: number
  private member: BudgetMember | undefined

  constructor(
    private readonly sender: ReliableSender,
    private readonly options: LinkOptions,
    now: number,
    shed: (detail: string) => void,
  ) {
    this.since = now
    if (options.sendBudget) {
      this.member = { get queuedBytes() { return sender.queuedByteCount }, shed }
      options.sendBudget.join(this.member)
    }
  }

  /** After a reliable send queued more: the server-wide budget may shed the largest backlogs. */
  afterSend(): void {
    this.options.sendBudget?.settle()
  }

  /** A reason to drop the peer, if nothing has moved for too long while data was pending. */
  stalled(now: number): string | undefined {
    const pending = this.sender.pendingBytes
    const moved = this.sender.movedBytes
    if (pending === 0 || moved !== this.lastMoved) {
      this.lastMoved = moved
      this.since = now
      return undefined
    }
    const limit = this.options.slowConsumerMs ?? this.options.timeoutMs
    if (now - this.since <= limit) return undefined
    return `took none of ${pending} pending bytes for ${Math.round(now - this.since)} ms`
  }

  /** The sender's queue changed size; counted against the shared budget while the link is open. */
  account(delta: number): void {
    if (this.member) this.options.sendBudget?.account(delta)
  }

  /** The link closed: whatever is still queued (the goodbye) stops counting. */
  leave(): void {
    if (!this.member) return
    this.options.sendBudget?.leave(this.member)
    this.options.sendBudget?.account(-this.sender.queuedByteCount)
    this.member = undefined
  }
}
