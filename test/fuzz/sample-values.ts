/**
 * Valid payloads for any declared message, made from the field builders' shapes (field.ts `shapeOf`):
 * random sizes and values inside every bound, so the fuzz starts from frames a real peer could send.
 */
import { shapeOf, type Field } from '../../shared/schema/field'

type Random = () => number

const int = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1))

/** A random length: often 0 or small, sometimes the maximum. */
function length(random: Random, max: number): number {
  const r = random()
  if (r < 0.15) return 0
  if (r < 0.3) return max
  return Math.min(max, Math.floor(random() * Math.min(max + 1, 24)))
}

const TEXT = ['a', 'é', '✓', 'Z', ' ', '\u{1F600}']

function text(random: Random, maxLength: number): string {
  let s = ''
  const n = length(random, maxLength)
  // Counting UTF-16 units, so an astral character (2 units) never takes it past maxLength.
  while (s.length < n) {
    const c = TEXT[Math.floor(random() * TEXT.length)]!
    if (s.length + c.length > n) break
    s += c
  }
  return s
}

export function sampleValue(field: Field<unknown>, random: Random, depth = 0): unknown {
  const shape = shapeOf(field)
  if (!shape) throw new Error(`field ${field.signature} has no shape: cannot make a sample`)
  switch (shape.kind) {
    case 'int':
      return random() < 0.2 ? (random() < 0.5 ? shape.min : shape.max) : int(random, shape.min, shape.max)
    case 'float32':
    case 'float64': {
      const min = shape.min ?? -1e6
      const max = shape.max ?? 1e6
      const v = min + random() * (max - min)
      return shape.kind === 'float32' ? Math.min(max, Math.max(min, Math.fround(v))) : v
    }
    case 'quantized':
      return shape.min + int(random, 0, shape.steps) * shape.step
    case 'bool':
      return random() < 0.5
    case 'string':
      return text(random, shape.maxLength)
    case 'enum':
      return shape.values[Math.floor(random() * shape.values.length)]
    case 'binary':
      return Uint8Array.from({ length: length(random, Math.min(shape.maxLength, 512)) }, () => Math.floor(random() * 256))
    case 'array': {
      // Deep or long arrays of objects would make huge frames: fewer items the deeper we are.
      const n = depth > 1 ? Math.min(shape.maxLength, 2) : length(random, Math.min(shape.maxLength, 16))
      return Array.from({ length: n }, () => sampleValue(shape.item, random, depth + 1))
    }
    case 'object': {
      const out: Record<string, unknown> = {}
      shape.keys.forEach((key, i) => {
        const v = sampleValue(shape.fields[i]!, random, depth + 1)
        if (v !== undefined) out[key] = v
      })
      return out
    }
    case 'optional':
      return random() < 0.3 ? undefined : sampleValue(shape.inner, random, depth)
  }
}
