import type { Rewound } from '../../shared/netcode/lag-compensation'
import { requireNetcodeMessages, type NetcodeDeclarations, type NetInput, type NetSchema } from '../../shared/netcode/net-messages'
import type { PriorityOptions } from '../../shared/netcode/priority'
import { SnapshotCodec, type EntityLayout, type EntityOf, type Snapshot } from '../../shared/netcode/snapshot-delta'
import { TickLoop, type TickLoopStats } from '../../shared/netcode/tick-loop'
import { runTickLoop } from '../../shared/netcode/tick-runner'
import { MSGPACK_HEADER, type FieldMap } from '../../shared/schema/field'
import type { TrafficRate } from '../../shared/stats/traffic-counters'
import { realClock, type Clock } from '../../shared/transport/clock'
import type { GameServer } from '../transport/game-server'
import type { ServerConnection } from '../transport/server-connection'
import { NetPeer, type NetPeerStats } from './net-peer'
import { RoomLagCompensation, type RoomLagCompensationOptions } from './room-lag-compensation'
import { planSnapshot, xyPosition, type Plan } from './snapshot-planner'
import { TickTiming, type TickTimingStats } from './tick-timing'

/** The game, as the room drives it. The room owns no game state: entities live in the game. */
export interface NetRoomGame<F extends FieldMap, L extends EntityLayout> {
  /** Entity fields, each integer-valued (`t.quantized`, `t.uint8`, ...): the snapshot layout. */
  readonly layout: L
  /** Authority over inputs: refuse (undefined) or clamp. Clients run the same function before predicting. */
  sanitize(input: NetInput<F>): NetInput<F> | undefined
  /** One input of the player controlling `entityId`, held for `dtMs` (1000 / inputRate, as the client predicts it). */
  applyInput(entityId: number, input: NetInput<F>, dtMs: number): void
  /** Advances everything else by one tick. */
  step?(dtMs: number, tick: number): void
  /** The world after the tick: entity id to state. Read once per tick; quantized by the room. */
  entities(): ReadonlyMap<number, EntityOf<L>>
}

export interface NetRoomOptions<F extends FieldMap, L extends EntityLayout> {
  /** The declarations spread into the server's schema (checked against it). */
  messages: NetcodeDeclarations<F>
  game: NetRoomGame<F, L>
  /** Simulation ticks per second, 20-60. Default 30. */
  tickRate?: number
  /** A snapshot every this many ticks. Default 1. */
  snapshotEvery?: number
  /** Inputs per second clients sample (told in netJoin). Default 60. */
  inputRate?: number
  /** Inputs one tick may catch up on after a late packet. Default 8. */
  inputBurst?: number
  /**
   * Inputs held in each client's jitter buffer (beyond one tick's worth) before they are applied:
   * smoother motion for the other players, at 1000 / inputRate ms of latency each. Default: one tick's worth.
   */
  inputDepth?: number
  /** Ticks one timer wake may catch up on; beyond that the debt is dropped. Default 4. */
  maxCatchUpTicks?: number
  /** Send each client only entities within `radius` of its own entity. Default: everything. */
  interest?: { radius: number; hysteresis?: number }
  /** Where an entity is, for interest and priority. Default: its `x` and `y` fields. */
  position?: (e: EntityOf<L>) => { x: number; y: number }
  /** Who goes first when not everything fits. */
  priority?: Omit<PriorityOptions, 'budgetBytes'>
  /** Bytes of snapshot per packet. Default: the declared `maxSnapshotBytes`. */
  budgetBytes?: number
  /** Snapshots remembered per client as delta bases. Default 64 (2 s at 30 Hz). */
  historySize?: number
  /** History kept, and how far a client's view may reach back (its measured round trip + render delay + margin). */
  lagCompensation?: RoomLagCompensationOptions
  clock?: Clock
}

export interface NetRoomStats {
  tick: TickLoopStats
  /** Wall time the room spent per tick (inputs, step, quantize, plan + encode + send per client). */
  tickTime: TickTimingStats
  clients: number
  entities: number
  /** Snapshots the channel refused (send buffer full). */
  snapshotsDropped: number
}

export interface NetClientView extends NetPeerStats {
  /** netSnapshot traffic to this client, as the link counts it (updated every stats interval). */
  snapshotTraffic: TrafficRate | undefined
}

type NetConn<F extends FieldMap> = ServerConnection<NetSchema<F>>
interface Member<F extends FieldMap, L extends EntityLayout> {
  conn: NetConn<F>
  peer: NetPeer<F, L>
  off: (() => void)[]
}

const JOIN_RESEND_MS = 500

/**
 * A server-authoritative room: a fixed-step tick loop on real timers, inputs per client, and a
 * delta-compressed snapshot per client per snapshot tick (against what that client acknowledged).
 */
export class NetRoom<S extends NetSchema<F>, F extends FieldMap, L extends EntityLayout> {
  readonly codec: SnapshotCodec<L>
  readonly tickRate: number
  readonly snapshotEvery: number
  readonly inputRate: number
  private readonly members = new Map<string, Member<F, L>>()
  /** Hit tests as each client saw the world: `room.lagCompensation.hitTest(conn, renderTime, (world) => ...)`. */
  readonly lagCompensation: RoomLagCompensation<EntityOf<L>>
  private readonly timing = new TickTiming()
  private readonly clock: Clock
  private readonly budget: number
  private readonly position: (e: EntityOf<L>) => { x: number; y: number }
  private readonly loop: TickLoop
  private runner: { stop(): void } | undefined
  private epoch: number | undefined
  private world: Snapshot<L> | undefined
  private worldSlot = 0
  private dropped = 0

  constructor(
    server: GameServer<S>,
    private readonly options: NetRoomOptions<F, L>,
  ) {
    requireNetcodeMessages(server.schema, options.messages)
    this.tickRate = options.tickRate ?? 30
    if (!(this.tickRate >= 20 && this.tickRate <= 60)) throw new RangeError('NetRoom: tickRate must be 20..60')
    this.snapshotEvery = Math.max(1, Math.floor(options.snapshotEvery ?? 1))
    this.inputRate = options.inputRate ?? 60
    if (!(this.inputRate >= 1 && this.inputRate <= 255)) throw new RangeError('NetRoom: inputRate must be 1..255')
    this.codec = new SnapshotCodec(options.game.layout)
    this.clock = options.clock ?? realClock
    // The binary field's bound is its maxLength plus the msgpack header (see shared/schema/scalars.ts).
    const declared = options.messages.netSnapshot.fields.data.maxWireBytes - MSGPACK_HEADER
    this.budget = Math.min(declared, options.budgetBytes ?? declared)
    this.position = options.position ?? xyPosition
    this.loop = new TickLoop({ tickRate: this.tickRate, maxCatchUpTicks: options.maxCatchUpTicks ?? 4, onTick: (tick, dt) => this.onTick(tick, dt) })
    this.lagCompensation = new RoomLagCompensation(this.clock, this.snapshotEvery * this.loop.dtMs, options.lagCompensation)
  }

  get dtMs(): number {
    return this.loop.dtMs
  }

  get running(): boolean {
    return this.runner !== undefined
  }

  /** Starts ticking on the room's clock. */
  start(): void {
    this.runner ??= runTickLoop(this.loop, this.clock)
  }

  stop(): void {
    this.runner?.stop()
    this.runner = undefined
  }

  /** Server time (ms, the room's clock) of schedule slot `slot`. */
  timeOfSlot(slot: number): number {
    return (this.epoch ?? 0) + slot * this.loop.dtMs
  }

  /**
   * Lets `conn` play `entityId` (an entity the game's `entities()` returns, or will). The client is
   * told with netJoin until its first input shows it listens. Removed automatically on disconnect.
   */
  add(conn: ServerConnection<S>, entityId: number): void {
    if (!Number.isSafeInteger(entityId) || entityId < 0 || entityId > 0xffffffff) throw new RangeError(`NetRoom: bad entity id ${entityId}`)
    this.remove(conn)
    // The schema was checked in the constructor: the connection speaks the netcode messages.
    const c = conn as unknown as NetConn<F>
    const peer = new NetPeer<F, L>(entityId, {
      sanitize: (i) => this.options.game.sanitize(i),
      inputsPerTick: this.inputRate / this.tickRate,
      inputBurst: this.options.inputBurst ?? 8,
      inputDepth: this.options.inputDepth ?? Math.ceil(this.inputRate / this.tickRate),
      historySize: this.options.historySize ?? 64,
      priority: this.options.priority ?? {},
    })
    const off = [
      c.on('netInput', (msg) => {
        peer.heard = true
        if (msg.ack !== undefined) peer.history.ack(msg.ack)
        // Kept as claimed; lagCompensation clamps it to what the server measured for this client when used.
        if (msg.renderTime !== undefined) {
          peer.renderTime = msg.renderTime
          this.lagCompensation.report(conn.id, msg.renderTime)
        }
        peer.receiver.receive(msg.inputs)
      }),
      c.events.on('close', () => this.remove(conn)),
      // Back from a cut: what the client holds is unknown, so it gets the whole world at once.
      ...(c.session ? [c.session.events.on('resumed', () => this.resync(c, peer))] : []),
    ]
    this.members.set(conn.id, { conn: c, peer, off })
    if (this.epoch !== undefined) this.sendJoin(c, peer)
  }

  /** Stops sending to `conn` (its entity stays in the game until the game removes it). */
  remove(conn: ServerConnection<S>): void {
    const m = this.members.get(conn.id)
    if (!m) return
    for (const off of m.off) off()
    this.members.delete(conn.id)
    this.lagCompensation.forget(conn.id)
  }

  has(conn: ServerConnection<S>): boolean {
    return this.members.has(conn.id)
  }

  /**
   * Entity states at server time `time` (the server's choice: clamped to the history only), or, without
   * it, as `conn`'s player saw them: its last reported render time, clamped to its measured round trip
   * + render delay + margin (see `lagCompensation`, which also runs hit tests). Undefined if unknown.
   */
  rewind(conn: ServerConnection<S>, time?: number): Rewound<EntityOf<L>> | undefined {
    return time === undefined ? this.lagCompensation.rewind(conn) : this.lagCompensation.history.rewind(time)
  }

  /** The last tick's world as clients decode it (quantized). */
  get lastWorld(): Snapshot<L> | undefined {
    return this.world
  }

  stats(): NetRoomStats {
    return { tick: this.loop.stats, tickTime: this.timing.stats(), clients: this.members.size, entities: this.world?.entities.size ?? 0, snapshotsDropped: this.dropped }
  }

  /** Forgets the tick-time window (e.g. between benchmark phases). */
  resetTiming(): void {
    this.timing.reset()
  }

  clientStats(conn: ServerConnection<S>): NetClientView | undefined {
    const m = this.members.get(conn.id)
    if (!m) return undefined
    return { ...m.peer.stats(), snapshotTraffic: m.conn.stats().messagesOut.netSnapshot }
  }

  private onTick(tick: number, dtMs: number): void {
    // CPU cost of the tick: performance.now() on purpose, not the room's (possibly simulated) clock.
    const started = performance.now()
    const now = this.clock.now()
    const scheduled = this.loop.nextTickAt! - dtMs
    this.epoch ??= scheduled
    const slot = Math.round((scheduled - this.epoch) / dtMs)
    const game = this.options.game
    const inputDt = 1000 / this.inputRate
    for (const { peer } of this.members.values()) for (const input of peer.take(now)) game.applyInput(peer.entityId, input, inputDt)
    game.step?.(dtMs, tick)
    const world = this.codec.quantize({ tick, entities: game.entities() })
    this.world = world
    this.worldSlot = slot
    this.lagCompensation.history.record(this.timeOfSlot(slot), world.entities)
    // Clients that acknowledged the same base get the same delta when everything fits: encoded once.
    const shared = new Map<Snapshot<L> | undefined, Plan<L>>()
    for (const { conn, peer } of this.members.values()) {
      if (!peer.heard && now - peer.lastJoinAt >= JOIN_RESEND_MS) this.sendJoin(conn, peer)
      if (tick % this.snapshotEvery === 0) this.sendSnapshot(conn, peer, world, slot, shared)
    }
    this.timing.add(performance.now() - started)
  }

  private sendSnapshot(conn: NetConn<F>, peer: NetPeer<F, L>, world: Snapshot<L>, slot: number, shared: Map<Snapshot<L> | undefined, Plan<L>>): void {
    const base = peer.history.base()?.snapshot
    const selfId = world.entities.has(peer.entityId) ? peer.entityId : undefined
    const plan = shared.get(base) ?? planSnapshot({
      codec: this.codec,
      world,
      base,
      selfId,
      budgetBytes: this.budget,
      priority: peer.priority,
      position: this.position,
      interestRadius: this.options.interest?.radius,
      hysteresis: this.options.interest?.hysteresis,
    })
    // Only a plan that is the whole world is the same for everyone with this base (interest and priority are per client).
    if (this.options.interest === undefined && !plan.partial && plan.snapshot === world) shared.set(base, plan)
    peer.history.put(world.tick, plan.snapshot)
    peer.sent(plan.bytes.byteLength, base === undefined, plan.partial)
    const ok = conn.send('netSnapshot', { data: plan.bytes, slot, partial: plan.partial, lastInput: peer.receiver.lastProcessed })
    if (!ok) this.dropped++
  }

  /** A full snapshot of the last tick's world, now, and deltas against it from then on. */
  private resync(conn: NetConn<F>, peer: NetPeer<F, L>): void {
    peer.history.clearAck()
    if (this.world) this.sendSnapshot(conn, peer, this.world, this.worldSlot, new Map())
  }

  private sendJoin(conn: NetConn<F>, peer: NetPeer<F, L>): void {
    peer.lastJoinAt = this.clock.now()
    conn.send('netJoin', { entityId: peer.entityId, tickRate: this.tickRate, snapshotEvery: this.snapshotEvery, inputRate: this.inputRate, epoch: this.epoch ?? 0 })
  }
}
