import type { GameClient } from '../../../client/index'
import { NetClient } from '../../../client/netcode/net-client'
import type { GameServer } from '../../../server/index'
import { NetRoom } from '../../../server/netcode/net-room'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { netcodeMessages, NetcodeSchemaError, requireNetcodeMessages, type NetInput } from '../../../shared/netcode/net-messages'
import { defineSchema, t, type Payload } from '../../../shared/schema/index'

const input = { dx: t.quantized({ min: -1, max: 1, step: 0.01 }), buttons: t.uint8() }
const messages = netcodeMessages({ input, maxInputsPerPacket: 4, maxSnapshotBytes: 1000 })
const schema = defineSchema({ ...messages, chat: { channel: 'reliable', fields: { text: t.string({ maxLength: 10 }) } } })

describe('netcodeMessages', () => {
  it('declares the three messages with the game input, typed', () => {
    expect([...schema.byName.keys()]).toEqual(['netInput', 'netSnapshot', 'netJoin', 'chat'])
    expect(schema.byName.get('netInput')).toMatchObject({ channel: 'unreliable', direction: 'toServer' })
    expect(schema.byName.get('netSnapshot')).toMatchObject({ channel: 'unreliable', direction: 'toClient' })
    expect(schema.byName.get('netJoin')).toMatchObject({ channel: 'reliable', direction: 'toClient' })
    expect(schema.byName.get('netInput')!.payload.signature).toContain('array({seq:uint16,dx:quantized(-1,1,0.01),buttons:uint8},4)')
    expect(schema.byName.get('netSnapshot')!.payload.signature).toContain('binary(1000)')
    expectTypeOf<Payload<typeof schema, 'netInput'>['inputs'][number]>().toEqualTypeOf<NetInput<typeof input>>()
    expectTypeOf<NetInput<typeof input>>().toMatchTypeOf<{ seq: number; dx: number; buttons: number }>()
    expect(() => netcodeMessages({ input: { seq: t.uint8() } })).toThrow(/reserved/)
  })

  it('accepts a schema built from the same declarations, refuses one that differs or lacks them', () => {
    expect(requireNetcodeMessages(schema, messages)).toBe(schema)
    const other = defineSchema({ ...netcodeMessages({ input, maxInputsPerPacket: 8, maxSnapshotBytes: 1000 }) })
    expect(() => requireNetcodeMessages(other, messages)).toThrow(NetcodeSchemaError)
    expect(() => requireNetcodeMessages(other, messages)).toThrow(/netInput differs/)
    const none = defineSchema({ chat: { channel: 'reliable', fields: { text: t.string({ maxLength: 10 }) } } })
    expect(() => requireNetcodeMessages(none, messages)).toThrow(/has no netInput/)
  })
})

// Compile-time only (never called): NetRoom and NetClient want a schema that holds the netcode messages.
const layout = { x: t.uint16() }
export function typeChecks(good: GameServer<typeof schema>, bad: GameServer<ReturnType<typeof chatOnly>>, client: GameClient<ReturnType<typeof chatOnly>>): void {
  const game = { layout, sanitize: (i: NetInput<typeof input>) => i, applyInput: () => undefined, entities: () => new Map<number, { x: number }>() }
  new NetRoom(good, { messages, game })
  // @ts-expect-error the server's schema lacks the netcode messages
  new NetRoom(bad, { messages, game })
  // @ts-expect-error the client's schema lacks the netcode messages
  new NetClient(client, { messages, game: { layout, sampleInput: () => undefined, sanitize: (i) => i, simulate: (s) => s } })
}
function chatOnly() {
  return defineSchema({ chat: { channel: 'reliable', fields: { text: t.string({ maxLength: 10 }) } } })
}
