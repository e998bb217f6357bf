import { LinkConditioner, type LinkConditions } from '../../../shared/transport/link-conditioner'
import type { ManualClock } from '../../../shared/transport/clock'
import type { Random } from '../../../shared/transport/random'

export interface SimLinkOptions extends LinkConditions {
  /** Fraction of packets held back by an extra `spikeMs` on this leg only (queuing, Wi-Fi retries). */
  spikeChance?: number
  /** [min, max] of the extra delay of a spike, ms. */
  spikeMs?: readonly [number, number]
}

const EMPTY = new Uint8Array(0)

/**
 * One direction of a simulated network for objects instead of bytes: the project's LinkConditioner
 * (latency + uniform jitter, loss, duplication, reorder) on a ManualClock, plus one-sided delay spikes.
 */
export class SimLink<T> {
  private readonly conditioner: LinkConditioner
  sent = 0
  delivered = 0

  constructor(
    private readonly clock: ManualClock,
    private readonly random: Random,
    private readonly options: SimLinkOptions,
  ) {
    this.conditioner = new LinkConditioner(clock, random)
    this.conditioner.set(options)
  }

  get dropped(): number {
    return this.conditioner.dropped
  }

  send(message: T, deliver: (message: T) => void): void {
    this.sent++
    const through = (): void =>
      this.conditioner.unreliable(EMPTY, () => {
        this.delivered++
        deliver(message)
      })
    const [lo, hi] = this.options.spikeMs ?? [0, 0]
    if (this.options.spikeChance && this.random() < this.options.spikeChance) this.clock.setTimeout(through, lo + this.random() * (hi - lo))
    else through()
  }
}
