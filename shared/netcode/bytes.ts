/**
 * Minimal byte writer/reader for the snapshot delta format: LEB128 varints (small numbers, small
 * bytes) and zigzag for signed ones. Integers up to 2^53 (plain arithmetic, no 32-bit bit ops).
 */
export class ByteWriter {
  private buf = new Uint8Array(256)
  private len = 0

  get length(): number {
    return this.len
  }

  byte(b: number): void {
    if (this.len === this.buf.length) {
      const bigger = new Uint8Array(this.buf.length * 2)
      bigger.set(this.buf)
      this.buf = bigger
    }
    this.buf[this.len++] = b & 0xff
  }

  uint(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`varint: ${n} is not a non-negative safe integer`)
    while (n >= 0x80) {
      this.byte((n % 0x80) | 0x80)
      n = Math.floor(n / 0x80)
    }
    this.byte(n)
  }

  /** Zigzag: 0, -1, 1, -2, ... become 0, 1, 2, 3, ... so small magnitudes stay one byte. */
  sint(n: number): void {
    if (!Number.isSafeInteger(n) || Math.abs(n) > Number.MAX_SAFE_INTEGER / 2) throw new RangeError(`varint: ${n} out of range`)
    this.uint(n >= 0 ? n * 2 : -n * 2 - 1)
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.len)
  }
}

export class ByteReader {
  private pos = 0

  constructor(private readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.pos === this.buf.length
  }

  byte(): number {
    const b = this.buf[this.pos]
    if (b === undefined) throw new RangeError('truncated')
    this.pos++
    return b
  }

  uint(): number {
    let n = 0
    let scale = 1
    for (let i = 0; i < 8; i++) {
      const b = this.byte()
      n += (b & 0x7f) * scale
      if (b < 0x80) {
        if (!Number.isSafeInteger(n)) throw new RangeError('varint beyond 2^53')
        return n
      }
      scale *= 0x80
    }
    throw new RangeError('varint too long')
  }

  sint(): number {
    const z = this.uint()
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2
  }
}

/** Bytes `ByteWriter.uint(n)` writes. */
export function uintBytes(n: number): number {
  let bytes = 1
  while (n >= 0x80) {
    n = Math.floor(n / 0x80)
    bytes++
  }
  return bytes
}

/** Bytes `ByteWriter.sint(n)` writes. */
export function sintBytes(n: number): number {
  return uintBytes(n >= 0 ? n * 2 : -n * 2 - 1)
}
