/**
 * One 100-entity snapshot through six encodings: size, and encode + decode round trips per second.
 * Codecs take turns in rounds (best round kept: noise on a shared machine only ever slows a round).
 */
import { FLOAT32_OPTIONS, Packr, pack, unpack, Unpackr } from 'msgpackr'
import { seededRandom } from '../shared/transport/random'
import { decodeMessage, encodeMessage, HEADROOM, type MessageSpec } from '../shared/schema/index'
import { benchSchema, WORLD } from './bench-schema'
import type { BenchResults, SizeSpeed } from './stats'

export interface Entity {
  id: number
  x: number
  y: number
  angle: number
  vx: number
  vy: number
  hp: number
  flags: number
}

type SnapshotKey = keyof BenchResults['snapshot']

interface Codec {
  encode(entities: Entity[]): Uint8Array | string
  decode(encoded: Uint8Array | string): Entity[]
  /** Largest error a decoded x or y may show. */
  positionTolerance: number
}

const ROUNDS = 10
const ROUND_MS = 120
const WARMUP_MS = 200
const BATCH = 20

/** Seeded, so sizes are identical from run to run. A quarter of the entities stand still. */
export function makeEntities(count = 100, seed = 42): Entity[] {
  const rnd = seededRandom(seed)
  return Array.from({ length: count }, (_, i) => {
    const moving = rnd() >= 0.25
    return {
      id: 1000 + i * 7,
      x: rnd() * WORLD,
      y: rnd() * WORLD,
      angle: (rnd() * 2 - 1) * Math.PI,
      vx: moving ? (rnd() * 2 - 1) * 10 : 0,
      vy: moving ? (rnd() * 2 - 1) * 10 : 0,
      hp: 1 + Math.floor(rnd() * 100),
      flags: Math.floor(rnd() * 16),
    }
  })
}

const asBytes = (e: Uint8Array | string): Uint8Array => (typeof e === 'string' ? Buffer.from(e) : e)

function schemaCodec(spec: MessageSpec, positionTolerance: number): Codec {
  return {
    // What decodeMessage takes and what travels after the transport's header: [id][msgpack].
    encode: (entities) => encodeMessage(spec, { entities }).subarray(HEADROOM),
    decode(encoded) {
      const d = decodeMessage(benchSchema, asBytes(encoded), 'toClient')
      if (!d.ok) throw d.error
      return (d.data as { entities: Entity[] }).entities
    },
    positionTolerance,
  }
}

function msgpackrStructuresCodec(): Codec {
  // Sender and receiver share one structures array, as if agreed ahead of time.
  const structures: object[] = []
  const packr = new Packr({ structures, useFloat32: FLOAT32_OPTIONS.ALWAYS })
  const unpackr = new Unpackr({ structures })
  return {
    encode: (entities) => packr.pack(entities),
    decode: (encoded) => unpackr.unpack(asBytes(encoded)) as Entity[],
    positionTolerance: 1e-3,
  }
}

/** u16 count, then per entity: u16 id, 5 x f32, u8 hp, u8 flags (24 bytes). */
const HAND_ENTITY_BYTES = 24
const handpacked: Codec = {
  encode(entities) {
    const out = new Uint8Array(2 + entities.length * HAND_ENTITY_BYTES)
    const v = new DataView(out.buffer)
    v.setUint16(0, entities.length, true)
    let at = 2
    for (const e of entities) {
      v.setUint16(at, e.id, true)
      v.setFloat32(at + 2, e.x, true)
      v.setFloat32(at + 6, e.y, true)
      v.setFloat32(at + 10, e.angle, true)
      v.setFloat32(at + 14, e.vx, true)
      v.setFloat32(at + 18, e.vy, true)
      v.setUint8(at + 22, e.hp)
      v.setUint8(at + 23, e.flags)
      at += HAND_ENTITY_BYTES
    }
    return out
  },
  decode(encoded) {
    const b = asBytes(encoded)
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength)
    const n = v.getUint16(0, true)
    if (b.byteLength !== 2 + n * HAND_ENTITY_BYTES) throw new RangeError('bad length')
    const out = new Array<Entity>(n)
    for (let i = 0, at = 2; i < n; i++, at += HAND_ENTITY_BYTES) {
      out[i] = {
        id: v.getUint16(at, true),
        x: v.getFloat32(at + 2, true),
        y: v.getFloat32(at + 6, true),
        angle: v.getFloat32(at + 10, true),
        vx: v.getFloat32(at + 14, true),
        vy: v.getFloat32(at + 18, true),
        hp: v.getUint8(at + 22),
        flags: v.getUint8(at + 23),
      }
    }
    return out
  },
  positionTolerance: 1e-3,
}

function codecs(): Record<SnapshotKey, Codec> {
  return {
    json: { encode: (e) => JSON.stringify(e), decode: (s) => JSON.parse(typeof s === 'string' ? s : Buffer.from(s).toString()) as Entity[], positionTolerance: 0 },
    msgpackr: { encode: (e) => pack(e), decode: (b) => unpack(asBytes(b)) as Entity[], positionTolerance: 0 },
    msgpackrStructures: msgpackrStructuresCodec(),
    schema: schemaCodec(benchSchema.byName.get('snapshot')!, 1e-3),
    // Half a step of 0.02, plus float error.
    schemaQuantized: schemaCodec(benchSchema.byName.get('snapshotQuantized')!, 0.0101),
    handpacked,
  }
}

/** Refuses to time a codec that does not give the entities back. */
function verify(key: string, codec: Codec, entities: Entity[]): void {
  const got = codec.decode(codec.encode(entities))
  const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol + Math.abs(b) * 1e-6
  entities.forEach((e, i) => {
    const g = got[i]
    const ok =
      g !== undefined &&
      g.id === e.id &&
      g.hp === e.hp &&
      g.flags === e.flags &&
      close(g.x, e.x, codec.positionTolerance) &&
      close(g.y, e.y, codec.positionTolerance) &&
      close(g.angle, e.angle, 1e-6) &&
      close(g.vx, e.vx, 1e-6) &&
      close(g.vy, e.vy, 1e-6)
    if (!ok) throw new Error(`snapshot.${key}: entity ${i} came back as ${JSON.stringify(g)}, sent ${JSON.stringify(e)}`)
  })
}

/** Round trips per second over `ms`; the decoded lengths go to a sink so nothing is optimised away. */
function timeRoundTrips(codec: Codec, entities: Entity[], ms: number, sink: { n: number }): number {
  let count = 0
  const start = performance.now()
  let now = start
  do {
    for (let i = 0; i < BATCH; i++) sink.n += codec.decode(codec.encode(entities)).length
    count += BATCH
    now = performance.now()
  } while (now - start < ms)
  return count / ((now - start) / 1000)
}

export function runSnapshot(): BenchResults['snapshot'] {
  const entities = makeEntities()
  const all = codecs()
  const keys = Object.keys(all) as SnapshotKey[]
  const sink = { n: 0 }
  const best = new Map<SnapshotKey, number>()
  for (const key of keys) {
    verify(key, all[key], entities)
    timeRoundTrips(all[key], entities, WARMUP_MS, sink)
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const key of keys) best.set(key, Math.max(best.get(key) ?? 0, timeRoundTrips(all[key], entities, ROUND_MS, sink)))
  }
  if (sink.n === 0) throw new Error('nothing decoded')
  const out = {} as Record<SnapshotKey, SizeSpeed>
  for (const key of keys) {
    const encoded = all[key].encode(entities)
    const bytes = typeof encoded === 'string' ? Buffer.byteLength(encoded) : encoded.byteLength
    out[key] = { bytes, perSec: Math.round(best.get(key)!) }
  }
  return out
}
