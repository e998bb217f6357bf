import { describe, expectTypeOf, it } from 'vitest'
import {
  defineSchema,
  encodeMessage,
  t,
  type ClientMessage,
  type Infer,
  type MessageName,
  type MessagesOn,
  type Payload,
  type ServerMessage,
} from '../../shared/schema/index'
import type { TestSchema } from '../support/test-schema'

type Kinds = Payload<TestSchema, 'kindsSafe'>

describe('payload types are inferred from the declaration', () => {
  it('every field kind maps to its TypeScript type', () => {
    expectTypeOf<Kinds>().toEqualTypeOf<{
      u8: number
      u16: number
      u32: number
      i8: number
      i16: number
      i32: number
      f32: number
      f64: number
      q: number
      flag: boolean
      name: string
      mode: 'ffa' | 'teams' | 'ctf'
      blob: Uint8Array
      list: { id: number; tag?: string | undefined }[]
      nested: { inner: { depth: number } }
      maybe?: number | undefined
    }>()
  })

  it('optional keys are optional, required ones are not', () => {
    expectTypeOf<Pick<Kinds, 'maybe'>>().toEqualTypeOf<{ maybe?: number | undefined }>()
    expectTypeOf<{}>().toExtend<Pick<Kinds, 'maybe'>>()
    expectTypeOf<{}>().not.toExtend<Pick<Kinds, 'u8'>>()
    expectTypeOf<Kinds['list'][number]>().toEqualTypeOf<{ id: number; tag?: string | undefined }>()
    // Leaving out an optional key compiles; leaving out a required one does not.
    const withoutOptional: Payload<TestSchema, 'chat'> = { seq: 1, text: 'x' }
    expectTypeOf(withoutOptional).toEqualTypeOf<{ seq: number; text: string }>()
    // @ts-expect-error `u8` is required
    const missingRequired: Pick<Kinds, 'u8' | 'maybe'> = { maybe: 1 }
    void missingRequired
  })

  it('enums are literal unions, binary is Uint8Array, arrays and objects nest', () => {
    expectTypeOf<Kinds['mode']>().toEqualTypeOf<'ffa' | 'teams' | 'ctf'>()
    expectTypeOf<Kinds['blob']>().toEqualTypeOf<Uint8Array>()
    expectTypeOf<Kinds['nested']['inner']['depth']>().toBeNumber()
    // @ts-expect-error not one of the enum's values
    const badMode: Kinds['mode'] = 'solo'
    // @ts-expect-error binary is bytes, not a number array
    const badBlob: Kinds['blob'] = [1, 2, 3]
    // @ts-expect-error nested objects are typed all the way down
    const badNested: Kinds['nested'] = { inner: { depth: 'deep' } }
    void [badMode, badBlob, badNested]
  })

  it('field builders carry their types', () => {
    expectTypeOf<Infer<ReturnType<typeof t.uint8>>>().toBeNumber()
    const e = t.enum(['a', 'b'])
    expectTypeOf<Infer<typeof e>>().toEqualTypeOf<'a' | 'b'>()
    const o = t.optional(t.string({ maxLength: 1 }))
    expectTypeOf<Infer<typeof o>>().toEqualTypeOf<string | undefined>()
    const a = t.array(t.object({ x: t.float32(), y: t.optional(t.bool()) }), { maxLength: 4 })
    expectTypeOf<Infer<typeof a>>().toEqualTypeOf<{ x: number; y?: boolean | undefined }[]>()
  })

  it('a schema declared inline infers the same way', () => {
    const s = defineSchema({
      hit: { channel: 'reliable', direction: 'toClient', fields: { by: t.uint16(), weapon: t.enum(['gun', 'sword']), crit: t.optional(t.bool()) } },
    })
    expectTypeOf<Payload<typeof s, 'hit'>>().toEqualTypeOf<{ by: number; weapon: 'gun' | 'sword'; crit?: boolean | undefined }>()
    expectTypeOf<MessageName<typeof s>>().toEqualTypeOf<'hit'>()
    expectTypeOf<ClientMessage<typeof s>>().toBeNever()
    expectTypeOf<ServerMessage<typeof s>>().toEqualTypeOf<'hit'>()
  })
})

describe('message names by direction and channel', () => {
  it('ClientMessage leaves out toClient messages, ServerMessage leaves out toServer ones', () => {
    expectTypeOf<MessageName<TestSchema>>().toEqualTypeOf<'kindsFast' | 'kindsSafe' | 'chat' | 'bulk' | 'state' | 'input' | 'echo'>()
    expectTypeOf<ClientMessage<TestSchema>>().toEqualTypeOf<'kindsFast' | 'kindsSafe' | 'chat' | 'bulk' | 'input' | 'echo'>()
    expectTypeOf<ServerMessage<TestSchema>>().toEqualTypeOf<'kindsFast' | 'kindsSafe' | 'chat' | 'bulk' | 'state' | 'echo'>()
  })

  it('MessagesOn splits by channel', () => {
    expectTypeOf<MessagesOn<TestSchema, 'reliable'>>().toEqualTypeOf<'kindsSafe' | 'chat' | 'bulk'>()
    expectTypeOf<MessagesOn<TestSchema, 'unreliable'>>().toEqualTypeOf<'kindsFast' | 'state' | 'input' | 'echo'>()
  })

  it('a Payload of an undeclared name does not compile', () => {
    // @ts-expect-error no message named `nope`
    type Nope = Payload<TestSchema, 'nope'>
    expectTypeOf<'nope'>().not.toExtend<MessageName<TestSchema>>()
  })

  it('encodeMessage takes any payload: the check is at run time (it throws SchemaError)', () => {
    expectTypeOf(encodeMessage).parameter(1).toBeUnknown()
    expectTypeOf(encodeMessage).returns.toEqualTypeOf<Uint8Array>()
  })
})
