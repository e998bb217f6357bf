export interface Traffic {
  messages: number
  bytes: number
}
export interface TrafficRate {
  messagesPerSec: number
  bytesPerSec: number
  totalMessages: number
  totalBytes: number
}

/** Messages and bytes per message name, as totals and as rates over the last stats interval. */
export class TrafficCounters {
  private totals = new Map<string, Traffic>()
  private atLastTick = new Map<string, Traffic>()
  private rates = new Map<string, TrafficRate>()
  private lastTick: number

  constructor(now: number) {
    this.lastTick = now
  }

  add(name: string, bytes: number): void {
    let t = this.totals.get(name)
    if (!t) this.totals.set(name, (t = { messages: 0, bytes: 0 }))
    t.messages++
    t.bytes += bytes
  }

  /** Closes an interval: rates become (totals now - totals then) / elapsed. */
  tick(now: number): void {
    const seconds = Math.max(1e-3, (now - this.lastTick) / 1000)
    this.lastTick = now
    for (const [name, t] of this.totals) {
      const before = this.atLastTick.get(name) ?? { messages: 0, bytes: 0 }
      this.rates.set(name, {
        messagesPerSec: (t.messages - before.messages) / seconds,
        bytesPerSec: (t.bytes - before.bytes) / seconds,
        totalMessages: t.messages,
        totalBytes: t.bytes,
      })
      this.atLastTick.set(name, { ...t })
    }
  }

  snapshot(): Record<string, TrafficRate> {
    return Object.fromEntries(this.rates)
  }

  /** Sum over all names. */
  sum(): TrafficRate {
    const s: TrafficRate = { messagesPerSec: 0, bytesPerSec: 0, totalMessages: 0, totalBytes: 0 }
    for (const r of this.rates.values()) {
      s.messagesPerSec += r.messagesPerSec
      s.bytesPerSec += r.bytesPerSec
      s.totalMessages += r.totalMessages
      s.totalBytes += r.totalBytes
    }
    return s
  }
}
