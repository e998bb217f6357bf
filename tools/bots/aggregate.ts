/** Pools the processes' samples: one window for the live line, one for the whole measured run. */
import type { ChildSample } from './fleet'
import { Histogram } from './histogram'

export class Window {
  readonly rttMs = new Histogram()
  readonly updateAgeMs = new Histogram()
  readonly connectMs = new Histogram()
  readonly readyMs = new Histogram()
  snapshots = 0
  /** Time bots spent playing, summed (the denominator of the snapshot rate). */
  botSeconds = 0
  /** Sum over samples of the bots playing at that sample: weights the gauges. */
  private gaugeWeight = 0
  private jitter = 0
  private lossIn = 0
  private lossOut = 0
  bytesIn = 0
  bytesOut = 0
  chat = { sent: 0, acked: 0, echoed: 0, received: 0 }
  files = { sent: 0, received: 0 }
  errors: Record<string, number> = {}
  readonly startedAt = performance.now()
  private endedAt: number | undefined

  add({ meter: m, gauges: g }: ChildSample): void {
    this.rttMs.merge(m.rttMs)
    this.updateAgeMs.merge(m.updateAgeMs)
    this.connectMs.merge(m.connectMs)
    this.readyMs.merge(m.readyMs)
    this.snapshots += m.snapshots
    this.botSeconds += m.botSeconds
    this.gaugeWeight += g.bots
    this.jitter += g.jitterMs * g.bots
    this.lossIn += g.lossIn * g.bots
    this.lossOut += g.lossOut * g.bots
    this.bytesIn += g.bytesInPerSec
    this.bytesOut += g.bytesOutPerSec
    this.chat.sent += m.chatSent
    this.chat.acked += m.chatAcked
    this.chat.echoed += m.chatEchoed
    this.chat.received += m.chatReceived
    this.files.sent += m.filesSent
    this.files.received += m.filesReceived
    for (const [k, n] of Object.entries(m.errors)) this.errors[k] = (this.errors[k] ?? 0) + n
  }

  /** Seconds this window covers (wall clock), up to `end()` if it was called. */
  get seconds(): number {
    return ((this.endedAt ?? performance.now()) - this.startedAt) / 1000
  }

  /** Stops the clock: samples still arriving (the bots' last reports) count, the time after does not. */
  end(): void {
    this.endedAt ??= performance.now()
  }
  /** Means over the bots of each sample. */
  get jitterMs(): number {
    return this.gaugeWeight ? this.jitter / this.gaugeWeight : 0
  }
  get lossInMean(): number {
    return this.gaugeWeight ? this.lossIn / this.gaugeWeight : 0
  }
  get lossOutMean(): number {
    return this.gaugeWeight ? this.lossOut / this.gaugeWeight : 0
  }
  /** Snapshots each bot received per second. */
  get snapshotsPerSec(): number {
    return this.botSeconds ? this.snapshots / this.botSeconds : 0
  }
  /** All bots' bytes per second (the samples are per-second rates, one per process per second). */
  bytesPerSec(dir: 'in' | 'out'): number {
    const s = Math.max(1, Math.round(this.seconds))
    return (dir === 'in' ? this.bytesIn : this.bytesOut) / s
  }
  errorCount(): number {
    return Object.values(this.errors).reduce((a, b) => a + b, 0)
  }
}
