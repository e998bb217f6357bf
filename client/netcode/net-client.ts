import { ClockSync, type ClockSyncOptions, type ClockSyncStats } from '../../shared/netcode/clock-sync'
import { InputSender } from '../../shared/netcode/input-redundancy'
import { requireNetcodeMessages, type NetcodeDeclarations, type NetInput, type NetSchema } from '../../shared/netcode/net-messages'
import { Predictor, type PredictorStats } from '../../shared/netcode/prediction'
import { RenderClock } from '../../shared/netcode/render-clock'
import { readDeltaHeader, SnapshotCodec, type EntityLayout, type EntityOf, type Snapshot } from '../../shared/netcode/snapshot-delta'
import { SnapshotHistory } from '../../shared/netcode/snapshot-history'
import { TickLoop } from '../../shared/netcode/tick-loop'
import { runTickLoop } from '../../shared/netcode/tick-runner'
import type { FieldMap, InferFields } from '../../shared/schema/field'
import type { Payload } from '../../shared/schema/index'
import { realClock, type Clock } from '../../shared/transport/clock'
import type { GameClient } from '../transport/game-client'
import { InputWire } from './input-wire'
import { RemoteEntities, type RemoteEntityStats } from './remote-entities'

/** The game, as the client drives it: the same rules the server's NetRoomGame applies. */
export interface NetClientGame<F extends FieldMap, L extends EntityLayout> {
  readonly layout: L
  /** The player's input now, called at the input rate; undefined: nothing new this time. */
  sampleInput(): InferFields<F> | undefined
  /** The server's own sanitize: prediction is exact only if both ends simulate the same floats. */
  sanitize(input: NetInput<F>): NetInput<F> | undefined
  /** Pure: the own entity after one input held for `dtMs`; what the server's applyInput does. */
  simulate(state: EntityOf<L>, input: NetInput<F>, dtMs: number): EntityOf<L>
}

export interface NetClientOptions<F extends FieldMap, L extends EntityLayout> {
  messages: NetcodeDeclarations<F>
  game: NetClientGame<F, L>
  /** Fields in radians, interpolated the short way round. */
  angles?: readonly string[]
  /** Past the newest snapshot, remote entities are extrapolated this long, then held. Default 250 ms. */
  maxExtrapolationMs?: number
  /** A misprediction fades out over this long. Default 100 ms. */
  smoothMs?: number
  /** A misprediction larger than this is shown at once (teleport). Default Infinity. */
  snapBeyond?: number
  /** Differences up to this between prediction and server count as agreement. Default: the layout's largest quantization step. */
  predictionTolerance?: number
  /** Decoded snapshots kept as delta bases. Default 64. */
  historySize?: number
  clockSync?: ClockSyncOptions
  clock?: Clock
}

export interface NetFrame<L extends EntityLayout> {
  /** The own entity, predicted (undefined until the first snapshot holds it). */
  self: EntityOf<L> | undefined
  /** Remote entities at `renderTime`. */
  others: Map<number, EntityOf<L>>
  /** Server time remote entities are drawn at (NaN before the first snapshot). */
  renderTime: number
}

export interface NetClientStats {
  joined: boolean
  snapshots: { received: number; decoded: number; perSec: number; droppedNoBase: number; duplicate: number; malformed: number; beforeJoin: number; partial: number }
  inputs: { sent: number; refused: number; packets: number }
  prediction: PredictorStats | undefined
  remote: RemoteEntityStats
  clock: ClockSyncStats & { synced: boolean; rtt: number }
  renderDelayMs: number
  jitterMs: number
}

type Join = Payload<NetSchema<FieldMap>, 'netJoin'>

/**
 * The client end of the netcode on a connected GameClient: samples and predicts inputs, sends them
 * with redundancy and acks, decodes snapshots against the right base, reconciles the own entity and
 * interpolates the others. `render(now)` says what to draw.
 */
export class NetClient<S extends NetSchema<F>, F extends FieldMap, L extends EntityLayout> {
  readonly codec: SnapshotCodec<L>
  readonly clockSync: ClockSync
  private readonly net: GameClient<NetSchema<F>>
  private readonly clock: Clock
  private readonly history: SnapshotHistory<Snapshot<L>>
  private readonly remote: RemoteEntities<EntityOf<L>>
  private readonly wire: InputWire<F>
  private readonly tolerance: number
  private join: Join | undefined
  private renderClock: RenderClock | undefined
  private predictor: Predictor<EntityOf<L>, NetInput<F>> | undefined
  private readonly sender: InputSender<NetInput<F>>
  private inputLoop: { stop(): void } | undefined
  private newestTick: number | undefined
  private seq = 0
  private readonly arrivals: number[] = []
  private readonly off: (() => void)[] = []
  private readonly s = {
    snapshots: { received: 0, decoded: 0, droppedNoBase: 0, duplicate: 0, malformed: 0, beforeJoin: 0, partial: 0 },
    inputs: { sent: 0, refused: 0, packets: 0 },
  }

  constructor(
    client: GameClient<S>,
    private readonly options: NetClientOptions<F, L>,
  ) {
    const schema = requireNetcodeMessages(client.schema, options.messages)
    // Checked just above: the one cast from the app's schema to the netcode's view of it.
    this.net = client as unknown as GameClient<NetSchema<F>>
    this.clock = options.clock ?? realClock
    this.codec = new SnapshotCodec(options.game.layout)
    this.history = new SnapshotHistory(options.historySize ?? 64)
    this.remote = new RemoteEntities({ angles: options.angles, maxExtrapolationMs: options.maxExtrapolationMs })
    this.wire = new InputWire(schema)
    this.clockSync = new ClockSync(options.clockSync)
    this.tolerance = options.predictionTolerance ?? largestStep(options.game.layout)
    this.sender = new InputSender(this.wire.maxInputsPerPacket)
    this.off.push(
      this.net.raw.events.on('pong', (p) => void this.clockSync.addSample(p.sentAt, p.peerTime, p.receivedAt)),
      this.net.on('netJoin', (j) => this.onJoin(j)),
      this.net.on('netSnapshot', (m) => this.onSnapshot(m)),
      this.net.events.on('disconnect', () => this.stop()),
    )
  }

  /** The entity this client controls, once joined. */
  get entityId(): number | undefined {
    return this.join?.entityId
  }

  get joined(): boolean {
    return this.join !== undefined
  }

  /** Estimated server clock (ms) at local time `now`. */
  serverNow(now = this.clock.now()): number {
    return this.clockSync.serverNow(now)
  }

  /** What to draw at local time `now`. */
  render(now = this.clock.now()): NetFrame<L> {
    const renderTime = this.renderClock?.renderTime(now) ?? Number.NaN
    return { self: this.predictor?.render(now), others: this.remote.sample(renderTime), renderTime }
  }

  stats(): NetClientStats {
    const now = this.clock.now()
    while (this.arrivals.length > 0 && this.arrivals[0]! < now - 1000) this.arrivals.shift()
    return {
      joined: this.joined,
      snapshots: { ...this.s.snapshots, perSec: this.arrivals.length },
      inputs: { ...this.s.inputs },
      prediction: this.predictor?.stats,
      remote: this.remote.stats(),
      clock: { ...this.clockSync.stats, synced: this.clockSync.synced, rtt: this.clockSync.rtt },
      renderDelayMs: this.renderClock?.delayMs ?? 0,
      jitterMs: this.renderClock?.jitterMs ?? 0,
    }
  }

  /** Stops sampling and listening (the GameClient stays connected). */
  stop(): void {
    this.inputLoop?.stop()
    this.inputLoop = undefined
    for (const off of this.off.splice(0)) off()
  }

  private onJoin(j: Join): void {
    if (this.join) return // repeated until the server hears our first input
    this.join = j
    const dt = 1000 / j.tickRate
    this.renderClock = new RenderClock({ intervalMs: dt * j.snapshotEvery })
    const loop = new TickLoop({ tickRate: j.inputRate, onTick: () => this.sendInput() })
    this.inputLoop = runTickLoop(loop, this.clock)
  }

  /** One input period: sample, quantize + sanitize as the server will, predict, send with the ack. */
  private sendInput(): void {
    const raw = this.predictor ? this.options.game.sampleInput() : undefined
    let packet: NetInput<F>[]
    if (raw !== undefined && this.predictor) {
      const sent = this.wire.roundTrip({ ...raw, seq: this.seq } as NetInput<F>)
      const applied = sent && this.options.game.sanitize(sent)
      if (sent && applied) {
        this.seq = (this.seq + 1) & 0xffff
        this.predictor.apply(applied)
        packet = this.sender.push(sent)
        this.s.inputs.sent++
      } else {
        this.s.inputs.refused++
        packet = this.sender.repeat()
      }
    } else packet = this.sender.repeat()
    const renderTime = this.renderClock?.renderTime(this.clock.now())
    this.net.send('netInput', { ack: this.newestTick, renderTime: Number.isFinite(renderTime) ? renderTime : undefined, inputs: packet })
    this.s.inputs.packets++
  }

  private onSnapshot(m: Payload<NetSchema<F>, 'netSnapshot'>): void {
    const s = this.s.snapshots
    s.received++
    const join = this.join
    if (!join || !this.renderClock) return void s.beforeJoin++
    let header: ReturnType<typeof readDeltaHeader>
    try {
      header = readDeltaHeader(m.data)
    } catch {
      return void s.malformed++
    }
    if (this.history.get(header.tick)) return void s.duplicate++
    const base = header.baseTick === undefined ? undefined : this.history.get(header.baseTick)
    if (header.baseTick !== undefined && !base) return void s.droppedNoBase++
    let snap: Snapshot<L>
    try {
      snap = this.codec.decode(base, m.data)
    } catch {
      return void s.malformed++
    }
    s.decoded++
    if (m.partial) s.partial++
    const now = this.clock.now()
    this.arrivals.push(now)
    this.history.put(snap.tick, snap)
    const newest = this.newestTick === undefined || snap.tick > this.newestTick
    if (newest) this.newestTick = snap.tick
    const time = join.epoch + (m.slot * 1000) / join.tickRate
    this.renderClock.onSnapshot(time, now)

    const own = snap.entities.get(join.entityId)
    if (own) this.reconcile(snap.tick, own, m.lastInput, now)
    for (const [id, state] of snap.entities) {
      if (id === join.entityId) continue
      // In a partial snapshot an entity equal to the base may just have been left out: no news about it.
      const before = base?.entities.get(id)
      if (m.partial && before && sameState(before, state)) continue
      this.remote.push(id, time, state)
    }
    if (!newest) return
    // A complete snapshot lists every relevant entity: the others are gone. A partial one only says
    // which of its base's entities were removed; absent entities the base lacked are just not sent yet.
    if (!m.partial) this.remote.retainOnly((id) => id === join.entityId || snap.entities.has(id), time)
    else for (const id of base?.entities.keys() ?? []) if (!snap.entities.has(id)) this.remote.remove(id, time)
  }

  private reconcile(tick: number, own: EntityOf<L>, lastInput: number | undefined, now: number): void {
    if (!this.predictor) {
      this.predictor = new Predictor<EntityOf<L>, NetInput<F>>({
        simulate: this.options.game.simulate,
        dtMs: 1000 / this.join!.inputRate,
        initial: own,
        smoothMs: this.options.smoothMs,
        snapBeyond: this.options.snapBeyond,
        tolerance: this.tolerance,
        angles: this.options.angles,
      })
      return
    }
    this.predictor.reconcile(tick, own, lastInput, now)
    if (lastInput !== undefined) this.sender.ack(lastInput)
  }
}

function sameState(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  for (const k of Object.keys(b)) if (a[k] !== b[k]) return false
  return true
}

/** Half a step would do for pure translation; a whole step leaves room for float error and non-linear rules. */
function largestStep(layout: EntityLayout): number {
  let step = 0
  for (const f of Object.values(layout)) {
    const m = /^quantized\([^,]+,[^,]+,([^)]+)\)$/.exec(f.signature)
    if (m) step = Math.max(step, Number(m[1]))
  }
  return step
}
