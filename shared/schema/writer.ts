/**
 * Appends msgpack to one growable buffer, reused across messages. Every method writes the same bytes
 * msgpackr writes for the same value with `useRecords: false, useFloat32: ALWAYS` (the interop test
 * pins this), so frames are unchanged from when msgpackr packed them.
 */
export class Writer {
  buf: Uint8Array
  view: DataView
  at = 0
  /** `buf.byteLength`, kept as a plain number: reading a typed array's length is much slower in V8. Read-only outside. */
  cap: number

  constructor(size = 4096) {
    this.buf = new Uint8Array(size)
    this.view = new DataView(this.buf.buffer)
    this.cap = size
  }

  /** Makes room for `n` more bytes. Called before every write, so a value never lands past the end. */
  reserve(n: number): void {
    if (this.at + n > this.cap) this.grow(this.at + n)
  }

  /** Out of line, so the size check stays small enough to inline. */
  private grow(needed: number): void {
    let size = this.cap * 2
    while (size < needed) size *= 2
    const next = new Uint8Array(size)
    next.set(this.buf.subarray(0, this.at))
    this.buf = next
    this.view = new DataView(next.buffer)
    this.cap = size
  }

  /** A fresh, plain Uint8Array owning its bytes: callers keep frames, and the transport writes into them. */
  take(): Uint8Array {
    return this.buf.slice(0, this.at)
  }

  byte(b: number): void {
    this.reserve(1)
    this.buf[this.at++] = b
  }

  nil(): void {
    this.byte(0xc0)
  }

  bool(v: boolean): void {
    this.byte(v ? 0xc3 : 0xc2)
  }

  /**
   * Any number, as msgpackr writes it: 32-bit integers in their smallest int form, other values
   * in [-2^31, 2^32) as float32, the rest as float64. Callers have already refused NaN and Infinity.
   */
  number(v: number): void {
    if (this.at + 9 > this.cap) this.grow(this.at + 9)
    this.at = writeNumber(this.buf, this.view, this.at, v)
  }

  /** A float64 as bin8 of its 8 bytes: the number writer would round it to float32. */
  float64Bytes(v: number): void {
    this.reserve(10)
    this.buf[this.at] = 0xc4
    this.buf[this.at + 1] = 8
    this.view.setFloat64(this.at + 2, v)
    this.at += 10
  }

  arrayHeader(n: number): void {
    this.reserve(5)
    this.at = writeArrayHeader(this.buf, this.view, this.at, n)
  }

  binary(v: Uint8Array): void {
    const n = v.byteLength
    this.reserve(5 + n)
    const b = this.buf
    if (n < 0x100) {
      b[this.at] = 0xc4
      b[this.at + 1] = n
      this.at += 2
    } else if (n < 0x10000) {
      b[this.at] = 0xc5
      b[this.at + 1] = n >> 8
      b[this.at + 2] = n & 0xff
      this.at += 3
    } else {
      b[this.at] = 0xc6
      this.view.setUint32(this.at + 1, n)
      this.at += 5
    }
    b.set(v, this.at)
    this.at += n
  }

  /**
   * UTF-8, with the header msgpackr picks: the shortest for the byte length. The bytes go after a
   * header sized for the worst case and move back when the real length needs a shorter one.
   * Lone surrogates become U+FFFD, as TextEncoder (and msgpackr) write them.
   */
  string(v: string): void {
    const units = v.length
    this.reserve(5 + 3 * units)
    const guess = units < 0x20 ? 1 : units < 0x100 ? 2 : units < 0x10000 ? 3 : 5
    const start = this.at + guess
    const length = units < 0x40 ? this.utf8Short(v, start) : encoder.encodeInto(v, this.buf.subarray(start)).written
    const header = length < 0x20 ? 1 : length < 0x100 ? 2 : length < 0x10000 ? 3 : 5
    const b = this.buf
    // The worst-case guess can only be too small by UTF-16 length: move the bytes to fit the header.
    if (header !== guess) b.copyWithin(this.at + header, start, start + length)
    if (header === 1) b[this.at] = 0xa0 | length
    else if (header === 2) {
      b[this.at] = 0xd9
      b[this.at + 1] = length
    } else if (header === 3) {
      b[this.at] = 0xda
      b[this.at + 1] = length >> 8
      b[this.at + 2] = length & 0xff
    } else {
      b[this.at] = 0xdb
      this.view.setUint32(this.at + 1, length)
    }
    this.at += header + length
  }

  /** Encodes a short string by hand (cheaper than TextEncoder for a few characters); returns its byte length. */
  private utf8Short(v: string, start: number): number {
    const b = this.buf
    let p = start
    for (let i = 0; i < v.length; i++) {
      let c = v.charCodeAt(i)
      if (c < 0x80) b[p++] = c
      else if (c < 0x800) {
        b[p++] = (c >> 6) | 0xc0
        b[p++] = (c & 0x3f) | 0x80
      } else if ((c & 0xfc00) === 0xd800 && (v.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        c = 0x10000 + ((c & 0x3ff) << 10) + (v.charCodeAt(++i) & 0x3ff)
        b[p++] = (c >> 18) | 0xf0
        b[p++] = ((c >> 12) & 0x3f) | 0x80
        b[p++] = ((c >> 6) & 0x3f) | 0x80
        b[p++] = (c & 0x3f) | 0x80
      } else if ((c & 0xf800) === 0xd800) {
        b[p++] = 0xef
        b[p++] = 0xbf
        b[p++] = 0xbd
      } else {
        b[p++] = (c >> 12) | 0xe0
        b[p++] = ((c >> 6) & 0x3f) | 0x80
        b[p++] = (c & 0x3f) | 0x80
      }
    }
    return p - start
  }
}

const encoder = new TextEncoder()

/**
 * Writes `v` at `at` as msgpackr does (see Writer.number) and returns the position after it. The
 * caller has made room for 9 bytes. Shared by the Writer and the generated codec, so both write the same bytes.
 */
export function writeNumber(b: Uint8Array, view: DataView, at: number, v: number): number {
  if (v >>> 0 === v) {
    if (v < 0x80) b[at++] = v
    else if (v < 0x100) {
      b[at++] = 0xcc
      b[at++] = v
    } else if (v < 0x10000) {
      b[at++] = 0xcd
      b[at++] = v >> 8
      b[at++] = v & 0xff
    } else {
      b[at++] = 0xce
      view.setUint32(at, v)
      at += 4
    }
  } else if (v >> 0 === v) {
    if (v >= -0x20) b[at++] = 0x100 + v
    else if (v >= -0x80) {
      b[at++] = 0xd0
      b[at++] = v + 0x100
    } else if (v >= -0x8000) {
      b[at++] = 0xd1
      view.setInt16(at, v)
      at += 2
    } else {
      b[at++] = 0xd2
      view.setInt32(at, v)
      at += 4
    }
  } else if (v < 0x100000000 && v >= -0x80000000) {
    b[at++] = 0xca
    view.setFloat32(at, v)
    at += 4
  } else {
    b[at++] = 0xcb
    view.setFloat64(at, v)
    at += 8
  }
  return at
}

/** An array header for `n` items at `at` (room for 5 bytes made); returns the position after it. */
export function writeArrayHeader(b: Uint8Array, view: DataView, at: number, n: number): number {
  if (n < 0x10) {
    b[at] = 0x90 | n
    return at + 1
  }
  if (n < 0x10000) {
    b[at] = 0xdc
    b[at + 1] = n >> 8
    b[at + 2] = n & 0xff
    return at + 3
  }
  b[at] = 0xdd
  view.setUint32(at + 1, n)
  return at + 5
}
