import { defineSchema, t } from '../../shared/schema/index'

/** Every field kind, on both channels. */
const allKinds = {
  u8: t.uint8(),
  u16: t.uint16(),
  u32: t.uint32(),
  i8: t.int8(),
  i16: t.int16(),
  i32: t.int32(),
  f32: t.float32(),
  f64: t.float64(),
  q: t.quantized({ min: -1000, max: 1000, step: 0.01 }),
  flag: t.bool(),
  name: t.string({ maxLength: 32 }),
  mode: t.enum(['ffa', 'teams', 'ctf']),
  blob: t.binary({ maxLength: 64 }),
  list: t.array(t.object({ id: t.uint16(), tag: t.optional(t.string({ maxLength: 8 })) }), { maxLength: 16 }),
  nested: t.object({ inner: t.object({ depth: t.uint8() }) }),
  maybe: t.optional(t.int32()),
}

export const testSchema = defineSchema({
  kindsFast: { channel: 'unreliable', fields: allKinds },
  kindsSafe: { channel: 'reliable', fields: allKinds },
  chat: { channel: 'reliable', fields: { seq: t.uint32(), text: t.string({ maxLength: 200 }) } },
  bulk: { channel: 'reliable', fields: { seq: t.uint32(), data: t.binary({ maxLength: 2 * 1024 * 1024 }) } },
  // `pad` may outgrow one packet (~1,200 B), which the stats count as `multiPacketOut`.
  state: { channel: 'unreliable', direction: 'toClient', fields: { seq: t.uint32(), sentAt: t.float64(), pad: t.binary({ maxLength: 2000 }) } },
  input: { channel: 'unreliable', direction: 'toServer', fields: { seq: t.uint32(), dx: t.int8(), dy: t.int8() } },
  echo: { channel: 'unreliable', fields: { seq: t.uint32() } },
})
export type TestSchema = typeof testSchema
