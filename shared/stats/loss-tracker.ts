import { seqDiff } from './sequence'

const WINDOW = 1024
/** The newest sequence numbers may still be on their way (reordered), so they are not judged yet. */
const SETTLE = 16

/**
 * Measures loss on an unreliable stream from its 16-bit sequence numbers: over the last ~1,000
 * numbers, the share never received. Duplicates are ignored; late (reordered) arrivals count.
 */
export class LossTracker {
  private seen = new Uint8Array(WINDOW)
  private highest = -1
  private started = 0
  received = 0
  duplicates = 0
  /** Arrived after newer packets did: reordered or late. */
  late = 0

  /** Returns false for a duplicate. */
  record(seq: number): boolean {
    if (this.highest < 0) {
      this.highest = seq
      this.seen[seq % WINDOW] = 1
      this.started = 1
      this.received++
      return true
    }
    const ahead = seqDiff(seq, this.highest)
    if (ahead > 0) {
      if (ahead >= WINDOW) this.seen.fill(0)
      else for (let i = 1; i < ahead; i++) this.seen[(this.highest + i) % WINDOW] = 0
      this.seen[seq % WINDOW] = 1
      this.highest = seq
      this.started = Math.min(WINDOW, this.started + ahead)
      this.received++
      return true
    }
    if (-ahead >= this.started || this.seen[seq % WINDOW]) {
      this.duplicates++
      return false
    }
    this.seen[seq % WINDOW] = 1
    this.late++
    this.received++
    return true
  }

  /** Fraction lost (0..1) over the recent window. */
  loss(): number {
    const span = this.started - SETTLE
    if (span <= 0) return 0
    let got = 0
    for (let i = SETTLE; i < this.started; i++) got += this.seen[(this.highest - i + WINDOW * 64) % WINDOW]!
    return 1 - got / span
  }
}
