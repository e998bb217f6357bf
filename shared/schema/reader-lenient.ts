import { numberBody, utf8, type Reader } from './reader'

// The Reader's reads for the generated codec (codegen.ts), which never throws: the same encodings
// accepted and the same values returned, but a failure is a plain return value (NaN, -1, undefined)
// with `r.pos` unspecified, and the caller gives up and lets the closures (and the Reader) say why.

/** Bytes after the type byte for 0xca..0xd3. */
const SIZE = [4, 8, 1, 2, 4, 8, 1, 2, 4, 8]

/** Any msgpack int or float (as Reader.number), or NaN when the next value is not one or is cut short. */
export function readNumber(r: Reader): number {
  const p = r.pos
  if (p >= r.end) return NaN
  const t = r.bytes[p]!
  if (t < 0x80) {
    r.pos = p + 1
    return t
  }
  if (t >= 0xe0) {
    r.pos = p + 1
    return t - 0x100
  }
  if (t < 0xca || t > 0xd3) return NaN
  const at = p + 1
  if (at + SIZE[t - 0xca]! > r.end) return NaN
  r.pos = at + SIZE[t - 0xca]!
  return numberBody(r.view, r.bytes, t, at)
}

/** The `size`-byte big-endian length after the type byte at `r.pos` (moving past it), or -1 if cut short. */
function length(r: Reader, size: 1 | 2 | 4): number {
  const at = r.pos + 1
  if (at + size > r.end) return -1
  r.pos = at + size
  return size === 1 ? r.bytes[at]! : size === 2 ? r.view.getUint16(at) : r.view.getUint32(at)
}

/** An array header's count (fixarray, array16, array32), or -1. */
export function readArrayHeader(r: Reader): number {
  if (r.pos >= r.end) return -1
  const t = r.bytes[r.pos]!
  if ((t & 0xf0) === 0x90) {
    r.pos++
    return t & 0x0f
  }
  return t === 0xdc ? length(r, 2) : t === 0xdd ? length(r, 4) : -1
}

/** A string of at most `maxBytes` UTF-8 bytes (decoded as Reader.string does), or undefined. */
export function readString(r: Reader, maxBytes: number): string | undefined {
  if (r.pos >= r.end) return undefined
  const t = r.bytes[r.pos]!
  let n: number
  if ((t & 0xe0) === 0xa0) {
    r.pos++
    n = t & 0x1f
  } else n = t === 0xd9 ? length(r, 1) : t === 0xda ? length(r, 2) : t === 0xdb ? length(r, 4) : -1
  if (n < 0 || n > maxBytes || r.pos + n > r.end) return undefined
  const start = r.pos
  r.pos += n
  return utf8(r.bytes, start, n)
}

/** A view of the frame's bytes (bin8, bin16, bin32, as Reader.binary), or undefined. */
export function readBinary(r: Reader): Uint8Array | undefined {
  if (r.pos >= r.end) return undefined
  const t = r.bytes[r.pos]!
  const n = t === 0xc4 ? length(r, 1) : t === 0xc5 ? length(r, 2) : t === 0xc6 ? length(r, 4) : -1
  if (n < 0 || r.pos + n > r.end) return undefined
  const out = new Uint8Array(r.bytes.buffer, r.bytes.byteOffset + r.pos, n)
  r.pos += n
  return out
}
