/**
 * Bytes per snapshot for 100 entities (id, x, y, angle, vx, vy, hp, flags), ours against
 * @colyseus/schema 5 on the very same states, tick after tick at 30 Hz, in three scenes: all moving
 * (x, y and angle change every tick), 10% moving, none moving.
 */
import { Encoder, schema as colySchema, t as ct } from '@colyseus/schema'
import { SnapshotCodec, type EntityOf, type Snapshot } from '../shared/netcode/snapshot-delta'
import { t } from '../shared/schema/index'
import { seededRandom } from '../shared/transport/random'

export const TICK_RATE = 30
const TICKS = 60
const COUNT = 100
/** Acks come back a round trip later: at 100 ms RTT and 30 Hz the base is 3 ticks old. */
const ACK_LAG_TICKS = 3

export const benchLayout = {
  x: t.quantized({ min: 0, max: 1000, step: 0.01 }),
  y: t.quantized({ min: 0, max: 1000, step: 0.01 }),
  angle: t.quantized({ min: -Math.PI, max: Math.PI, step: 0.001 }),
  vx: t.quantized({ min: -20, max: 20, step: 0.01 }),
  vy: t.quantized({ min: -20, max: 20, step: 0.01 }),
  hp: t.uint8(),
  flags: t.uint8(),
}
type L = typeof benchLayout
export type BenchEntity = EntityOf<L>

export function makeWorld(seed = 42): Map<number, BenchEntity> {
  const rnd = seededRandom(seed)
  const out = new Map<number, BenchEntity>()
  for (let i = 0; i < COUNT; i++) {
    out.set(1000 + i * 7, {
      x: 100 + rnd() * 800,
      y: 100 + rnd() * 800,
      angle: (rnd() * 2 - 1) * 3,
      vx: (rnd() * 2 - 1) * 10,
      vy: (rnd() * 2 - 1) * 10,
      hp: 1 + Math.floor(rnd() * 100),
      flags: Math.floor(rnd() * 16),
    })
  }
  return out
}

/** One tick of a scene: the first `moving` entities walk their velocity and turn a little. */
export function advance(world: Map<number, BenchEntity>, moving: number): Map<number, BenchEntity> {
  const next = new Map<number, BenchEntity>()
  let i = 0
  for (const [id, e] of world) {
    if (i++ >= moving) next.set(id, e)
    else next.set(id, { ...e, x: e.x + e.vx / TICK_RATE, y: e.y + e.vy / TICK_RATE, angle: wrap(e.angle + 0.05) })
  }
  return next
}

const wrap = (a: number) => (a >= Math.PI ? a - 2 * Math.PI : a)

/** Hand-packed float32 full snapshot: u16 count, then u16 id, 5 x f32, u8 hp, u8 flags per entity. */
export function handPackedBytes(count: number): number {
  return 2 + count * 24
}

interface SceneResult {
  /** Mean bytes per tick. */
  ours: number
  /** Against a base `ACK_LAG_TICKS` old, as with 100 ms RTT. */
  oursAckLag: number
  oursMax: number
  oursFull: number
  colyseus: number
  colyseusQuantized: number
}

function colyseusEncoders() {
  const Entity = colySchema({ x: ct.float32(), y: ct.float32(), angle: ct.float32(), vx: ct.float32(), vy: ct.float32(), hp: ct.uint8(), flags: ct.uint8() }, 'Entity')
  const State = colySchema({ entities: ct.map(Entity) }, 'State')
  // Colyseus' own quantized fields (16-bit by default), for a like-for-like precision comparison.
  const QEntity = colySchema(
    {
      x: ct.quantized({ min: 0, max: 1000 }),
      y: ct.quantized({ min: 0, max: 1000 }),
      angle: ct.angle(),
      vx: ct.quantized({ min: -20, max: 20 }),
      vy: ct.quantized({ min: -20, max: 20 }),
      hp: ct.uint8(),
      flags: ct.uint8(),
    },
    'QEntity',
  )
  const QState = colySchema({ entities: ct.map(QEntity) }, 'QState')
  return { Entity, State, QEntity, QState }
}

type ColyState = { entities: Map<string, Record<string, number>> }

/** Full encode, then one patch per tick; returns [full bytes, mean patch bytes]. */
function colyseusRun(quantized: boolean, ticks: Map<number, BenchEntity>[]): [number, number] {
  const c = colyseusEncoders()
  const StateClass = quantized ? c.QState : c.State
  const EntityClass = quantized ? c.QEntity : c.Entity
  const state = new StateClass() as unknown as ColyState
  const entities = new Map<number, Record<string, number>>()
  for (const [id, e] of ticks[0]!) {
    const ent = new EntityClass() as unknown as Record<string, number>
    Object.assign(ent, e)
    state.entities.set(String(id), ent)
    entities.set(id, ent)
  }
  const encoder = new Encoder(state as never)
  const full = encoder.encodeAll().byteLength
  encoder.discardChanges()
  let total = 0
  for (let k = 1; k < ticks.length; k++) {
    for (const [id, e] of ticks[k]!) {
      const ent = entities.get(id)!
      // Assign only what changed, as game code would (Colyseus also skips equal assignments).
      for (const key of Object.keys(e) as (keyof BenchEntity)[]) if (ent[key] !== e[key]) ent[key] = e[key]
    }
    total += encoder.encode().byteLength
    encoder.discardChanges()
  }
  return [full, total / (ticks.length - 1)]
}

function scene(moving: number): SceneResult {
  const codec = new SnapshotCodec(benchLayout)
  const ticks = [makeWorld()]
  for (let k = 1; k <= TICKS; k++) ticks.push(advance(ticks[k - 1]!, moving))
  const snaps: Snapshot<L>[] = ticks.map((entities, tick) => codec.quantize({ tick, entities }))
  let sum = 0
  let sumLag = 0
  let max = 0
  let fullSum = 0
  for (let k = 1; k <= TICKS; k++) {
    const n = codec.encode(snaps[k - 1], snaps[k]!).byteLength
    sum += n
    max = Math.max(max, n)
    sumLag += codec.encode(snaps[Math.max(0, k - ACK_LAG_TICKS)], snaps[k]!).byteLength
    fullSum += codec.encode(undefined, snaps[k]!).byteLength
  }
  const [, patch] = colyseusRun(false, ticks)
  const [, qpatch] = colyseusRun(true, ticks)
  return { ours: sum / TICKS, oursAckLag: sumLag / TICKS, oursMax: max, oursFull: fullSum / TICKS, colyseus: patch, colyseusQuantized: qpatch }
}

const r1 = (x: number) => Math.round(x * 10) / 10

export function measureBytes(): Record<string, unknown> {
  const codec = new SnapshotCodec(benchLayout)
  const first = makeWorld()
  const full = codec.encode(undefined, codec.quantize({ tick: 0, entities: first })).byteLength
  const [colyFull] = colyseusRun(false, [first])
  const [colyQFull] = colyseusRun(true, [first])
  const all = scene(COUNT)
  const tenth = scene(COUNT / 10)
  const idle = scene(0)
  const handPacked = handPackedBytes(COUNT)
  return {
    'netcode.bytes.ours.full': full,
    'netcode.bytes.ours.delta100': r1(all.ours),
    'netcode.bytes.ours.delta10': r1(tenth.ours),
    'netcode.bytes.ours.idle': r1(idle.ours),
    'netcode.bytes.ours.delta100Max': all.oursMax,
    'netcode.bytes.ours.delta100AckLag3': r1(all.oursAckLag),
    'netcode.bytes.colyseus.full': colyFull,
    'netcode.bytes.colyseus.patch100': r1(all.colyseus),
    'netcode.bytes.colyseus.patch10': r1(tenth.colyseus),
    'netcode.bytes.colyseus.idle': r1(idle.colyseus),
    'netcode.bytes.colyseusQuantized.full': colyQFull,
    'netcode.bytes.colyseusQuantized.patch100': r1(all.colyseusQuantized),
    'netcode.bytes.colyseusQuantized.patch10': r1(tenth.colyseusQuantized),
    'netcode.bytes.colyseusQuantized.idle': r1(idle.colyseusQuantized),
    'netcode.bytes.handPackedFloat32': handPacked,
    'netcode.bytesPerSec.full': handPacked * TICK_RATE,
    'netcode.bytesPerSec.quantized': Math.round(all.oursFull * TICK_RATE),
    'netcode.bytesPerSec.delta': Math.round(all.ours * TICK_RATE),
    'netcode.bytesPerSec.deltaAckLag3': Math.round(all.oursAckLag * TICK_RATE),
    'netcode.ratio.delta100VsColyseusPatch100': Math.round((all.ours / all.colyseus) * 1000) / 1000,
    'netcode.ratio.deltaVsFloat32Stream': Math.round((all.ours / handPacked) * 1000) / 1000,
  }
}
