import { describe, expect, it } from 'vitest'
import { encodeMessage, HEADROOM, SchemaError, type Decoded, type Payload, type SchemaErrorCode } from '../../../shared/schema/index'
import { seededRandom } from '../../../shared/transport/random'
import { testSchema, type TestSchema } from '../../support/test-schema'
import { decode, frame, inEachCodecMode, kinds, rawFrame, specOf, wireOf, type Name } from './frames'

inEachCodecMode(() => {
  describe('fuzz: decodeMessage on random input', () => {
    const ids = [...testSchema.byName.values()].map((s) => s.id)

    /** A decoded value must re-encode: the decoder only lets through what the schema allows. */
    function assertSound(f: Uint8Array, from: 'toServer' | 'toClient'): 'ok' | SchemaErrorCode {
      let d: Decoded
      try {
        d = decode(f, from)
      } catch (err) {
        throw new Error(`decodeMessage threw on ${Buffer.from(f).toString('hex')}: ${String(err)}`)
      }
      if (!d.ok) {
        expect(d.error).toBeInstanceOf(SchemaError)
        return d.error.code
      }
      const again = decode(encodeMessage(d.spec, d.data).subarray(HEADROOM), from)
      if (!again.ok) throw new Error(`accepted ${Buffer.from(f).toString('hex')} but cannot send it back: ${again.error.message}`)
      // One re-encode may normalise (a float32 field sent as a float64 arrives with float64 precision);
      // after that the value is a fixed point.
      const twice = decode(encodeMessage(again.spec, again.data).subarray(HEADROOM), from)
      expect(twice.ok && twice.data).toEqual(again.data)
      return 'ok'
    }

    it('5,000 random byte strings: never throws; refused, or a value that validates', () => {
      const random = seededRandom(0xf00d)
      const seen = new Map<string, number>()
      for (let i = 0; i < 5000; i++) {
        // Half the bytes are small positive ints (one-byte msgpack values), so some frames parse.
        const f = Uint8Array.from({ length: Math.floor(random() * 48) }, () => Math.floor(random() * (random() < 0.5 ? 128 : 256)))
        // Half the frames start with a declared id and a fixarray, to get past the first checks.
        if (f.length > 2 && i % 2 === 0) {
          f[0] = ids[Math.floor(random() * ids.length)]!
          f[1] = 0x90 + Math.floor(random() * 4)
        }
        const code = assertSound(f, i % 3 === 0 ? 'toClient' : 'toServer')
        seen.set(code, (seen.get(code) ?? 0) + 1)
      }
      for (const code of ['unknown-id', 'malformed', 'frame-too-large', 'wrong-direction']) expect(seen.get(code) ?? 0, code).toBeGreaterThan(100)
    })

    /** A random msgpack-able value: the kinds of things a confused or hostile peer would send. */
    function randomValue(random: () => number, depth = 0): unknown {
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!
      switch (Math.floor(random() * 10)) {
        case 0:
          return null
        case 1:
          return random() < 0.5
        case 2:
          return Math.floor(random() * 300) - 20
        case 3:
          return Math.floor((random() - 0.5) * 2 ** 34)
        case 4:
          return (random() - 0.5) * 1e6
        case 5:
          return pick(['', 'a', 'é'.repeat(20), 'x'.repeat(33), 'x'.repeat(201)])
        case 6:
          return new Uint8Array(pick([0, 3, 8, 8, 64, 65, 1000, 1001]))
        case 7:
          return depth < 3 ? Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1)) : []
        case 8:
          return pick([NaN, Infinity, -Infinity, -0, 2 ** 32, -(2 ** 31) - 1, 0.5])
        default:
          return Math.floor(random() * 4)
      }
    }

    it('5,000 valid tuples with random fields swapped in: never throws; refused with a field code, or a value that validates', () => {
      const random = seededRandom(7)
      const samples: { [N in Name]: Payload<TestSchema, N> } = {
        kindsFast: kinds(),
        kindsSafe: kinds(),
        chat: { seq: 1, text: 'hi' },
        bulk: { seq: 1, data: new Uint8Array(100) },
        state: { seq: 1, sentAt: 2.5, pad: new Uint8Array(10) },
        input: { seq: 1, dx: 1, dy: -1 },
        echo: { seq: 1 },
      }
      const names = Object.keys(samples) as Name[]
      const seen = new Map<string, number>()
      for (let i = 0; i < 5000; i++) {
        const name = names[i % names.length]!
        const wire = wireOf(name, samples[name]).map((w) => (random() < 0.3 ? randomValue(random) : w))
        const shape = random()
        if (shape < 0.1) wire.pop()
        else if (shape < 0.2) wire.push(randomValue(random))
        const code = assertSound(rawFrame(name, wire), specOf(name).direction === 'toClient' ? 'toClient' : 'toServer')
        seen.set(code, (seen.get(code) ?? 0) + 1)
      }
      // Every field check was reached, and some of these tuples were still valid.
      for (const code of ['ok', 'wrong-type', 'out-of-range', 'too-long', 'missing-key', 'unknown-key', 'frame-too-large']) expect(seen.get(code) ?? 0, code).toBeGreaterThan(0)
      expect(seen.get('ok')).toBeGreaterThan(500)
    })

    it('5,000 mutated valid frames: never throws; refused, or a value that validates', () => {
      const random = seededRandom(42)
      const base = [
        frame('kindsSafe', kinds()),
        frame('chat', { seq: 7, text: 'hello there' }),
        frame('input', { seq: 1, dx: 3, dy: -3 }),
        frame('state', { seq: 1, sentAt: 1.5, pad: new Uint8Array(20) }),
      ]
      let accepted = 0
      for (let i = 0; i < 5000; i++) {
        const f = base[i % base.length]!.slice()
        const flips = 1 + Math.floor(random() * 3)
        for (let k = 0; k < flips; k++) f[1 + Math.floor(random() * (f.length - 1))] = Math.floor(random() * 256)
        if (assertSound(f, i % 4 === 3 ? 'toClient' : 'toServer') === 'ok') accepted++
      }
      // Some mutations only change a value (those must validate), most break the frame.
      expect(accepted).toBeGreaterThan(100)
      expect(accepted).toBeLessThan(4900)
    })
  })
})
