/**
 * True when `b[from..]` is exactly one complete msgpack value (no truncation, no trailing bytes,
 * no 0xc1). Only run after a schema check failed, so a frame that is both broken and mistyped is
 * reported `malformed`, as when msgpackr parsed the whole frame before the schema saw it.
 * Iterative, with a count of values still to read: hostile nesting cannot grow the stack.
 * Extension types count as well formed here (the schema refuses them as `wrong-type`).
 */
export function wellFormed(b: Uint8Array, from: number): boolean {
  const end = b.byteLength
  const view = new DataView(b.buffer, b.byteOffset, end)
  /** Big-endian unsigned of `size` bytes at `at`, or -1 past the end. */
  const len = (at: number, size: number): number =>
    at + size > end ? -1 : size === 1 ? b[at]! : size === 2 ? view.getUint16(at) : view.getUint32(at)
  let pos = from
  let pending = 1
  while (pending > 0) {
    if (pos >= end) return false
    const t = b[pos++]!
    pending--
    let skip = 0 // payload bytes after the header
    let items = 0 // nested values that follow
    if (t < 0x80 || t >= 0xe0) continue
    else if (t < 0x90) items = 2 * (t & 0x0f)
    else if (t < 0xa0) items = t & 0x0f
    else if (t < 0xc0) skip = t & 0x1f
    else {
      const size = HEADER_LENGTH[t - 0xc0]!
      if (size === -1) return false // 0xc1
      skip = FIXED[t - 0xc0]!
      if (size > 0) {
        const n = len(pos, size)
        if (n < 0) return false
        pos += size
        if (t === 0xdc || t === 0xdd) items = n
        else if (t === 0xde || t === 0xdf) items = 2 * n
        else skip += n // bin, str, ext (FIXED holds ext's type byte)
      }
    }
    if (pos + skip > end) return false
    pos += skip
    pending += items
    // Every value takes at least one byte: a count past what is left cannot be satisfied.
    if (pending > end - pos) return false
  }
  return pos === end
}

// For type bytes 0xc0..0xdf: bytes of the length field (-1: invalid byte), and fixed bytes after it.
// prettier-ignore
const HEADER_LENGTH = [0, -1, 0, 0, 1, 2, 4, 1, 2, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 4, 2, 4, 2, 4]
// prettier-ignore
const FIXED = [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 4, 8, 1, 2, 4, 8, 1, 2, 4, 8, 2, 3, 5, 9, 17, 0, 0, 0, 0, 0, 0, 0]
