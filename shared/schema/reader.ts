import { SchemaError } from './errors'

/**
 * Reads msgpack values the schema asks for, one at a time, from a received frame. Accepts every
 * msgpack encoding of the asked type (any int width, float32 or float64, str8/16/32, bin8/16/32,
 * array16/32); anything else is `wrong-type`, and reading past the end is `malformed`. It never
 * recurses on its own: the schema drives it, so nesting is bounded by the declaration.
 * Errors carry no path here; the fields that call it add theirs on the way out.
 */
const EMPTY = new Uint8Array(0)
const EMPTY_VIEW = new DataView(EMPTY.buffer)

export class Reader {
  bytes: Uint8Array = EMPTY
  view: DataView = EMPTY_VIEW
  pos = 0
  end = 0

  reset(bytes: Uint8Array, pos: number): void {
    this.bytes = bytes
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    this.pos = pos
    this.end = bytes.byteLength
  }

  /** Forgets the frame, so a peer's bytes are not kept alive between messages. */
  release(): void {
    this.bytes = EMPTY
    this.view = EMPTY_VIEW
  }

  /** Throws `malformed` unless `n` more bytes are there. */
  need(n: number): void {
    if (this.pos + n > this.end) throw new SchemaError('malformed', '', `truncated at byte ${this.pos}`)
  }

  /** Takes a nil if that is what comes next (an absent optional field). */
  nil(): boolean {
    this.need(1)
    if (this.bytes[this.pos] !== 0xc0) return false
    this.pos++
    return true
  }

  /** Any msgpack int or float, as a number (64-bit ints as the nearest double, as msgpackr reads them). */
  number(expected: string): number {
    this.need(1)
    const t = this.bytes[this.pos]!
    if (t < 0x80) {
      this.pos++
      return t
    }
    if (t >= 0xe0) {
      this.pos++
      return t - 0x100
    }
    const size = NUMBER_SIZE[t - 0xc0]
    if (size === undefined || size === 0) return this.wrongType(expected)
    this.need(1 + size)
    const at = this.pos + 1
    this.pos = at + size
    return numberBody(this.view, this.bytes, t, at)
  }

  bool(): boolean {
    this.need(1)
    const t = this.bytes[this.pos]!
    if (t === 0xc3 || t === 0xc2) {
      this.pos++
      return t === 0xc3
    }
    return this.wrongType('boolean')
  }

  arrayHeader(expected: string): number {
    this.need(1)
    const t = this.bytes[this.pos]!
    if ((t & 0xf0) === 0x90) {
      this.pos++
      return t & 0x0f
    }
    if (t === 0xdc) return this.length(2)
    if (t === 0xdd) return this.length(4)
    return this.wrongType(expected)
  }

  /**
   * A string of at most `maxBytes` UTF-8 bytes (longer is `too-long`, refused before decoding).
   * Invalid UTF-8 becomes U+FFFD, as TextDecoder (and msgpackr) decode it; a string that decodes can
   * always be sent back.
   */
  string(maxBytes: number, maxLength: number): string {
    this.need(1)
    const t = this.bytes[this.pos]!
    let n: number
    if ((t & 0xe0) === 0xa0) {
      this.pos++
      n = t & 0x1f
    } else if (t === 0xd9) n = this.length(1)
    else if (t === 0xda) n = this.length(2)
    else if (t === 0xdb) n = this.length(4)
    else return this.wrongType('string')
    this.need(n)
    if (n > maxBytes) throw new SchemaError('too-long', '', `string of ${n} B exceeds ${maxLength} characters`)
    const start = this.pos
    this.pos += n
    return utf8(this.bytes, start, n)
  }

  /** A view of the frame's bytes (no copy), as a plain Uint8Array. */
  binary(expected: string): Uint8Array {
    this.need(1)
    const t = this.bytes[this.pos]!
    let n: number
    if (t === 0xc4) n = this.length(1)
    else if (t === 0xc5) n = this.length(2)
    else if (t === 0xc6) n = this.length(4)
    else return this.wrongType(expected)
    this.need(n)
    const out = new Uint8Array(this.bytes.buffer, this.bytes.byteOffset + this.pos, n)
    this.pos += n
    return out
  }

  /** Reads the `size`-byte big-endian length after the type byte. */
  private length(size: 1 | 2 | 4): number {
    this.need(1 + size)
    const at = this.pos + 1
    this.pos = at + size
    return size === 1 ? this.bytes[at]! : size === 2 ? this.view.getUint16(at) : this.view.getUint32(at)
  }

  private wrongType(expected: string): never {
    throw new SchemaError('wrong-type', '', `expected ${expected}, got ${typeName(this.bytes[this.pos]!)}`)
  }
}

/** Bytes after the type byte for 0xc0..0xdf; 0 where that byte is not a number. */
const NUMBER_SIZE = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 8, 1, 2, 4, 8, 1, 2, 4, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]

const decoder = new TextDecoder()

/** `n` bytes of UTF-8 at `start` (invalid bytes become U+FFFD). Shared with the generated codec. */
export function utf8(b: Uint8Array, start: number, n: number): string {
  return n < 32 ? shortString(b, start, n) : decoder.decode(b.subarray(start, start + n))
}

/** ASCII without TextDecoder's call overhead; anything else goes to TextDecoder. */
function shortString(b: Uint8Array, start: number, n: number): string {
  let s = ''
  for (let i = start; i < start + n; i++) {
    const c = b[i]!
    if (c >= 0x80) return decoder.decode(b.subarray(start, start + n))
    s += String.fromCharCode(c)
  }
  return s
}

/** What a msgpack type byte holds, for error messages (the names `describe` uses for decoded values). */
export function typeName(t: number): string {
  if (t < 0x80 || t >= 0xe0 || (t >= 0xca && t <= 0xd3)) return 'number'
  if (t < 0x90 || t === 0xde || t === 0xdf) return 'object'
  if (t < 0xa0 || t === 0xdc || t === 0xdd) return 'array'
  if (t < 0xc0 || (t >= 0xd9 && t <= 0xdb)) return 'string'
  if (t === 0xc0) return 'null'
  if (t === 0xc2 || t === 0xc3) return 'boolean'
  if (t >= 0xc4 && t <= 0xc6) return 'binary'
  if (t === 0xc1) return 'invalid byte 0xc1'
  return 'extension'
}

/** The value of a msgpack number whose tag `t` (0xca..0xd3) was read; its body starts at `at`. */
export function numberBody(v: DataView, bytes: Uint8Array, t: number, at: number): number {
  switch (t) {
    case 0xca:
      return v.getFloat32(at)
    case 0xcb:
      return v.getFloat64(at)
    case 0xcc:
      return bytes[at]!
    case 0xcd:
      return v.getUint16(at)
    case 0xce:
      return v.getUint32(at)
    case 0xcf:
      return v.getUint32(at) * 0x100000000 + v.getUint32(at + 4)
    case 0xd0:
      return v.getInt8(at)
    case 0xd1:
      return v.getInt16(at)
    case 0xd2:
      return v.getInt32(at)
    default: // 0xd3
      return v.getInt32(at) * 0x100000000 + v.getUint32(at + 4)
  }
}
