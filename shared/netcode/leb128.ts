/**
 * LEB128 varints, shared by the byte and the bit codecs: 7 bits a byte, lowest first, the top bit set
 * on every byte but the last. Integers up to 2^53 (plain arithmetic, no 32-bit bit ops); at most 8
 * bytes are read, so hostile input cannot make the reader loop.
 */
export function writeLeb128(n: number, put: (byte: number) => void): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`varint: ${n} is not a non-negative safe integer`)
  while (n >= 0x80) {
    put((n % 0x80) | 0x80)
    n = Math.floor(n / 0x80)
  }
  put(n)
}

/** Throws RangeError past 2^53 or 8 bytes; `next` throws on truncated input. */
export function readLeb128(next: () => number): number {
  let n = 0
  let scale = 1
  for (let i = 0; i < 8; i++) {
    const b = next()
    n += (b & 0x7f) * scale
    if (b < 0x80) {
      if (!Number.isSafeInteger(n)) throw new RangeError('varint beyond 2^53')
      return n
    }
    scale *= 0x80
  }
  throw new RangeError('varint too long')
}
