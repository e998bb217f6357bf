/**
 * Minimal byte writer/reader for the snapshot delta format: LEB128 varints (small numbers, small
 * bytes) and zigzag for signed ones. Integers up to 2^53 (plain arithmetic, no 32-bit bit ops).
 */
import { unzigzag, zigzag } from './bits'
import { readLeb128, writeLeb128 } from './leb128'

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
    writeLeb128(n, this.putByte)
  }

  /** Zigzag: 0, -1, 1, -2, ... become 0, 1, 2, 3, ... so small magnitudes stay one byte. */
  sint(n: number): void {
    if (!Number.isSafeInteger(n) || Math.abs(n) > Number.MAX_SAFE_INTEGER / 2) throw new RangeError(`varint: ${n} out of range`)
    this.uint(zigzag(n))
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.len)
  }

  private readonly putByte = (b: number): void => this.byte(b)
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
    return readLeb128(this.nextByte)
  }

  sint(): number {
    return unzigzag(this.uint())
  }

  private readonly nextByte = (): number => this.byte()
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
