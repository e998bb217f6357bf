import type { MessageSpec } from '../schema/index'
import { LossTracker } from '../stats/loss-tracker'
import type { NetStats, TransportInfo } from '../stats/net-stats'
import { RttTracker } from '../stats/rtt-tracker'
import { TrafficCounters } from '../stats/traffic-counters'

/** Engine messages are counted as `$name`: the key made once per name, not per message. */
const engineKeys = new Map<string, string>()
function engineKey(name: string): string {
  let key = engineKeys.get(name)
  if (key === undefined) engineKeys.set(name, (key = `$${name}`))
  return key
}

/** Every counter a link keeps, and how they become a NetStats snapshot. */
export class LinkMeter {
  readonly rtt = new RttTracker()
  readonly loss = new LossTracker()
  readonly in: TrafficCounters
  readonly out: TrafficCounters
  /** Outbound loss as the peer measured it (its pings carry it). */
  lossOut = 0
  droppedOut = 0
  multiPacketOut = 0
  bytesIn = 0
  rejected: Record<string, number> = {}
  /** Set by whoever opened the pipes. */
  transport: TransportInfo = { kind: 'webrtc', reason: 'direct' }

  constructor(now: number) {
    this.in = new TrafficCounters(now)
    this.out = new TrafficCounters(now)
  }

  traffic(spec: MessageSpec, bytes: number, direction: 'in' | 'out'): void {
    ;(direction === 'in' ? this.in : this.out).add(spec.id < 16 ? engineKey(spec.name) : spec.name, bytes)
  }

  tick(now: number): void {
    this.in.tick(now)
    this.out.tick(now)
  }

  snapshot(reliableQueuedBytes: number): NetStats {
    return {
      rtt: { smoothed: this.rtt.smoothed, last: this.rtt.last, p50: this.rtt.percentile(50), p95: this.rtt.percentile(95), samples: this.rtt.count },
      jitter: this.rtt.jitter,
      loss: { in: this.loss.loss(), out: this.lossOut },
      messagesIn: this.in.snapshot(),
      messagesOut: this.out.snapshot(),
      bytesInPerSec: this.in.sum().bytesPerSec,
      bytesOutPerSec: this.out.sum().bytesPerSec,
      rejected: { ...this.rejected },
      droppedOut: this.droppedOut,
      multiPacketOut: this.multiPacketOut,
      duplicatesIn: this.loss.duplicates,
      lateIn: this.loss.late,
      reliableQueuedBytes,
      transport: this.transport.kind,
      transportReason: this.transport.reason,
    }
  }
}
