/**
 * Reliable-channel framing: `[flag][bytes]`. A message that fits one chunk is sent whole; a larger
 * one is cut into chunks sent back to back on the ordered channel, so reassembly is concatenation.
 */
export const FragmentFlag = { Whole: 0, More: 1, Last: 2 } as const

/** 16 KiB is the chunk size every browser accepts; larger messages can close a browser's channel. */
export const DEFAULT_CHUNK_BYTES = 16 * 1024

/**
 * Splits an encoded message (`[1 free byte][id][payload]`, as encodeMessage leaves it with the first
 * headroom byte dropped) into channel messages. The first chunk reuses the free byte for its flag.
 */
export function* fragment(withFreeByte: Uint8Array, chunkBytes: number): Generator<Uint8Array> {
  const body = withFreeByte.byteLength - 1
  if (body <= chunkBytes) {
    withFreeByte[0] = FragmentFlag.Whole
    yield withFreeByte
    return
  }
  const first = withFreeByte.subarray(0, 1 + chunkBytes)
  first[0] = FragmentFlag.More
  yield first
  for (let at = 1 + chunkBytes; at < withFreeByte.byteLength; at += chunkBytes) {
    const end = Math.min(withFreeByte.byteLength, at + chunkBytes)
    const chunk = new Uint8Array(1 + end - at)
    chunk[0] = end === withFreeByte.byteLength ? FragmentFlag.Last : FragmentFlag.More
    chunk.set(withFreeByte.subarray(at, end), 1)
    yield chunk
  }
}

export type Reassembled = { ok: true; frame: Uint8Array } | { ok: false; reason: 'malformed' | 'frame-too-large' } | null

/**
 * Joins chunks back into `[id][payload]` frames. `maxBytes(firstByte)` caps a message by its id
 * (the id is the first byte), so an oversized message is refused while it arrives, not after.
 */
export class Reassembler {
  private parts: Uint8Array[] = []
  private size = 0
  private cap = 0
  private discarding = false

  constructor(private readonly maxBytes: (id: number) => number) {}

  /** Returns a frame, a refusal (once per message), or null while more chunks are expected. */
  push(chunk: Uint8Array): Reassembled {
    if (chunk.byteLength < 1) return { ok: false, reason: 'malformed' }
    const flag = chunk[0]
    const data = chunk.subarray(1)
    if (flag !== FragmentFlag.Whole && flag !== FragmentFlag.More && flag !== FragmentFlag.Last) return this.refuse('malformed')
    if (this.discarding) {
      if (flag !== FragmentFlag.More) this.discarding = false
      return null
    }
    if (this.parts.length === 0) {
      if (flag === FragmentFlag.Last) return { ok: false, reason: 'malformed' }
      if (flag === FragmentFlag.Whole) return { ok: true, frame: data }
      this.cap = this.maxBytes(data[0] ?? 0)
    } else if (flag === FragmentFlag.Whole) {
      this.reset()
      return { ok: false, reason: 'malformed' }
    }
    this.size += data.byteLength
    if (this.size > this.cap) {
      this.reset()
      this.discarding = flag === FragmentFlag.More
      return { ok: false, reason: 'frame-too-large' }
    }
    this.parts.push(data.slice())
    if (flag === FragmentFlag.More) return null
    const frame = new Uint8Array(this.size)
    let at = 0
    for (const p of this.parts) {
      frame.set(p, at)
      at += p.byteLength
    }
    this.reset()
    return { ok: true, frame }
  }

  private refuse(reason: 'malformed'): Reassembled {
    this.reset()
    return { ok: false, reason }
  }

  private reset(): void {
    this.parts = []
    this.size = 0
  }
}
