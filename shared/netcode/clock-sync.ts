import { Slewed } from './slew'

/**
 * Client-side estimate of the server clock from ping exchanges.
 *
 * Each sample is NTP-style: offset = serverTime - (send + receive) / 2, which is exact when both legs
 * take equally long and off by half the asymmetry otherwise. Queuing delay and one-sided spikes
 * show up as a larger RTT, so of the last `window` samples only the `best` lowest-RTT ones vote,
 * and their median offset is the target (robust to the odd outlier among them too).
 *
 * The applied offset slews toward the target at `slewRate` instead of jumping, so `serverNow` is
 * continuous and never runs backwards (the rate is < 1): interpolation and animation driven by it
 * stay smooth while the estimate improves.
 */
export interface ClockSyncOptions {
  /** Recent samples kept. Default 64 (13 s of pings at 5 Hz; a longer window finds more clean samples). */
  window?: number
  /** Lowest-RTT samples that vote. Default 8. */
  best?: number
  /** Most the applied offset may change per ms of local time. Default 0.05 (50 ms per second). */
  slewRate?: number
  /** A correction larger than this is applied at once (first sample, server restart). Default 1000 ms. */
  snapBeyondMs?: number
  /** Samples with a longer round trip are discarded. Default 5000 ms. */
  maxRttMs?: number
}

export interface ClockSyncStats {
  accepted: number
  /** Negative or non-finite round trips, or longer than `maxRttMs`. */
  rejected: number
}

interface Sample {
  rtt: number
  offset: number
}

export class ClockSync {
  private readonly windowSize: number
  private readonly best: number
  private readonly maxRtt: number
  private readonly samples: Sample[] = []
  private next = 0
  private readonly offset: Slewed
  private bestRtt = 0
  private readonly s: ClockSyncStats = { accepted: 0, rejected: 0 }

  constructor(options: ClockSyncOptions = {}) {
    this.windowSize = Math.max(1, Math.floor(options.window ?? 64))
    this.best = Math.max(1, Math.min(this.windowSize, Math.floor(options.best ?? 8)))
    this.maxRtt = options.maxRttMs ?? 5000
    this.offset = new Slewed(options.slewRate ?? 0.05, options.snapBeyondMs ?? 1000)
  }

  /** True once any sample has been accepted; before that `serverNow` returns local time. */
  get synced(): boolean {
    return this.offset.initialized
  }

  get stats(): Readonly<ClockSyncStats> {
    return { ...this.s }
  }

  /** Median RTT of the voting samples, ms. */
  get rtt(): number {
    return this.bestRtt
  }

  /** The offset the applied one is heading for: serverTime - localTime. */
  get targetOffset(): number {
    return this.offset.target
  }

  /** serverTime - localTime as applied at `localNow`. */
  offsetAt(localNow: number): number {
    return this.offset.valueAt(localNow)
  }

  /** The estimated server clock at local time `localNow`. */
  serverNow(localNow: number): number {
    return localNow + this.offset.valueAt(localNow)
  }

  /**
   * Adds one exchange: the client sent at `clientSendTime`, the server stamped `serverTime`, the reply
   * arrived at `clientReceiveTime` (both client times on the same local clock). Returns false if rejected.
   */
  addSample(clientSendTime: number, serverTime: number, clientReceiveTime: number): boolean {
    const rtt = clientReceiveTime - clientSendTime
    if (!Number.isFinite(rtt) || !Number.isFinite(serverTime) || rtt < 0 || rtt > this.maxRtt) {
      this.s.rejected++
      return false
    }
    this.s.accepted++
    const sample = { rtt, offset: serverTime - (clientSendTime + clientReceiveTime) / 2 }
    if (this.samples.length < this.windowSize) this.samples.push(sample)
    else this.samples[this.next] = sample
    this.next = (this.next + 1) % this.windowSize
    const voters = [...this.samples].sort((a, b) => a.rtt - b.rtt).slice(0, this.best)
    this.bestRtt = median(voters.map((v) => v.rtt))
    this.offset.setTarget(median(voters.map((v) => v.offset)), clientReceiveTime)
    return true
  }
}

function median(values: number[]): number {
  const sorted = values.sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}
