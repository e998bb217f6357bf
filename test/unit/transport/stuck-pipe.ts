import type { DataPipe } from '../../../shared/transport/pipe'

/**
 * A channel to a peer that does not read: everything sent stays buffered until the test lets some of
 * it through (as SCTP holds data a stopped peer does not acknowledge). Nothing is delivered anywhere.
 */
export class StuckPipe implements DataPipe {
  readonly maxMessageSize = 256 * 1024
  private held: Uint8Array[] = []
  private buffered = 0
  private waiters: { threshold: number; fn: () => void }[] = []

  send(bytes: Uint8Array): void {
    this.held.push(bytes)
    this.buffered += bytes.byteLength
  }

  bufferedAmount(): number {
    return this.buffered
  }

  onBufferedAmountLow(threshold: number, onLow: () => void): void {
    if (this.buffered <= threshold) queueMicrotask(onLow)
    else this.waiters.push({ threshold, fn: onLow })
  }

  onMessage(): void {}

  /** The peer takes `bytes` (whole frames, at least one). */
  release(bytes: number): void {
    let taken = 0
    while (this.held.length && (taken === 0 || taken < bytes)) {
      const f = this.held.shift()!
      taken += f.byteLength
      this.buffered -= f.byteLength
    }
    const ready = this.waiters.filter((w) => this.buffered <= w.threshold)
    this.waiters = this.waiters.filter((w) => this.buffered > w.threshold)
    for (const w of ready) w.fn()
  }
}
