import type { Clock } from './clock'
import type { Random } from './random'

/** Simulated network trouble for one direction of one connection. All zero = off. */
export interface LinkConditions {
  /** Added one-way delay, ms. */
  latencyMs?: number
  /** Up to this much extra delay, uniformly random, ms. */
  jitterMs?: number
  /** Fraction (0..1) of packets dropped. Unreliable channel only. */
  loss?: number
  /** Fraction (0..1) of packets sent twice. Unreliable channel only. */
  duplicate?: number
  /** Fraction (0..1) of packets held back an extra 1-3 packet intervals, so they arrive after newer ones. */
  reorder?: number
}

export type Deliver = (bytes: Uint8Array) => void

/**
 * Impairs packets above the real channel. For unreliable traffic it delays, drops, duplicates and
 * reorders. For reliable traffic it only delays, keeping order: dropping there would test nothing
 * (the real loss that reliability must survive is injected beneath SCTP; see docs/testing.md).
 */
export class LinkConditioner {
  private conditions: Required<LinkConditions> = { latencyMs: 0, jitterMs: 0, loss: 0, duplicate: 0, reorder: 0 }
  private lastOrderedAt = 0
  private pending = new Set<unknown>()
  private fifo: { at: number; fn: () => void }[] = []
  dropped = 0

  constructor(
    private readonly clock: Clock,
    private readonly random: Random = Math.random,
  ) {}

  set(c: LinkConditions): void {
    const clamp01 = (x: number | undefined) => Math.min(1, Math.max(0, x ?? 0))
    this.conditions = {
      latencyMs: Math.max(0, c.latencyMs ?? 0),
      jitterMs: Math.max(0, c.jitterMs ?? 0),
      loss: clamp01(c.loss),
      duplicate: clamp01(c.duplicate),
      reorder: clamp01(c.reorder),
    }
  }

  get(): Required<LinkConditions> {
    return { ...this.conditions }
  }

  get active(): boolean {
    const c = this.conditions
    return c.latencyMs > 0 || c.jitterMs > 0 || c.loss > 0 || c.duplicate > 0 || c.reorder > 0
  }

  /** Unreliable: may drop, duplicate, delay and reorder. `bytes` must not be reused by the caller. */
  unreliable(bytes: Uint8Array, deliver: Deliver): void {
    const c = this.conditions
    if (c.loss > 0 && this.random() < c.loss) {
      this.dropped++
      return
    }
    const copies = c.duplicate > 0 && this.random() < c.duplicate ? 2 : 1
    for (let i = 0; i < copies; i++) {
      let delay = c.latencyMs + this.random() * c.jitterMs
      if (c.reorder > 0 && this.random() < c.reorder) delay += 16 + this.random() * 32
      this.later(delay, () => deliver(bytes))
    }
  }

  /**
   * Reliable: delays only, never reorders. One FIFO and one timer for its head: separate timers that
   * fall due together are not guaranteed to fire in the order they were set.
   */
  ordered(bytes: Uint8Array, deliver: Deliver): void {
    const c = this.conditions
    const at = Math.max(this.lastOrderedAt, this.clock.now() + c.latencyMs + this.random() * c.jitterMs)
    this.lastOrderedAt = at
    this.fifo.push({ at, fn: () => deliver(bytes) })
    if (this.fifo.length === 1) this.scheduleFifo()
  }

  private scheduleFifo(): void {
    const head = this.fifo[0]
    if (!head) return
    const h = this.clock.setTimeout(() => {
      this.pending.delete(h)
      const now = this.clock.now()
      while (this.fifo.length > 0 && this.fifo[0]!.at <= now + 1) this.fifo.shift()!.fn()
      this.scheduleFifo()
    }, head.at - this.clock.now())
    this.pending.add(h)
  }

  /** Cancels everything in flight. */
  clear(): void {
    for (const h of this.pending) this.clock.clearTimeout(h)
    this.pending.clear()
    this.fifo = []
  }

  private later(ms: number, fn: () => void): void {
    if (ms <= 0 && this.pending.size === 0) return fn()
    const h = this.clock.setTimeout(() => {
      this.pending.delete(h)
      fn()
    }, ms)
    this.pending.add(h)
  }
}
