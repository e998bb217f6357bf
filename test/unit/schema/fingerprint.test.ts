import { describe, expect, it } from 'vitest'
import { defineSchema, t, type Declarations } from '../../../shared/schema/index'
import { testSchema } from '../../support/test-schema'

/** A fresh copy of one declaration set each call, so nothing is shared between the schemas compared. */
function base() {
  return {
    move: {
      channel: 'unreliable',
      direction: 'toServer',
      fields: { x: t.quantized({ min: -100, max: 100, step: 0.01 }), y: t.float32({ min: -1, max: 1 }), run: t.bool() },
    },
    chat: { channel: 'reliable', fields: { text: t.string({ maxLength: 100 }), to: t.optional(t.uint16()) } },
    world: {
      channel: 'unreliable',
      direction: 'toClient',
      fields: { players: t.array(t.object({ id: t.uint8(), team: t.enum(['red', 'blue']) }), { maxLength: 8 }), map: t.binary({ maxLength: 64 }) },
    },
  } satisfies Declarations
}
type Base = ReturnType<typeof base>
const fp = (d: Declarations, firstId?: number) => defineSchema(d, firstId === undefined ? {} : { firstId }).fingerprint

describe('schema fingerprint', () => {
  it('is the same for the same declarations, built separately', () => {
    expect(fp(base())).toBe(fp(base()))
    expect(fp(base())).toMatch(/^[0-9a-f]{14}$/)
  })

  it('is the same whether `both` is written or left out (they mean the same)', () => {
    const b = base()
    expect(fp({ ...b, chat: { ...b.chat, direction: 'both' } })).toBe(fp(b))
  })

  // Each variant changes one thing that changes what goes on the wire, or who may send it.
  const variants: [string, (b: Base) => Declarations][] = [
    ['field kind', (b) => ({ ...b, move: { ...b.move, fields: { ...b.move.fields, run: t.uint8() } } })],
    ['integer width', (b) => ({ ...b, chat: { ...b.chat, fields: { ...b.chat.fields, to: t.optional(t.uint32()) } } })],
    ['string bound', (b) => ({ ...b, chat: { ...b.chat, fields: { ...b.chat.fields, text: t.string({ maxLength: 101 }) } } })],
    ['quantized step', (b) => ({ ...b, move: { ...b.move, fields: { ...b.move.fields, x: t.quantized({ min: -100, max: 100, step: 0.1 }) } } })],
    ['quantized range', (b) => ({ ...b, move: { ...b.move, fields: { ...b.move.fields, x: t.quantized({ min: -100, max: 200, step: 0.01 }) } } })],
    ['float bound', (b) => ({ ...b, move: { ...b.move, fields: { ...b.move.fields, y: t.float32({ min: -2, max: 1 }) } } })],
    ['float width', (b) => ({ ...b, move: { ...b.move, fields: { ...b.move.fields, y: t.float64({ min: -1, max: 1 }) } } })],
    ['array bound', (b) => ({ ...b, world: { ...b.world, fields: { ...b.world.fields, players: t.array(t.object({ id: t.uint8(), team: t.enum(['red', 'blue']) }), { maxLength: 9 }) } } })],
    ['binary bound', (b) => ({ ...b, world: { ...b.world, fields: { ...b.world.fields, map: t.binary({ maxLength: 65 }) } } })],
    ['enum values', (b) => ({ ...b, world: { ...b.world, fields: { ...b.world.fields, players: t.array(t.object({ id: t.uint8(), team: t.enum(['red', 'blue', 'green']) }), { maxLength: 8 }) } } })],
    ['enum order', (b) => ({ ...b, world: { ...b.world, fields: { ...b.world.fields, players: t.array(t.object({ id: t.uint8(), team: t.enum(['blue', 'red']) }), { maxLength: 8 }) } } })],
    ['optional', (b) => ({ ...b, chat: { ...b.chat, fields: { ...b.chat.fields, to: t.uint16() } } })],
    ['field order', (b) => ({ ...b, move: { ...b.move, fields: { y: b.move.fields.y, x: b.move.fields.x, run: b.move.fields.run } } })],
    ['nested field order', (b) => ({ ...b, world: { ...b.world, fields: { ...b.world.fields, players: t.array(t.object({ team: t.enum(['red', 'blue']), id: t.uint8() }), { maxLength: 8 }) } } })],
    ['field name', (b) => ({ ...b, move: { ...b.move, fields: { x: b.move.fields.x, y: b.move.fields.y, sprint: b.move.fields.run } } })],
    ['field added', (b) => ({ ...b, chat: { ...b.chat, fields: { ...b.chat.fields, color: t.uint8() } } })],
    ['message order', (b) => ({ chat: b.chat, move: b.move, world: b.world })],
    ['message name', (b) => ({ walk: b.move, chat: b.chat, world: b.world })],
    ['message added', (b) => ({ ...b, ping: { channel: 'unreliable', fields: {} } })],
    ['channel', (b) => ({ ...b, move: { ...b.move, channel: 'reliable' } })],
    ['direction', (b) => ({ ...b, move: { ...b.move, direction: 'toClient' } })],
    ['direction dropped', (b) => ({ ...b, move: { channel: b.move.channel, fields: b.move.fields } })],
  ]

  it.each(variants)('changes with the %s', (_, change) => {
    expect(fp(change(base()))).not.toBe(fp(base()))
  })

  it('tells every variant from every other one', () => {
    const all = [fp(base()), ...variants.map(([, change]) => fp(change(base())))]
    expect(new Set(all).size).toBe(all.length)
  })

  it('changes with the first id (ids move)', () => {
    expect(fp(base(), 32)).not.toBe(fp(base()))
  })

  it('does not let delimiters inside names collide', () => {
    // Joined naively, both of these read `enum(a|b)`, yet one has two values and the other one.
    const one = defineSchema({ m: { channel: 'reliable', fields: { e: t.enum(['a|b']) } } })
    const two = defineSchema({ m: { channel: 'reliable', fields: { e: t.enum(['a', 'b']) } } })
    expect(one.fingerprint).not.toBe(two.fingerprint)
  })

  it('is stable for the shared test schema across imports (ids and fingerprint are pure functions of the declarations)', () => {
    const again = defineSchema(testSchema.declarations)
    expect(again.fingerprint).toBe(testSchema.fingerprint)
    expect([...again.byName.values()].map((s) => [s.name, s.id])).toEqual([...testSchema.byName.values()].map((s) => [s.name, s.id]))
  })
})

describe('defineSchema', () => {
  it('numbers application messages from 16 in declaration order, with direction defaulting to both', () => {
    const s = defineSchema(base())
    expect([...s.byName.values()].map((m) => [m.name, m.id, m.channel, m.direction])).toEqual([
      ['move', 16, 'unreliable', 'toServer'],
      ['chat', 17, 'reliable', 'both'],
      ['world', 18, 'unreliable', 'toClient'],
    ])
    expect(s.byId[17]?.name).toBe('chat')
    expect(s.byId[15]).toBeUndefined()
  })

  it('refuses more messages than one-byte ids can number', () => {
    const many = (n: number): Declarations => Object.fromEntries(Array.from({ length: n }, (_, i) => [`m${i}`, { channel: 'reliable', fields: {} }]))
    expect(() => defineSchema(many(240))).not.toThrow()
    expect(() => defineSchema(many(241))).toThrow(RangeError)
  })
})
