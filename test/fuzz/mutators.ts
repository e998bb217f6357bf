/**
 * Ways a hostile or broken peer mangles a valid frame `[id][msgpack payload]`: byte-level (bit flips,
 * truncation, junk, huge declared lengths, ext types, deep nesting) and value-level (the payload
 * decoded, a value swapped for a wrong type, NaN/Infinity, a `__proto__`/`constructor` map, a nested
 * bomb, then packed again by a plain msgpack packer).
 */
import { Packr, Unpackr } from 'msgpackr'

type Random = () => number

const packr = new Packr({ useRecords: false, structuredClone: false, moreTypes: false })
const unpackr = new Unpackr({ useRecords: false, structuredClone: false, mapsAsObjects: true })

const pick = <T>(random: Random, xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!
const at = (random: Random, f: Uint8Array) => 1 + Math.floor(random() * Math.max(1, f.length - 1))

function concat(...parts: ArrayLike<number>[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

/** Headers declaring ~4 GB of str, bin, array, map or ext that the frame does not hold. */
const HUGE_HEADERS = [
  [0xdb, 0xff, 0xff, 0xff, 0xff], // str32
  [0xc6, 0xff, 0xff, 0xff, 0xff], // bin32
  [0xdd, 0xff, 0xff, 0xff, 0xff], // array32
  [0xdf, 0xff, 0xff, 0xff, 0xff], // map32
  [0xc9, 0xff, 0xff, 0xff, 0xff, 0x01], // ext32
  [0xdc, 0xff, 0xff], // array16
  [0xda, 0x7f, 0xff], // str16
]

/** Extension values: fixext 1..16, ext8, the timestamp type (-1), msgpackr's record/structure types. */
const EXTS = [
  [0xd4, 0x01, 0x00],
  [0xd5, 0xff, 0x00, 0x00],
  [0xd6, 0xff, 0x00, 0x00, 0x00, 0x01], // timestamp 32
  [0xd7, 0xff, 0, 0, 0, 0, 0, 0, 0, 1], // timestamp 64
  [0xd8, 0x72, ...new Array(16).fill(0)],
  [0xc7, 0x03, 0x65, 0x61, 0x62, 0x63], // ext8, msgpackr's 'e' (Error)
  [0xc7, 0x01, 0x73, 0x90], // 's' (Set)
  [0xd4, 0x78, 0x00], // 'x' (bundled strings)
]

/** Nesting bombs, built once: arrays of one (or maps of one) nested 100 to 100,000 deep. */
const NESTINGS: readonly Uint8Array[] = [100, 1000, 20_000, 100_000].flatMap((depth) =>
  [0x91, 0x81].map((open) => {
    const body: number[] = []
    for (let i = 0; i < depth; i++) open === 0x91 ? body.push(0x91) : body.push(0x81, 0x00)
    body.push(0xc0)
    return Uint8Array.from(body)
  }),
)

// Big hostile values, built once (the fuzz reuses them; a decoder must not keep or change them).
const LONG_STRING = 'x'.repeat(70_000)
const LONG_BINARY = new Uint8Array(70_000)
const LONG_ARRAY: readonly number[] = new Array(70_000).fill(0)

/** A value of the wrong kind for most fields, or a trap for a naive decoder. */
function hostileValue(random: Random): unknown {
  switch (Math.floor(random() * 14)) {
    case 0:
      return Number.NaN
    case 1:
      return pick(random, [Infinity, -Infinity, -0, 1e308, -1e308, 5e-324])
    case 2:
      return JSON.parse('{"__proto__": {"polluted": true}, "x": 1}')
    case 3:
      return JSON.parse('{"constructor": {"prototype": {"polluted": true}}}')
    case 4:
      return { toString: 'x', valueOf: 1, hasOwnProperty: null }
    case 5:
      return pick(random, ['', LONG_STRING, '\u0000', '\ud800'])
    case 6:
      return pick(random, [2 ** 53, -(2 ** 53), 2 ** 64, -(2 ** 63), 4294967296, -2147483649])
    case 7:
      return BigInt(pick(random, ['18446744073709551615', '-9223372036854775808']))
    case 8:
      return null
    case 9:
      return pick(random, [true, false])
    case 10:
      return pick(random, [new Uint8Array(0), new Uint8Array(1), LONG_BINARY])
    case 11:
      return pick(random, [[], [0], new Array(300).fill(0), LONG_ARRAY])
    case 12:
      return new Map<unknown, unknown>([[1, 2], ['__proto__', { a: 1 }]])
    default:
      return { a: [[[[{ b: [[[]]] }]]]] }
  }
}

/** Swaps, drops or adds values anywhere in the decoded payload. */
function mutateValue(v: unknown, random: Random, depth = 0): unknown {
  if (random() < (depth === 0 ? 0.05 : 0.25)) return hostileValue(random)
  if (Array.isArray(v) && v.length > 0) {
    const out = v.slice()
    const i = Math.floor(random() * out.length)
    const r = random()
    if (r < 0.1) out.splice(i, 1)
    else if (r < 0.2) out.splice(i, 0, hostileValue(random))
    else out[i] = mutateValue(out[i], random, depth + 1)
    return out
  }
  return depth === 0 ? [v, hostileValue(random)] : hostileValue(random)
}

export type Mutation = 'bitflip' | 'bytes' | 'truncate' | 'extend' | 'huge-length' | 'ext' | 'nesting' | 'value' | 'id'

export const MUTATIONS: readonly Mutation[] = ['bitflip', 'bytes', 'truncate', 'extend', 'huge-length', 'ext', 'nesting', 'value', 'value', 'id']

/** One mutation of `frame` (a copy; the original is untouched). `ids`: declared ids of the schema. */
export function mutate(kind: Mutation, frame: Uint8Array, random: Random, ids: readonly number[]): Uint8Array {
  const f = frame.slice()
  switch (kind) {
    case 'bitflip': {
      const n = 1 + Math.floor(random() * 4)
      for (let k = 0; k < n; k++) {
        const i = at(random, f)
        f[i] = f[i]! ^ (1 << Math.floor(random() * 8))
      }
      return f
    }
    case 'bytes': {
      const n = 1 + Math.floor(random() * 4)
      for (let k = 0; k < n; k++) f[at(random, f)] = pick(random, [0x00, 0xc0, 0xc1, 0xff, 0x7f, 0x80, 0x90, 0xa0, Math.floor(random() * 256)])
      return f
    }
    case 'truncate':
      return f.subarray(0, Math.floor(random() * f.length))
    case 'extend':
      return concat(f, Uint8Array.from({ length: 1 + Math.floor(random() * 8) }, () => Math.floor(random() * 256)))
    case 'huge-length': {
      const i = at(random, f)
      return concat(f.subarray(0, i), pick(random, HUGE_HEADERS), f.subarray(random() < 0.5 ? i : Math.min(f.length, i + 1)))
    }
    case 'ext': {
      const i = at(random, f)
      return concat(f.subarray(0, i), pick(random, EXTS), f.subarray(Math.min(f.length, i + 1)))
    }
    case 'nesting': {
      const i = at(random, f)
      return concat(f.subarray(0, i), pick(random, NESTINGS), f.subarray(Math.min(f.length, i + 1)))
    }
    case 'value': {
      let wire: unknown
      try {
        wire = unpackr.unpack(f.subarray(1))
      } catch {
        return f
      }
      let body: Uint8Array
      try {
        body = packr.pack(mutateValue(wire, random))
      } catch {
        return f
      }
      return concat([f[0]!], body)
    }
    case 'id':
      f[0] = random() < 0.8 ? pick(random, ids) : Math.floor(random() * 256)
      return f
  }
}
