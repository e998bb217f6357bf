import { shapeOf, type Field } from './field'
import type { Reader } from './reader'
import { readArrayHeader, readBinary, readNumber, readString } from './reader-lenient'
import { writeArrayHeader, writeNumber, type Writer } from './writer'

/**
 * A codec generated per message from its field tree: property names written out in the code (V8 then
 * reads and builds objects by fixed shape instead of by variable key, several times faster).
 *
 * It only ever takes the happy path. It accepts exactly what the closures accept, writes the same
 * bytes and returns the same values, and at the first check that fails or byte it does not expect it
 * gives up (`false` / `BAIL`): the closures then run again on the same input and either succeed or
 * throw the one SchemaError (code, path, detail) they always throw. It never builds an error, so error
 * semantics live in one place. It may give up on input the closures accept (a bin16 float64, say):
 * that only costs time. Only built where generating code is allowed (see `codegenAvailable`).
 */
export interface Compiled {
  /** Writes the payload at `w.at` and moves `w.at`; false (with `w.at` unspecified) if the closures must decide. */
  encode(value: unknown, w: Writer): boolean
  /** Reads the payload from `r.pos` and moves it; BAIL if the closures must decide. */
  decode(r: Reader): unknown
}

export const BAIL: unique symbol = Symbol('bail')

/** Server runtimes only: never probe in a browser or worker (a CSP without eval would log a violation). */
export function codegenAvailable(): boolean {
  const g = globalThis as { window?: unknown; document?: unknown; WorkerGlobalScope?: unknown }
  if (g.window !== undefined || g.document !== undefined || g.WorkerGlobalScope !== undefined) return false
  try {
    return (new Function('return 1') as () => unknown)() === 1
  } catch {
    return false
  }
}

/** A field the generator does not know (hand-made, or a copy of a built-in): the message keeps its closures. */
class Unsupported extends Error {}

/** Emits generated source. Identifiers are all `<letter><counter>`; names from declarations only ever appear as JSON string literals. */
class Source {
  private count = 0
  readonly deps: unknown[] = []
  id(prefix: string): string {
    return `${prefix}${this.count++}`
  }
  dep(value: unknown): string {
    this.deps.push(value)
    return `d${this.deps.length - 1}`
  }
}

/** A number as an expression that evaluates to exactly it (String() round-trips every finite double). */
function num(n: number): string {
  if (Number.isNaN(n)) return '(0/0)'
  if (n === Infinity || n === -Infinity) return n > 0 ? '(1/0)' : '(-1/0)'
  return Object.is(n, -0) ? '(-0)' : `(${String(n)})`
}
const key = (k: string): string => JSON.stringify(k)

function shape(f: Field<unknown>) {
  const s = shapeOf(f)
  if (s === undefined) throw new Unsupported()
  return s
}

/** Bytes a value of `f` takes at most, for fields of bounded size (numbers, bools, enums); undefined otherwise. */
function fixedBytes(f: Field<unknown>): number | undefined {
  const s = shape(f)
  if (s.kind === 'bool') return 1
  if (s.kind === 'float64') return 10
  if (s.kind === 'int' || s.kind === 'float32' || s.kind === 'quantized' || s.kind === 'enum') return 9
  return s.kind === 'optional' ? fixedBytes(s.inner) : undefined
}

/** A condition true when the number `x` is not an integer in [min, max]. */
function notInt(x: string, min: number, max: number): string {
  const integer = min >= 0 && max <= 0xffffffff ? `(${x} >>> 0) !== ${x}` : min >= -0x80000000 && max <= 0x7fffffff ? `(${x} | 0) !== ${x}` : `!Number.isInteger(${x})`
  return `${integer} || ${x} < ${num(min)} || ${x} > ${num(max)}`
}
/** Float bounds as the closures compare them: a failing condition, or '' without bounds. */
function outside(x: string, min: number | undefined, max: number | undefined): string {
  const parts = [min === undefined ? '' : `${x} < ${num(min)}`, max === undefined ? '' : `${x} > ${num(max)}`].filter((p) => p !== '')
  return parts.join(' || ')
}

const ENSURE = (n: number) => `if (at + ${n} > cap) { w.at = at; w.reserve(${n}); b = w.buf; dv = w.view; cap = w.cap; }`
const RESYNC = 'at = w.at; b = w.buf; dv = w.view; cap = w.cap;'

/** Code that checks the value in variable `x` and writes it (room already made when the field is fixed-size). */
function encode(f: Field<unknown>, x: string, g: Source): string {
  const s = shape(f)
  switch (s.kind) {
    case 'int':
      return `if (typeof ${x} !== "number" || ${notInt(x, s.min, s.max)}) return false; at = wnum(b, dv, at, ${x});`
    case 'float32': {
      const bounds = outside(`Math.fround(${x})`, s.min, s.max)
      return `if (typeof ${x} !== "number" || !Number.isFinite(${x})${bounds && ` || ${bounds}`}) return false; at = wnum(b, dv, at, ${x});`
    }
    case 'float64': {
      const bounds = outside(x, s.min, s.max)
      return `if (typeof ${x} !== "number" || !Number.isFinite(${x})${bounds && ` || ${bounds}`}) return false; b[at] = 0xc4; b[at + 1] = 8; dv.setFloat64(at + 2, ${x}); at += 10;`
    }
    case 'quantized': {
      const q = g.id('q')
      return `if (typeof ${x} !== "number" || !Number.isFinite(${x})) return false; let ${q} = Math.round((${x} - ${num(s.min)}) / ${num(s.step)}); ${q} = ${q} < 0 ? 0 : ${q} > ${num(s.steps)} ? ${num(s.steps)} : ${q}; at = wnum(b, dv, at, ${q});`
    }
    case 'bool':
      return `if (${x} === true) b[at++] = 0xc3; else if (${x} === false) b[at++] = 0xc2; else return false;`
    case 'string':
      return `if (typeof ${x} !== "string" || ${x}.length > ${num(s.maxLength)}) return false; w.at = at; w.string(${x}); ${RESYNC}`
    case 'binary':
      return `if (!(${x} instanceof Uint8Array) || ${x}.byteLength > ${num(s.maxLength)}) return false; w.at = at; w.binary(${x}); ${RESYNC}`
    case 'enum': {
      const i = g.id('i')
      return `if (typeof ${x} !== "string") return false; const ${i} = ${g.dep(s.index)}.get(${x}); if (${i} === undefined) return false; at = wnum(b, dv, at, ${i});`
    }
    case 'optional': {
      const nil = fixedBytes(s.inner) === undefined ? `${ENSURE(1)} b[at++] = 0xc0;` : 'b[at++] = 0xc0;'
      return `if (${x} === undefined) { ${nil} } else { ${encode(s.inner, x, g)} }`
    }
    case 'array': {
      const [n, i, y] = [g.id('n'), g.id('i'), g.id('y')]
      const fixed = fixedBytes(s.item)
      return `if (!Array.isArray(${x}) || ${x}.length > ${num(s.maxLength)}) return false; const ${n} = ${x}.length; ${ENSURE(5)} at = warr(b, dv, at, ${n});
for (let ${i} = 0; ${i} < ${n}; ${i}++) { const ${y} = ${x}[${i}]; ${fixed === undefined ? '' : ENSURE(fixed)} ${encode(s.item, y, g)} }`
    }
    case 'object': {
      if (s.keys.includes('__proto__')) throw new Unsupported()
      const lines = [`if (typeof ${x} !== "object" || ${x} === null || Array.isArray(${x})) return false;`]
      // One reservation per run of fixed-size fields (the first with the header); others make their own room.
      const runFrom = (start: number): number => {
        let sum = 0
        for (let j = start; j < s.fields.length; j++) {
          const size = fixedBytes(s.fields[j]!)
          if (size === undefined) break
          sum += size
        }
        return sum
      }
      lines.push(ENSURE(5 + runFrom(0)), s.keys.length < 16 ? `b[at++] = ${0x90 | s.keys.length};` : `at = warr(b, dv, at, ${s.keys.length});`)
      s.fields.forEach((field, j) => {
        if (j > 0 && fixedBytes(s.fields[j - 1]!) === undefined && fixedBytes(field) !== undefined) lines.push(ENSURE(runFrom(j)))
        const y = g.id('y')
        lines.push(`const ${y} = ${x}[${key(s.keys[j]!)}];`, encode(field, y, g))
      })
      // Any other key with a value is refused (an undefined one is not data), as the closures do.
      const k = g.id('k')
      const known = s.keys.length <= 16 ? s.keys.map((name) => `${k} !== ${key(name)} && `).join('') : `!${g.dep(new Set(s.keys))}.has(${k}) && `
      lines.push(`for (const ${k} in ${x}) if (${known}${x}[${k}] !== undefined) return false;`)
      return lines.join('\n')
    }
  }
}

/** Reads a number into `x`: fixint or float32 inline, any other encoding through readNumber (NaN when not a number). */
function number(x: string, inline: 'int' | 'float'): string {
  const fast = inline === 'int' ? `p < end && (t = b[p]) < 0x80) { ${x} = t; p++; }` : `p + 5 <= end && b[p] === 0xca) { ${x} = dv.getFloat32(p + 1); p += 5; }`
  return `if (${fast} else { r.pos = p; ${x} = rnum(r); p = r.pos; }`
}

/** Code that reads one value into the (declared) variable `x`, or returns BAIL. */
function decode(f: Field<unknown>, x: string, g: Source): string {
  const s = shape(f)
  switch (s.kind) {
    case 'int':
      return `${number(x, 'int')} if (${notInt(x, s.min, s.max)}) return BAIL;`
    case 'float32': {
      const bounds = outside(`Math.fround(${x})`, s.min, s.max)
      return `${number(x, 'float')} if (!Number.isFinite(${x})${bounds && ` || ${bounds}`}) return BAIL;`
    }
    case 'float64': {
      const bounds = outside(x, s.min, s.max)
      return `if (p + 10 <= end && b[p] === 0xc4 && b[p + 1] === 8) { ${x} = dv.getFloat64(p + 2); p += 10; } else return BAIL;
if (!Number.isFinite(${x})${bounds && ` || ${bounds}`}) return BAIL;`
    }
    case 'quantized': {
      const q = g.id('q')
      return `let ${q}; ${number(q, 'int')} if (!Number.isInteger(${q}) || ${q} < 0 || ${q} > ${num(s.steps)}) return BAIL; ${x} = ${num(s.min)} + ${q} * ${num(s.step)};`
    }
    case 'bool':
      return `if (p >= end) return BAIL; t = b[p++]; if (t === 0xc3) ${x} = true; else if (t === 0xc2) ${x} = false; else return BAIL;`
    case 'string':
      return `r.pos = p; ${x} = rstr(r, ${num(3 * s.maxLength)}); if (${x} === undefined || ${x}.length > ${num(s.maxLength)}) return BAIL; p = r.pos;`
    case 'binary':
      return `r.pos = p; ${x} = rbin(r); if (${x} === undefined || ${x}.byteLength > ${num(s.maxLength)}) return BAIL; p = r.pos;`
    case 'enum': {
      const i = g.id('i')
      return `let ${i}; ${number(i, 'int')} if (!Number.isInteger(${i})) return BAIL; ${x} = ${g.dep(s.values)}[${i}]; if (${x} === undefined) return BAIL;`
    }
    case 'optional':
      return `if (p < end && b[p] === 0xc0) { p++; ${x} = undefined; } else { ${decode(s.inner, x, g)} }`
    case 'array': {
      const [n, i, y] = [g.id('n'), g.id('i'), g.id('y')]
      return `let ${n}; if (p < end && ((t = b[p]) & 0xf0) === 0x90) { ${n} = t & 0x0f; p++; } else { r.pos = p; ${n} = rarr(r); p = r.pos; if (${n} < 0) return BAIL; }
if (${n} > ${num(s.maxLength)} || p + ${n} > end) return BAIL;
${x} = new Array(${n});
for (let ${i} = 0; ${i} < ${n}; ${i}++) { let ${y}; ${decode(s.item, y, g)} ${x}[${i}] = ${y}; }`
    }
    case 'object': {
      if (s.keys.includes('__proto__')) throw new Unsupported()
      const n = s.keys.length
      const header = n < 16 ? `if (p < end && b[p] === ${0x90 | n}) p++; else { r.pos = p; if (rarr(r) !== ${n}) return BAIL; p = r.pos; }` : `r.pos = p; if (rarr(r) !== ${n}) return BAIL; p = r.pos;`
      const ys = s.fields.map(() => g.id('y'))
      const reads = s.fields.map((field, j) => `let ${ys[j]}; ${decode(field, ys[j]!, g)}`)
      // Keys in declaration order, an absent optional left out: the object the closures build.
      const optional = s.fields.map((field) => field.optional)
      const literal = optional.indexOf(true) === -1 ? n : optional.indexOf(true)
      const build = [`${x} = { ${s.keys.slice(0, literal).map((k, j) => `${key(k)}: ${ys[j]}`).join(', ')} };`]
      for (let j = literal; j < n; j++) build.push(`if (${ys[j]} !== undefined) ${x}[${key(s.keys[j]!)}] = ${ys[j]};`)
      return [header, ...reads, ...build].join('\n')
    }
  }
}

/** The generated codec of a message's payload, or undefined when a field is not a built-in one. */
export function compile(payload: Field<unknown>): Compiled | undefined {
  const g = new Source()
  let enc: string
  let dec: string
  try {
    enc = encode(payload, 'v', g)
    dec = decode(payload, 'v', g)
  } catch (err) {
    if (err instanceof Unsupported) return undefined
    throw err
  }
  const source = `"use strict";
return {
encode(v, w) {
let b = w.buf, dv = w.view, at = w.at, cap = w.cap;
${enc}
w.at = at; return true;
},
decode(r) {
const b = r.bytes, dv = r.view, end = r.end; let p = r.pos, t = 0, v;
${dec}
r.pos = p; return v;
},
};`
  const names = g.deps.map((_, i) => `d${i}`)
  const factory = new Function('BAIL', 'wnum', 'warr', 'rnum', 'rarr', 'rstr', 'rbin', ...names, source) as (...deps: unknown[]) => Compiled
  return factory(BAIL, writeNumber, writeArrayHeader, readNumber, readArrayHeader, readString, readBinary, ...g.deps)
}
