import { describe, expect, it } from 'vitest'
import { fragment, FragmentFlag, Reassembler, type Reassembled } from '../../../shared/transport/fragments'

const CHUNK = 16

/** `[free byte][id][payload]` as encodeMessage leaves it after the first headroom byte: `body` bytes after the free one. */
function message(body: number, seed = 1): Uint8Array {
  const m = new Uint8Array(1 + body)
  for (let i = 1; i <= body; i++) m[i] = (i * 31 + seed) & 0xff
  return m
}

const join = (r: Reassembler, chunks: Iterable<Uint8Array>): Reassembled[] => [...chunks].map((c) => r.push(c.slice()))
const frameOf = (results: Reassembled[]): Uint8Array | undefined => {
  const last = results.at(-1)
  return last && last.ok ? last.frame : undefined
}
const unlimited = () => new Reassembler(() => Infinity)

describe('fragment + Reassembler', () => {
  it.each([0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK - 1, 2 * CHUNK, 2 * CHUNK + 1, 10 * CHUNK + 7])('a %d-byte body survives the round trip', (body) => {
    const original = message(body)
    const expected = original.slice(1)
    const chunks = [...fragment(original.slice(), CHUNK)]
    // Chunk count and flags: Whole alone, or More... then Last.
    const count = body <= CHUNK ? 1 : Math.ceil(body / CHUNK)
    expect(chunks.length).toBe(count)
    const flags = chunks.map((c) => c[0])
    if (count === 1) expect(flags).toEqual([FragmentFlag.Whole])
    else expect(flags).toEqual([...new Array<number>(count - 1).fill(FragmentFlag.More), FragmentFlag.Last])
    for (const c of chunks) expect(c.byteLength).toBeLessThanOrEqual(1 + CHUNK)
    expect(chunks.reduce((n, c) => n + c.byteLength - 1, 0)).toBe(body)

    const results = join(unlimited(), chunks)
    expect(results.slice(0, -1)).toEqual(new Array(count - 1).fill(null))
    expect(frameOf(results)).toEqual(expected)
  })

  it('reuses the free byte for the first flag rather than copying a single-chunk message', () => {
    const m = message(5)
    const [only] = [...fragment(m, CHUNK)]
    expect(only).toBe(m)
    expect(m[0]).toBe(FragmentFlag.Whole)
  })

  it('one reassembler joins many messages back to back', () => {
    const r = unlimited()
    for (const [i, body] of [40, 3, 17, 16, 100, 0, 33].entries()) {
      const original = message(body, i)
      expect(frameOf(join(r, fragment(original.slice(), CHUNK)))).toEqual(original.slice(1))
    }
  })

  it('caps a message by its id (the first byte), refusing it while it arrives, once', () => {
    const seen: number[] = []
    const r = new Reassembler((id) => {
      seen.push(id)
      return 40
    })
    const big = message(100)
    big[1] = 0x22
    const results = join(r, fragment(big, CHUNK)) // 7 chunks; the third passes 40 bytes
    expect(seen).toEqual([0x22])
    expect(results).toEqual([null, null, { ok: false, reason: 'frame-too-large' }, null, null, null, null])
    // The next message (at the cap) is fine.
    const fits = message(40, 9)
    expect(frameOf(join(r, fragment(fits.slice(), CHUNK)))).toEqual(fits.slice(1))
  })

  it('recovers when the cap is crossed on the last chunk', () => {
    const r = new Reassembler(() => 40)
    expect(join(r, fragment(message(41), CHUNK))).toEqual([null, null, { ok: false, reason: 'frame-too-large' }])
    const next = message(20)
    expect(frameOf(join(r, fragment(next.slice(), CHUNK)))).toEqual(next.slice(1))
  })

  it('does not cap a whole (single-chunk) message: the schema check after it does', () => {
    const r = new Reassembler(() => 1)
    const m = message(CHUNK)
    expect(frameOf(join(r, fragment(m.slice(), CHUNK)))).toEqual(m.slice(1))
  })

  it('refuses malformed flags and sequences, and carries on', () => {
    const r = unlimited()
    const chunk = (flag: number, ...data: number[]) => new Uint8Array([flag, ...data])
    expect(r.push(new Uint8Array(0))).toEqual({ ok: false, reason: 'malformed' })
    expect(r.push(chunk(3, 1))).toEqual({ ok: false, reason: 'malformed' })
    expect(r.push(chunk(255, 1))).toEqual({ ok: false, reason: 'malformed' })
    expect(r.push(chunk(FragmentFlag.Last, 1))).toEqual({ ok: false, reason: 'malformed' }) // Last with nothing before
    // A bad flag in the middle drops the partial message...
    expect(r.push(chunk(FragmentFlag.More, 1, 2))).toBeNull()
    expect(r.push(chunk(7))).toEqual({ ok: false, reason: 'malformed' })
    expect(r.push(chunk(FragmentFlag.Last, 3))).toEqual({ ok: false, reason: 'malformed' })
    // ...as does a Whole where a continuation was due.
    expect(r.push(chunk(FragmentFlag.More, 1, 2))).toBeNull()
    expect(r.push(chunk(FragmentFlag.Whole, 9))).toEqual({ ok: false, reason: 'malformed' })
    // Then it works again.
    expect(r.push(chunk(FragmentFlag.More, 4, 5))).toBeNull()
    expect(r.push(chunk(FragmentFlag.Last, 6))).toEqual({ ok: true, frame: new Uint8Array([4, 5, 6]) })
    expect(r.push(chunk(FragmentFlag.Whole, 7))).toEqual({ ok: true, frame: new Uint8Array([7]) })
  })

  it('keeps its own copy of the parts (the channel may reuse its buffers)', () => {
    const r = unlimited()
    const first = new Uint8Array([FragmentFlag.More, 1, 2])
    r.push(first)
    first.fill(0)
    expect(r.push(new Uint8Array([FragmentFlag.Last, 3]))).toEqual({ ok: true, frame: new Uint8Array([1, 2, 3]) })
  })
})
