import { seqDiff, seqNext } from '../stats/sequence'

/**
 * Inputs travel on the unreliable channel (a retransmitted input arrives too late to matter), so each
 * packet repeats the last few unacknowledged inputs: one packet in K can be lost without losing an input.
 * Sequence numbers are 16-bit and wrap (shared/stats/sequence).
 */
export interface SequencedInput {
  readonly seq: number
}

/** Client side: what to put in each input packet. */
export class InputSender<I extends SequencedInput> {
  private readonly recent: I[] = []

  /** @param redundancy inputs per packet (the newest plus up to K-1 earlier unacknowledged ones). */
  constructor(private readonly redundancy = 4) {
    if (!(redundancy >= 1)) throw new RangeError('InputSender: redundancy must be >= 1')
  }

  /** Records a new input and returns the packet payload, oldest first. */
  push(input: I): I[] {
    this.recent.push(input)
    if (this.recent.length > this.redundancy) this.recent.shift()
    return [...this.recent]
  }

  /**
   * The inputs still worth repeating, for a packet without a new input (the player let go of the keys):
   * without it, the last inputs before a pause would be lost for good if their packets were.
   */
  repeat(): I[] {
    return [...this.recent]
  }

  /** The server has processed everything up to `lastProcessed`: stop repeating those. */
  ack(lastProcessed: number): void {
    while (this.recent.length > 0 && seqDiff(this.recent[0]!.seq, lastProcessed) <= 0) this.recent.shift()
  }
}

export interface InputReceiverOptions<I> {
  /** Validates and clamps one input (authority); undefined refuses it. */
  sanitize: (input: I) => I | undefined
  /** Sequence number the client starts at. Default 0. */
  firstSeq?: number
  /** Inputs further ahead than this are refused as bogus. Default 64 (1 s at 60 Hz). */
  maxAhead?: number
  /** Give up on a missing input once one this far past it is held (redundancy failed). Default 8. */
  skipGapAfter?: number
  /** ...or once inputs after it have waited this long. Default 150 ms. */
  gapTimeoutMs?: number
}

export interface InputReceiverStats {
  accepted: number
  /** Already processed or already buffered: the normal cost of redundancy. */
  duplicate: number
  /** Further ahead than `maxAhead`. */
  future: number
  /** Not a 16-bit integer seq, or refused by `sanitize`. */
  invalid: number
  /** Missing inputs given up on. */
  skipped: number
}

/** Server side: deduplicates, orders, validates, and hands over inputs in sequence. */
export class InputReceiver<I extends SequencedInput> {
  private readonly buffered = new Map<number, I>()
  private nextSeq: number
  private processed: number | undefined
  private readonly maxAhead: number
  private readonly skipGapAfter: number
  private readonly gapTimeout: number
  /** When `take` first found the next input missing with later ones held, if it still is. */
  private gapSince: number | undefined
  private readonly s: InputReceiverStats = { accepted: 0, duplicate: 0, future: 0, invalid: 0, skipped: 0 }

  constructor(private readonly options: InputReceiverOptions<I>) {
    this.nextSeq = (options.firstSeq ?? 0) & 0xffff
    this.maxAhead = options.maxAhead ?? 64
    this.skipGapAfter = Math.max(1, options.skipGapAfter ?? 8)
    this.gapTimeout = options.gapTimeoutMs ?? 150
  }

  get stats(): Readonly<InputReceiverStats> {
    return { ...this.s }
  }

  /** Seq of the last input handed out by `take` (sent back to the client as its ack), if any. */
  get lastProcessed(): number | undefined {
    return this.processed
  }

  get pending(): number {
    return this.buffered.size
  }

  receive(inputs: readonly I[]): void {
    for (const raw of inputs) {
      const seq = raw.seq
      if (!Number.isInteger(seq) || seq < 0 || seq > 0xffff) {
        this.s.invalid++
        continue
      }
      const ahead = seqDiff(seq, this.nextSeq)
      if (ahead < 0 || this.buffered.has(seq)) this.s.duplicate++
      else if (ahead > this.maxAhead) this.s.future++
      else {
        const input = this.options.sanitize(raw)
        if (input === undefined || input.seq !== seq) this.s.invalid++
        else {
          this.buffered.set(seq, input)
          this.s.accepted++
        }
      }
    }
  }

  /**
   * Up to `max` inputs, in sequence, ready to simulate at `now`. Stops at a gap unless it is hopeless:
   * an input `skipGapAfter` past it is held, or the inputs after it waited `gapTimeoutMs`.
   */
  take(now: number, max = Infinity): I[] {
    const out: I[] = []
    while (out.length < max && this.buffered.size > 0) {
      const input = this.buffered.get(this.nextSeq)
      if (input) {
        this.buffered.delete(this.nextSeq)
        out.push(input)
        this.processed = this.nextSeq
        this.nextSeq = seqNext(this.nextSeq)
        this.gapSince = undefined
        continue
      }
      let nearest = Infinity
      let furthest = -1
      for (const seq of this.buffered.keys()) {
        const d = seqDiff(seq, this.nextSeq)
        nearest = Math.min(nearest, d)
        furthest = Math.max(furthest, d)
      }
      this.gapSince ??= now
      if (furthest < this.skipGapAfter && now - this.gapSince < this.gapTimeout) break
      // Hopeless: packets newer than the gap arrived and did not carry it. Skip the whole gap.
      this.s.skipped += nearest
      this.nextSeq = (this.nextSeq + nearest) & 0xffff
      this.gapSince = undefined
    }
    return out
  }
}
