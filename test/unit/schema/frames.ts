import { Packr } from 'msgpackr'
import { afterAll, beforeAll, describe } from 'vitest'
import { setCodecMode, type CodecMode } from '../../../shared/schema/codec'
import { decodeMessage, encodeMessage, HEADROOM, SchemaError, type Decoded, type MessageName, type Payload } from '../../../shared/schema/index'
import { testSchema, type TestSchema } from '../../support/test-schema'

/** Helpers shared by the schema tests: frames as a peer sends them (`[id][payload]`). */

export const CODEC_MODES: readonly CodecMode[] = ['auto', 'closures']

/**
 * Declares the suite in `body` once per codec mode: the generated codec (with the closures behind it)
 * and the closures alone must give the same bytes, values and errors.
 */
export function inEachCodecMode(body: () => void): void {
  for (const mode of CODEC_MODES)
    describe(`codec mode ${mode}`, () => {
      beforeAll(() => setCodecMode(mode))
      afterAll(() => setCodecMode('auto'))
      body()
    })
}

export type Name = MessageName<TestSchema>

export function specOf(name: Name) {
  const spec = testSchema.byName.get(name)
  if (!spec) throw new Error(`no message ${name}`)
  return spec
}

/** `[id][payload]`, without the headroom. */
export function frame<N extends Name>(name: N, data: Payload<TestSchema, N>): Uint8Array {
  return encodeMessage(specOf(name), data).subarray(HEADROOM).slice()
}

/** Decodes as the server would (from a client) unless told otherwise. */
export function decode(bytes: Uint8Array, from: 'toServer' | 'toClient' = 'toServer'): Decoded {
  return decodeMessage(testSchema, bytes, from)
}

/** The refusal's code, or 'ok' when the frame was accepted. */
export function codeOf(d: Decoded): string {
  return d.ok ? 'ok' : d.error.code
}

/** The code of the SchemaError `fn` throws, or 'ok' if it does not throw. */
export function thrownCode(fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    if (err instanceof SchemaError) return err.code
    throw err
  }
  return 'ok'
}

// A plain packer, to put on the wire what our encoder never would (wrong types, NaN, extra fields).
const rawPackr = new Packr({ useRecords: false, structuredClone: false, moreTypes: false })

/** `[id][msgpack of wire]`: a frame with a hand-made wire tuple. */
export function rawFrame(name: Name, wire: unknown): Uint8Array {
  const body = rawPackr.pack(wire)
  const out = new Uint8Array(1 + body.byteLength)
  out[0] = specOf(name).id
  out.set(body, 1)
  return out
}

/** The wire tuple our encoder makes for a valid payload (fields in declaration order). */
export function wireOf<N extends Name>(name: N, data: Payload<TestSchema, N>): unknown[] {
  const wire = specOf(name).payload.toWire(data, name)
  if (!Array.isArray(wire)) throw new Error('payload wire form is not a tuple')
  return wire
}

export const kinds = (): Payload<TestSchema, 'kindsSafe'> => ({
  u8: 200,
  u16: 60_000,
  u32: 4_000_000_000,
  i8: -100,
  i16: -30_000,
  i32: -2_000_000_000,
  f32: 0.1,
  f64: Math.PI,
  q: 123.456,
  flag: true,
  name: 'Ünïcødé ✓',
  mode: 'teams',
  blob: new Uint8Array([0, 1, 2, 254, 255]),
  list: [{ id: 7, tag: 'red' }, { id: 65535 }],
  nested: { inner: { depth: 3 } },
  maybe: -5,
})
