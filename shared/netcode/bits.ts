/**
 * Bit writer/reader for the snapshot delta format, most significant bit first. Values up to 2^53
 * (split into 24-bit chunks, so the 32-bit accumulator never overflows). The reader throws
 * RangeError on truncated or impossible input and never allocates in proportion to what it reads.
 */
import { readLeb128, writeLeb128 } from './leb128'

const CHUNK = 24
const TWO_24 = 1 << CHUNK
const F32 = new DataView(new ArrayBuffer(4))

/** Bits needed to write `v` (0 for 0). */
export function bitLength(v: number): number {
  if (v < TWO_24) return v === 0 ? 0 : 32 - Math.clz32(v)
  let n = 0
  while (v >= TWO_24) {
    v = Math.floor(v / TWO_24)
    n += CHUNK
  }
  return n + (v === 0 ? 0 : 32 - Math.clz32(v))
}

/** Bits `BitWriter.gamma(v)` writes: Elias gamma of v + 1, so 0 is one bit, 1-2 three, 3-6 five. */
export function gammaBits(v: number): number {
  return 2 * bitLength(v + 1) - 1
}

export function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1
}

export function unzigzag(z: number): number {
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2
}

export class BitWriter {
  private buf = new Uint8Array(512)
  private len = 0
  private acc = 0
  private pending = 0

  /** Bits written so far. */
  get bitCount(): number {
    return this.len * 8 + this.pending
  }

  /** The low `n` bits of non-negative integer `v` (n <= 53). */
  bits(v: number, n: number): void {
    if (n > CHUNK) {
      this.bits(Math.floor(v / TWO_24), n - CHUNK)
      v %= TWO_24
      n = CHUNK
    }
    if (n === 0) return
    this.acc = (this.acc << n) | (v & ((1 << n) - 1))
    this.pending += n
    while (this.pending >= 8) {
      this.pending -= 8
      this.push((this.acc >>> this.pending) & 0xff)
    }
    this.acc &= (1 << this.pending) - 1
  }

  bit(b: boolean): void {
    this.bits(b ? 1 : 0, 1)
  }

  gamma(v: number): void {
    if (!Number.isSafeInteger(v) || v < 0 || v >= Number.MAX_SAFE_INTEGER) throw new RangeError(`gamma: ${v} out of range`)
    const n = bitLength(v + 1)
    this.bits(0, n - 1)
    this.bits(v + 1, n)
  }

  /** LEB128, byte-aligned only when nothing is pending (the header). */
  varint(n: number): void {
    writeLeb128(n, this.putByte)
  }

  float32(f: number): void {
    F32.setFloat32(0, f)
    this.bits(F32.getUint32(0), 32)
  }

  /** The bytes, the last one padded with zero bits. */
  bytes(): Uint8Array {
    if (this.pending > 0) this.bits(0, 8 - this.pending)
    return this.buf.slice(0, this.len)
  }

  private readonly putByte = (b: number): void => this.bits(b, 8)

  private push(b: number): void {
    if (this.len === this.buf.length) {
      const bigger = new Uint8Array(this.buf.length * 2)
      bigger.set(this.buf)
      this.buf = bigger
    }
    this.buf[this.len++] = b
  }
}

export class BitReader {
  private pos: number
  private acc = 0
  private pending = 0

  constructor(
    private readonly buf: Uint8Array,
    byteOffset = 0,
  ) {
    this.pos = byteOffset
  }

  /** Bits left to read (a count is checked against this before anything is allocated for it). */
  get remaining(): number {
    return (this.buf.length - this.pos) * 8 + this.pending
  }

  bits(n: number): number {
    if (n > CHUNK) {
      const high = this.bits(n - CHUNK)
      return high * TWO_24 + this.bits(CHUNK)
    }
    if (n === 0) return 0
    while (this.pending < n) {
      const b = this.buf[this.pos]
      if (b === undefined) throw new RangeError('truncated')
      this.pos++
      this.acc = (this.acc << 8) | b
      this.pending += 8
    }
    this.pending -= n
    const v = (this.acc >>> this.pending) & ((1 << n) - 1)
    this.acc &= (1 << this.pending) - 1
    return v
  }

  bit(): boolean {
    return this.bits(1) === 1
  }

  gamma(): number {
    let zeros = 0
    while (this.bits(1) === 0) if (++zeros > 52) throw new RangeError('gamma code too long')
    const v = zeros === 0 ? 1 : 2 ** zeros + this.bits(zeros)
    return v - 1
  }

  varint(): number {
    return readLeb128(this.nextByte)
  }

  private readonly nextByte = (): number => this.bits(8)

  float32(): number {
    F32.setUint32(0, this.bits(32))
    return F32.getFloat32(0)
  }

  /** True when only the zero padding of the last byte is left. */
  get atEnd(): boolean {
    return this.pos === this.buf.length && this.acc === 0
  }
}
