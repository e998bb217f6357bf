import { InputReceiver, type InputReceiverStats } from '../../shared/netcode/input-redundancy'
import type { NetInput } from '../../shared/netcode/net-messages'
import { PriorityAccumulator, type PriorityOptions } from '../../shared/netcode/priority'
import { SnapshotHistory } from '../../shared/netcode/snapshot-history'
import type { EntityLayout, Snapshot } from '../../shared/netcode/snapshot-delta'
import type { FieldMap } from '../../shared/schema/field'

export interface NetPeerStats {
  entityId: number
  inputs: InputReceiverStats
  /** Inputs handed to the game's `applyInput`. */
  applied: number
  /** Inputs waiting (buffered against jitter, or over the input-rate credit). */
  pending: number
  /** Times the input buffer ran dry (the client paused, or its packets came late) and refilled. */
  underruns: number
  lastProcessedInput: number | undefined
  snapshots: { full: number; delta: number; partial: number; lastBytes: number; maxBytes: number }
  /** Newest snapshot tick the client acknowledged. */
  ackedTick: number | undefined
  /** The client's latest reported render time (server clock, ms). */
  renderTime: number | undefined
}

/**
 * One client in a NetRoom: its inputs (deduplicated, ordered, sanitized, rate-credited), what it
 * was sent and acknowledged (delta bases), and its priority accumulator. No transport in here.
 */
export class NetPeer<F extends FieldMap, L extends EntityLayout> {
  readonly receiver: InputReceiver<NetInput<F>>
  readonly history: SnapshotHistory<Snapshot<L>>
  readonly priority: PriorityAccumulator
  renderTime: number | undefined
  /** Set by the first netInput: the client is running, netJoin need not be repeated. */
  heard = false
  lastJoinAt = -Infinity
  private readonly perTick: number
  private readonly burst: number
  private readonly maxPerTick: number
  private readonly depth: number
  private credit: number
  private primed = false
  private underruns = 0
  private applied = 0
  private snaps = { full: 0, delta: 0, partial: 0, lastBytes: 0, maxBytes: 0 }

  constructor(
    readonly entityId: number,
    o: {
      sanitize: (input: NetInput<F>) => NetInput<F> | undefined
      /** Inputs credited per tick: inputRate / tickRate. */
      inputsPerTick: number
      /** Most inputs one tick may catch up on after a late packet. */
      inputBurst: number
      /** Inputs kept buffered against arrival jitter (each adds 1000 / inputRate ms of latency). */
      inputDepth: number
      historySize: number
      priority: PriorityOptions
    },
  ) {
    this.receiver = new InputReceiver({ sanitize: o.sanitize })
    this.history = new SnapshotHistory(o.historySize)
    this.priority = new PriorityAccumulator(o.priority)
    this.perTick = o.inputsPerTick
    this.burst = Math.max(o.inputBurst, Math.ceil(o.inputsPerTick))
    this.credit = this.burst
    this.maxPerTick = Math.max(1, Math.ceil(1.5 * o.inputsPerTick))
    this.depth = Math.max(0, o.inputDepth)
  }

  /**
   * The inputs to apply this tick: a jitter buffer. Inputs arrive bunched (jitter, reordering, a
   * packet lost and its inputs carried by the next), and applying them as they come makes the entity
   * stall and leap for everyone else. So the buffer first fills to a tick's inputs plus `depth`, then drains at the
   * input rate; after a late packet it catches up at 1.5x at most; once it runs dry it refills.
   * Credit accrues at the input rate only, so sending more inputs than the rate gains nothing (a speed
   * hack); at most `inputBurst` inputs of credit are kept for catching up.
   */
  take(now: number): NetInput<F>[] {
    if (!this.primed) {
      if (this.receiver.pending < this.perTick + this.depth) return []
      this.primed = true
      this.credit = this.perTick
    } else this.credit = Math.min(this.burst, this.credit + this.perTick)
    const inputs = this.receiver.take(now, Math.min(Math.floor(this.credit), this.maxPerTick))
    this.credit -= inputs.length
    this.applied += inputs.length
    if (this.receiver.pending === 0 && inputs.length < Math.floor(this.perTick)) {
      // Ran dry: the client paused, or its packets are late. Refill before draining again.
      this.primed = false
      this.underruns++
    }
    return inputs
  }

  sent(bytes: number, full: boolean, partial: boolean): void {
    if (full) this.snaps.full++
    else this.snaps.delta++
    if (partial) this.snaps.partial++
    this.snaps.lastBytes = bytes
    this.snaps.maxBytes = Math.max(this.snaps.maxBytes, bytes)
  }

  stats(): NetPeerStats {
    return {
      entityId: this.entityId,
      inputs: this.receiver.stats,
      applied: this.applied,
      pending: this.receiver.pending,
      underruns: this.underruns,
      lastProcessedInput: this.receiver.lastProcessed,
      snapshots: { ...this.snaps },
      ackedTick: this.history.base()?.tick,
      renderTime: this.renderTime,
    }
  }
}
