/**
 * Recent snapshots by tick, bounded. On the server, one per client: what was sent, and which of it the
 * client acknowledged (the base for the next delta). On the client: what was decoded, to decode deltas
 * against. If the acknowledged snapshot has been evicted (the client went quiet), there is no base and
 * the next snapshot goes out full.
 */
export class SnapshotHistory<T> {
  private readonly byTick = new Map<number, T>()
  private ackedTick: number | undefined

  constructor(private readonly capacity = 64) {
    if (!(capacity >= 1)) throw new RangeError('SnapshotHistory: capacity must be >= 1')
  }

  get size(): number {
    return this.byTick.size
  }

  /** Records the snapshot of `tick` (ticks increase). Evicts the oldest beyond capacity. */
  put(tick: number, snapshot: T): void {
    this.byTick.set(tick, snapshot)
    for (const oldest of this.byTick.keys()) {
      if (this.byTick.size <= this.capacity) break
      this.byTick.delete(oldest)
    }
  }

  get(tick: number): T | undefined {
    return this.byTick.get(tick)
  }

  /** The client has `tick`. Returns true if it becomes the new base (held, and newer than the current one). */
  ack(tick: number): boolean {
    if (!this.byTick.has(tick) || (this.ackedTick !== undefined && tick <= this.ackedTick)) return false
    this.ackedTick = tick
    return true
  }

  /** Forgets what the client acknowledged: the next snapshot goes out full (after a session resume, the client's base is unknown). */
  clearAck(): void {
    this.ackedTick = undefined
  }

  /** The newest acknowledged snapshot still held, or undefined (send a full snapshot). */
  base(): { tick: number; snapshot: T } | undefined {
    if (this.ackedTick === undefined) return undefined
    const snapshot = this.byTick.get(this.ackedTick)
    return snapshot === undefined ? undefined : { tick: this.ackedTick, snapshot }
  }
}
