import { describe, expect, it } from 'vitest'
import { compileLayout } from '../../../shared/netcode/delta-layout-codegen'
import { t } from '../../../shared/schema/index'
import type { Field } from '../../../shared/schema/field'

const layout = {
  x: t.quantized({ min: 0, max: 1000, step: 0.01 }),
  angle: t.quantized({ min: -Math.PI, max: Math.PI, step: 0.001 }),
  v: t.quantized({ min: -20, max: 20, step: 0.03 }),
  hp: t.uint8(),
  dz: t.int16(),
}
const keys = Object.keys(layout)
const fields = Object.values(layout) as Field<number>[]

/** What the field closures make of `e`: its wire integers, or 'refused'. */
function closureInts(e: Record<string, unknown>): number[] | 'refused' {
  try {
    return keys.map((k, i) => fields[i]!.toWire(e[k] as number, '') as number)
  } catch {
    return 'refused'
  }
}

function closureEntity(vals: number[]): Record<string, number> | 'refused' {
  try {
    return Object.fromEntries(keys.map((k, i) => [k, fields[i]!.fromWire(vals[i]!, '')]))
  } catch {
    return 'refused'
  }
}

function seeded(seed: number): () => number {
  let s = seed
  return () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32)
}

describe('generated layout code', () => {
  const code = compileLayout(keys, fields)!

  it('is generated for built-in integer fields, not for others', () => {
    expect(code).toBeDefined()
    expect(compileLayout(['f'], [t.float32() as Field<number>])).toBeUndefined()
  })

  it('makes the same wire integers as the field closures, and refuses the same values', () => {
    const rnd = seeded(7)
    const pick = (values: unknown[]) => values[Math.floor(rnd() * values.length)]
    for (let i = 0; i < 5000; i++) {
      const e: Record<string, unknown> = {
        x: pick([rnd() * 1200 - 100, 0, 1000, 999.995, -0, 12.345]),
        angle: pick([rnd() * 8 - 4, Math.PI, -Math.PI, NaN]),
        v: pick([rnd() * 50 - 25, Infinity, 0.015]),
        hp: pick([Math.floor(rnd() * 300) - 20, 255, 1.5, '3']),
        dz: pick([Math.floor(rnd() * 70000) - 35000, -32768, 32767]),
      }
      const out: number[] = [42]
      const ok = code.toInts(e, out)
      const expected = closureInts(e)
      if (expected === 'refused') {
        expect(ok).toBe(false)
        expect(out).toEqual([42])
      } else {
        expect(ok).toBe(true)
        expect(out.slice(1)).toEqual(expected)
      }
    }
  })

  it('decodes wire integers to the same values as the field closures, and refuses the same', () => {
    const rnd = seeded(11)
    for (let i = 0; i < 5000; i++) {
      const vals = [Math.floor(rnd() * 110_000) - 5000, Math.floor(rnd() * 7000) - 200, Math.floor(rnd() * 1400) - 10, Math.floor(rnd() * 300), Math.floor(rnd() * 70000) - 35000]
      if (i % 50 === 0) vals[i % 5] = 0.5
      const got = code.fromInts([9, ...vals], 1)
      const expected = closureEntity(vals)
      if (expected === 'refused') expect(got).toBeUndefined()
      else {
        expect(got).toEqual(expected)
        expect(Object.keys(got!)).toEqual(keys)
      }
    }
  })
})
