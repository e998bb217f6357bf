/**
 * Chooses which entities go into the next packet when not all fit the byte budget.
 *
 * Each entity's priority accumulates every packet by a weight (nearer and more changed weigh more);
 * the highest accumulated priorities are sent and reset to zero. Because an unsent entity's priority
 * only grows, even the farthest, idlest one eventually outranks the rest: nothing starves.
 * (Fiedler's "state synchronization" priority accumulator.)
 */
export interface PriorityCandidate {
  id: number
  /** Distance to the client's viewpoint, world units. */
  distance: number
  /** How much it changed since last sent to this client (any non-negative measure; 0 = idle). */
  change: number
  /** Estimated encoded size, bytes. */
  bytes: number
}

export interface PriorityOptions {
  /** Per-packet budget for entity data. Default 1200 (one packet under a typical 1,200-1,400 B MTU budget). */
  budgetBytes?: number
  /** Distance at which the weight halves. Default 20. */
  distanceScale?: number
  /** Extra weight per unit of `change`. Default 1. */
  changeWeight?: number
}

export class PriorityAccumulator {
  private readonly acc = new Map<number, number>()
  private readonly budget: number
  private readonly distanceScale: number
  private readonly changeWeight: number

  constructor(options: PriorityOptions = {}) {
    this.budget = options.budgetBytes ?? 1200
    this.distanceScale = options.distanceScale ?? 20
    this.changeWeight = options.changeWeight ?? 1
  }

  /** Accumulated priority of `id` (0 if unknown). */
  priority(id: number): number {
    return this.acc.get(id) ?? 0
  }

  weight(c: PriorityCandidate): number {
    const change = Number.isFinite(c.change) && c.change > 0 ? c.change : 0
    const distance = Number.isFinite(c.distance) && c.distance > 0 ? c.distance : 0
    return (1 + this.changeWeight * change) / (1 + distance / this.distanceScale)
  }

  /**
   * Ids to send this packet, highest accumulated priority first, within `budgetBytes`.
   * Entities no longer among the candidates are forgotten.
   */
  select(candidates: readonly PriorityCandidate[], budgetBytes = this.budget): number[] {
    const present = new Set<number>()
    const ranked: { c: PriorityCandidate; p: number }[] = []
    for (const c of candidates) {
      present.add(c.id)
      const p = (this.acc.get(c.id) ?? 0) + this.weight(c)
      this.acc.set(c.id, p)
      ranked.push({ c, p })
    }
    for (const id of this.acc.keys()) if (!present.has(id)) this.acc.delete(id)
    ranked.sort((a, b) => b.p - a.p || a.c.id - b.c.id)
    const chosen: number[] = []
    let left = budgetBytes
    for (const { c } of ranked) {
      if (c.bytes > left) continue // a smaller one further down may still fit
      left -= c.bytes
      chosen.push(c.id)
      this.acc.set(c.id, 0)
    }
    return chosen
  }
}
