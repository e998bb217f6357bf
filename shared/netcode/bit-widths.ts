import { bitLength, type BitReader, type BitWriter } from './bits'

/**
 * How one field's values (non-negative integers: zigzag residuals or absolute values) are written in
 * one snapshot. The encoder picks, per field and snapshot, the cheapest of:
 *   - plain: every value in `width` bits (the largest value's bit length);
 *   - escaped: a flag bit per value, then `width` bits, or (flag set) a 6-bit length and that many bits,
 *     so one teleporting entity does not make every other value wide.
 * Sent as 1 bit (escaped) + 6 bits (width) before the values.
 */
export interface BitClass {
  escaped: boolean
  width: number
}

export const CLASS_BITS = 7
/** Bits one value can cost at most, whatever class the encoder picks (escaped at width 0 is always an option). */
export const valueBitsBound = (v: number): number => 1 + LENGTH_BITS + bitLength(v)

const LENGTH_BITS = 6
const MAX_WIDTH = 53

const counts = new Int32Array(MAX_WIDTH + 1)

/** The cheapest class for `values`, and its cost in bits (values plus the class header). */
export function chooseClass(values: readonly number[]): BitClass & { bits: number } {
  counts.fill(0)
  let widest = 0
  for (const v of values) {
    const b = bitLength(v)
    counts[b]! += 1
    if (b > widest) widest = b
  }
  let best = { escaped: false, width: widest, bits: widest * values.length }
  // Escaped at width w: n flags + w bits for values that fit, length + bits for the rest.
  let fit = 0
  let restBits = 0
  for (let b = 0; b <= widest; b++) restBits += counts[b]! * (LENGTH_BITS + b)
  for (let w = 0; w < widest; w++) {
    fit += counts[w]!
    restBits -= counts[w]! * (LENGTH_BITS + w)
    const bits = values.length + fit * w + restBits
    if (bits < best.bits) best = { escaped: true, width: w, bits }
  }
  best.bits += CLASS_BITS
  return best
}

export function writeClass(w: BitWriter, c: BitClass): void {
  w.bit(c.escaped)
  w.bits(c.width, LENGTH_BITS)
}

export function readClass(r: BitReader): BitClass {
  const escaped = r.bit()
  const width = r.bits(LENGTH_BITS)
  if (width > MAX_WIDTH) throw new RangeError(`bit width ${width} beyond 53`)
  return { escaped, width }
}

export function writeValue(w: BitWriter, c: BitClass, v: number): void {
  if (!c.escaped) return w.bits(v, c.width)
  const n = bitLength(v)
  if (n <= c.width) {
    w.bit(false)
    w.bits(v, c.width)
  } else {
    w.bit(true)
    w.bits(n, LENGTH_BITS)
    w.bits(v, n)
  }
}

export function readValue(r: BitReader, c: BitClass): number {
  if (!c.escaped || !r.bit()) return r.bits(c.width)
  const n = r.bits(LENGTH_BITS)
  if (n > MAX_WIDTH) throw new RangeError(`value length ${n} beyond 53`)
  return r.bits(n)
}

/** Fewest bits a value of class `c` takes (a count of values is checked against the bits left). */
export const minValueBits = (c: BitClass): number => (c.escaped ? 1 + Math.min(c.width, LENGTH_BITS) : c.width)
