import { afterEach, describe, expect, it } from 'vitest'
import { BAIL, codegenAvailable } from '../../../shared/schema/codegen'
import { generatedCodec, setCodecMode, type CodecMode } from '../../../shared/schema/codec'
import { Reader } from '../../../shared/schema/reader'
import { Writer } from '../../../shared/schema/writer'
import { decodeMessage, defineSchema, encodeMessage, SchemaError, t, type MessageSpec, type Schema } from '../../../shared/schema/index'
import { seededRandom } from '../../../shared/transport/random'
import { testSchema } from '../../support/test-schema'
import { frame, kinds, rawFrame, specOf, wireOf, type Name } from './frames'

// The generated codec against the closures, directly: the same input through both modes must give
// the same bytes or the same SchemaError (code, path and detail), the same value or the same refusal.

afterEach(() => setCodecMode('auto'))

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

function inMode<T>(mode: CodecMode, fn: () => T): T {
  setCodecMode(mode)
  try {
    return fn()
  } finally {
    setCodecMode('auto')
  }
}

function encodeOutcome(spec: MessageSpec, data: unknown): string {
  try {
    return hex(encodeMessage(spec, data))
  } catch (err) {
    if (!(err instanceof SchemaError)) throw err
    return `${err.code} ${err.path}: ${err.detail}`
  }
}

function decodeOutcome(schema: Schema, f: Uint8Array, from: 'toServer' | 'toClient'): unknown {
  const d = decodeMessage(schema, f, from)
  return d.ok ? { name: d.spec.name, data: d.data, keys: JSON.stringify(d.data, (_, v: unknown) => (v instanceof Uint8Array ? [...v] : v)) } : `${d.error.code} ${d.error.path}: ${d.error.detail}`
}

const sameEncoding = (spec: MessageSpec, data: unknown) => expect(inMode('auto', () => encodeOutcome(spec, data))).toBe(inMode('closures', () => encodeOutcome(spec, data)))
const sameDecoding = (schema: Schema, f: Uint8Array, from: 'toServer' | 'toClient') =>
  expect(inMode('auto', () => decodeOutcome(schema, f, from))).toEqual(inMode('closures', () => decodeOutcome(schema, f, from)))

function randomValue(random: () => number, depth = 0): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!
  switch (Math.floor(random() * 10)) {
    case 0:
      return pick([null, undefined])
    case 1:
      return random() < 0.5
    case 2:
      return Math.floor(random() * 300) - 20
    case 3:
      return Math.floor((random() - 0.5) * 2 ** 34)
    case 4:
      return (random() - 0.5) * 1e6
    case 5:
      return pick(['', 'a', 'ffa', 'ctf', 'é'.repeat(20), 'x'.repeat(33), 'toString'])
    case 6:
      return new Uint8Array(pick([0, 3, 8, 64, 65]))
    case 7:
      return depth < 3 ? Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1)) : []
    case 8:
      return pick([NaN, Infinity, -Infinity, -0, 2 ** 32, -(2 ** 31) - 1, 0.5, 1e300])
    default:
      return depth < 3 ? { id: randomValue(random, depth + 1), tag: randomValue(random, depth + 1), depth: 1 } : {}
  }
}

const names = [...testSchema.byName.keys()] as Name[]
const samples: Record<Name, object> = {
  kindsFast: kinds(),
  kindsSafe: kinds(),
  chat: { seq: 1, text: 'hi' },
  bulk: { seq: 1, data: new Uint8Array(100) },
  state: { seq: 1, sentAt: 2.5, pad: new Uint8Array(10) },
  input: { seq: 1, dx: 1, dy: -1 },
  echo: { seq: 1 },
}

describe('generated codec', () => {
  it('is built for every message of the test schema and takes valid messages itself, without the closures', () => {
    for (const name of names) {
      const compiled = generatedCodec(specOf(name))
      expect(compiled, name).not.toBeNull()
      const w = new Writer()
      expect(compiled!.encode(samples[name], w), name).toBe(true)
      const r = new Reader()
      r.reset(frame(name, samples[name] as never), 1)
      expect(compiled!.decode(r), name).not.toBe(BAIL)
      expect(r.pos).toBe(r.end)
    }
    expect(inMode('closures', () => generatedCodec(specOf('chat')))).toBeNull()
  })

  it('4,000 random payloads: the same bytes or the same SchemaError as the closures', () => {
    const random = seededRandom(0xc0de)
    for (let i = 0; i < 4000; i++) {
      const name = names[i % names.length]!
      const data: Record<string, unknown> = { ...samples[name] }
      for (const k of Object.keys(data)) if (random() < 0.25) data[k] = randomValue(random)
      if (random() < 0.1) data[random() < 0.5 ? 'extra' : 'u8'] = randomValue(random)
      if (random() < 0.1) delete data[Object.keys(data)[0]!]
      sameEncoding(specOf(name), random() < 0.03 ? randomValue(random) : data)
    }
  })

  it('6,000 random and mutated frames: the same value or the same refusal as the closures', () => {
    const random = seededRandom(0xdec0)
    for (let i = 0; i < 3000; i++) {
      const name = names[i % names.length]!
      const wire = wireOf(name, samples[name] as never).map((w) => (random() < 0.3 ? randomValue(random) : w))
      if (random() < 0.1) wire.pop()
      sameDecoding(testSchema, rawFrame(name, wire), i % 2 ? 'toClient' : 'toServer')
      const f = frame(name, samples[name] as never).slice()
      for (let k = 0; k < 1 + Math.floor(random() * 3); k++) f[1 + Math.floor(random() * (f.length - 1))] = Math.floor(random() * 256)
      sameDecoding(testSchema, random() < 0.2 ? f.subarray(0, Math.floor(random() * f.length)) : f, i % 2 ? 'toClient' : 'toServer')
    }
  })

  it('writes names from declarations as string literals, never as code', () => {
    const odd = ['"); throw new Error("injected"); ("', "'", '\\', '\u2028', '\ud800', 'a b', '0', 'constructor', 'toString', '`${x}`']
    const fields = Object.fromEntries(odd.map((k, i) => [k, i % 2 ? t.uint8() : t.optional(t.string({ maxLength: 4 }))]))
    const schema = defineSchema({ odd: { channel: 'reliable', fields: { inner: t.object(fields), list: t.array(t.object(fields), { maxLength: 2 }) } } })
    const spec = schema.byName.get('odd')!
    expect(generatedCodec(spec)).not.toBeNull()
    const value = Object.fromEntries(odd.map((k, i) => [k, i % 2 ? i : `v${i}`]))
    const data = { inner: value, list: [value, { ...value, [odd[0]!]: undefined }] }
    sameEncoding(spec, data)
    const f = encodeMessage(spec, data).subarray(2)
    sameDecoding(schema, f, 'toServer')
    const d = decodeMessage(schema, f, 'toServer')
    expect(d.ok && d.data).toEqual({ inner: value, list: [value, Object.fromEntries(Object.entries(value).filter(([k]) => k !== odd[0]))] })
    sameEncoding(spec, { ...data, inner: { ...value, extra: 1 } })
  })

  it('leaves to the closures a message with a hand-made field, or a key named __proto__', () => {
    const custom = { ...t.uint8() }
    const schema = defineSchema({ a: { channel: 'reliable', fields: { x: custom } }, b: { channel: 'reliable', fields: { ['__proto__']: t.uint8() } } })
    expect(generatedCodec(schema.byName.get('a')!)).toBeNull()
    expect(generatedCodec(schema.byName.get('b')!)).toBeNull()
    expect(decodeMessage(schema, encodeMessage(schema.byName.get('a')!, { x: 3 }).subarray(2), 'toServer')).toMatchObject({ ok: true, data: { x: 3 } })
  })

  it('is not available where a browser or a worker could be', () => {
    expect(codegenAvailable()).toBe(true)
    const g = globalThis as { window?: unknown }
    g.window = {}
    try {
      expect(codegenAvailable()).toBe(false)
    } finally {
      delete g.window
    }
  })
})
