/** A connection whose queued outgoing bytes count against a shared budget. */
export interface BudgetMember {
  /** Bytes waiting in our own queue for this peer (beyond what its channel buffer holds). */
  readonly queuedBytes: number
  /** Drops the connection: it has the largest backlog while the budget is exceeded. */
  shed(detail: string): void
}

/**
 * A server-wide cap on bytes queued for peers that are not keeping up. Each connection is already
 * capped on its own (`reliable.maxQueuedBytes`); this bounds the sum, so many slow peers together
 * cannot take the server's memory. Over the cap, the connections with the largest backlogs are
 * dropped (reason `slow-consumer`) until the total fits again; the others are not touched.
 */
export class SendBudget {
  /** Bytes queued across all members now. */
  total = 0
  /** Highest total seen (for reports). */
  peak = 0
  /** Members dropped to keep the total under the cap. */
  shedCount = 0
  private members = new Set<BudgetMember>()

  constructor(readonly maxBytes: number) {}

  join(member: BudgetMember): void {
    this.members.add(member)
  }

  leave(member: BudgetMember): void {
    this.members.delete(member)
  }

  /** A member's queue grew (positive) or shrank (negative) by `delta` bytes. */
  account(delta: number): void {
    this.total += delta
    if (this.total > this.peak) this.peak = this.total
  }

  /** After a send queued more: while over the cap, drops the largest backlog. */
  settle(): void {
    while (this.total > this.maxBytes) {
      let largest: BudgetMember | undefined
      for (const m of this.members) if (!largest || m.queuedBytes > largest.queuedBytes) largest = m
      if (!largest || largest.queuedBytes === 0) return
      this.members.delete(largest)
      this.shedCount++
      largest.shed(`the server's send budget (${this.maxBytes} bytes queued for slow peers) is spent and this peer had the largest backlog (${largest.queuedBytes} bytes)`)
    }
  }
}

/** 64 MiB: sixteen peers at the default per-connection cap of 4 MiB. */
export const DEFAULT_SERVER_SEND_BUDGET = 64 * 1024 * 1024
