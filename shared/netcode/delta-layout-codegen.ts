import { codegenAvailable } from '../schema/codegen'
import { shapeOf, type Field } from '../schema/field'

/**
 * Straight-line code for one entity layout: an entity to its wire integers and back, without a loop
 * over field names (keyed loads) or a closure call per field. A server quantizes and encodes every
 * entity of every room each tick, so this is on its hot path. Only the happy path: each function
 * returns false / undefined where a value would be refused, and the caller then runs the field
 * closures, which decide and throw the error. Results are identical to the closures' (same operations
 * on the same constants, which are passed in, never printed).
 */
export interface LayoutCode {
  /** Pushes the wire integers of `e` onto `out` (all or nothing); false if one would be refused. */
  toInts(e: Readonly<Record<string, unknown>>, out: number[]): boolean
  /** The entity whose wire integers start at `vals[at]`, or undefined if one is out of its field's range. */
  fromInts(vals: readonly number[], at: number): Record<string, number> | undefined
}

let allowed: boolean | undefined

/** Undefined where code cannot be generated (a browser, a worker) or a field is not a built-in integer kind. */
export function compileLayout(keys: readonly string[], fields: readonly Field<number>[]): LayoutCode | undefined {
  allowed ??= codegenAvailable()
  // A literal `{"__proto__": v}` would set the prototype, not a field: such a layout keeps the closures.
  if (!allowed || keys.includes('__proto__')) return undefined
  const constants: number[] = []
  const constant = (n: number) => `c${constants.push(n) - 1}`
  const toWire: string[] = []
  const fromWire: string[] = []
  for (let f = 0; f < fields.length; f++) {
    const s = shapeOf(fields[f]!)
    const v = `v${f}`
    const w = `w${f}`
    const key = JSON.stringify(keys[f]!)
    if (s?.kind === 'quantized') {
      const [min, step, steps] = [constant(s.min), constant(s.step), constant(s.steps)]
      // As scalars.ts quantized(): finite numbers only, rounded to whole steps, clamped into the range.
      toWire.push(`const ${v} = e[${key}]; if (typeof ${v} !== 'number' || !Number.isFinite(${v})) return false;`)
      toWire.push(`let ${w} = Math.round((${v} - ${min}) / ${step}); ${w} = ${w} < 0 ? 0 : ${w} > ${steps} ? ${steps} : ${w};`)
      fromWire.push(`const ${w} = vals[at + ${f}]; if (!Number.isInteger(${w}) || ${w} < 0 || ${w} > ${steps}) return undefined;`)
      fromWire.push(`const ${v} = ${min} + ${w} * ${step};`)
    } else if (s?.kind === 'int') {
      const [min, max] = [constant(s.min), constant(s.max)]
      toWire.push(`const ${w} = e[${key}]; if (typeof ${w} !== 'number' || !Number.isInteger(${w}) || ${w} < ${min} || ${w} > ${max}) return false;`)
      fromWire.push(`const ${v} = vals[at + ${f}]; if (!Number.isInteger(${v}) || ${v} < ${min} || ${v} > ${max}) return undefined;`)
    } else return undefined
  }
  const ws = fields.map((_, f) => `w${f}`).join(', ')
  const literal = keys.map((k, f) => `${JSON.stringify(k)}: v${f}`).join(', ')
  const body = `
    const [${constants.map((_, i) => `c${i}`).join(', ')}] = C;
    return {
      toInts(e, out) { ${toWire.join('\n')} out.push(${ws}); return true },
      fromInts(vals, at) { ${fromWire.join('\n')} return { ${literal} } },
    }`
  try {
    return (new Function('C', body) as (c: number[]) => LayoutCode)(constants)
  } catch {
    return undefined
  }
}
