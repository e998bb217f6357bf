import { defineSchema, t } from '../shared/schema/index'

/** Positions live in a 0..1000 world. */
export const WORLD = 1000

const float32Entity = t.object({
  id: t.uint16(),
  x: t.float32(),
  y: t.float32(),
  angle: t.float32(),
  vx: t.float32(),
  vy: t.float32(),
  hp: t.uint8(),
  flags: t.uint8(),
})

// 0.02 units over 0..1000 is 50,000 steps: a uint16 (3 msgpack bytes) instead of a float32 (5).
const position = () => t.quantized({ min: 0, max: WORLD, step: 0.02 })
const quantizedEntity = t.object({
  id: t.uint16(),
  x: position(),
  y: position(),
  angle: t.float32(),
  vx: t.float32(),
  vy: t.float32(),
  hp: t.uint8(),
  flags: t.uint8(),
})

/** The bench's own messages; both ends of every "ours" measurement use this schema. */
export const benchSchema = defineSchema({
  echo: { channel: 'unreliable', fields: { seq: t.uint32() } },
  echoReliable: { channel: 'reliable', fields: { seq: t.uint32() } },
  bulk: { channel: 'reliable', fields: { seq: t.uint32(), data: t.binary({ maxLength: 1024 * 1024 }) } },
  snapshot: { channel: 'unreliable', direction: 'toClient', fields: { entities: t.array(float32Entity, { maxLength: 128 }) } },
  snapshotQuantized: { channel: 'unreliable', direction: 'toClient', fields: { entities: t.array(quantizedEntity, { maxLength: 128 }) } },
})
export type BenchSchema = typeof benchSchema
