/**
 * The snapshot delta codec as it was before bit packing (byte varints), frozen here as the bench's
 * "before" baseline: bytes and speed of both formats are measured in the same run.
 */
import type { Field } from '../shared/schema/field'
import { ByteReader, ByteWriter, sintBytes, uintBytes } from '../shared/netcode/bytes'

/**
 * Delta compression of entity snapshots against the last snapshot the client acknowledged.
 *
 * Entities are records of numeric fields, each declared with an integer-valued schema field
 * (`t.quantized({ min, max, step })`, `t.uint8()`, ...): values are compared and sent as those
 * integers, so what the client decodes is exactly the quantized value (same semantics as the schema:
 * clamped to the range, NaN refused). Only changed fields of changed entities are written.
 *
 * Format (all varints; signed ones zigzag):
 *   tick, tick - baseTick (0 = full snapshot, no base),
 *   removed count, removed ids (as gaps from the previous id),
 *   written count, then per entity: id gap, and
 *     - an entity the base lacks: every field, absolute (unsigned for quantized/uint fields);
 *     - an entity the base has: a bitmask of changed fields (1 byte per 8 fields), then each
 *       changed field as the difference from the base (small moves are one byte).
 * The decoder knows which case applies from its own copy of the base, so no flag is sent.
 */
export type EntityLayout = Readonly<Record<string, Field<number>>>
export type EntityOf<L extends EntityLayout> = { readonly [K in keyof L]: number }

export interface Snapshot<L extends EntityLayout> {
  readonly tick: number
  /** Entity id (non-negative integer) to state. */
  readonly entities: ReadonlyMap<number, EntityOf<L>>
}

export type DeltaErrorCode = 'malformed' | 'base-mismatch' | 'out-of-range'

export class DeltaError extends Error {
  constructor(
    readonly code: DeltaErrorCode,
    message: string,
  ) {
    super(`snapshot delta ${code}: ${message}`)
    this.name = 'DeltaError'
  }
}

/** Reads the ticks at the front of an encoded snapshot, to pick the base to decode it against. */
export function readDeltaHeader(bytes: Uint8Array): { tick: number; baseTick: number | undefined } {
  try {
    const r = new ByteReader(bytes)
    const tick = r.uint()
    const back = r.uint()
    return { tick, baseTick: back === 0 ? undefined : tick - back }
  } catch (err) {
    throw new DeltaError('malformed', String(err))
  }
}

type Quantized = ReadonlyMap<number, readonly number[]>

export class SnapshotCodec<L extends EntityLayout> {
  private readonly keys: readonly (keyof L & string)[]
  private readonly fields: readonly Field<number>[]
  /** Fields that are never negative (quantized steps, unsigned ints) are written unsigned when absolute: 1 bit saved, often a byte. */
  private readonly unsigned: readonly boolean[]
  private readonly maskBytes: number
  /** Snapshots are immutable by contract, so their integer form is computed once (a server encodes each for many clients). */
  private readonly cache = new WeakMap<Snapshot<L>, Quantized>()

  constructor(layout: L) {
    this.keys = Object.keys(layout)
    this.fields = this.keys.map((k) => layout[k]!)
    if (this.keys.length === 0) throw new RangeError('SnapshotCodec: empty layout')
    this.maskBytes = Math.ceil(this.keys.length / 8)
    // The signature is the field's canonical declaration text (see shared/schema/field.ts).
    this.unsigned = this.fields.map((f) => /^(quantized|uint)/.test(f.signature))
  }

  /** The snapshot as the client will decode it: every value on its quantization grid. */
  quantize(s: Snapshot<L>): Snapshot<L> {
    const entities = new Map<number, EntityOf<L>>()
    for (const [id, q] of this.ints(s)) entities.set(id, this.fromInts(q, id))
    return { tick: s.tick, entities }
  }

  encode(base: Snapshot<L> | undefined, current: Snapshot<L>): Uint8Array {
    if (base && !(base.tick < current.tick)) throw new RangeError(`base tick ${base.tick} is not before ${current.tick}`)
    const w = new ByteWriter()
    w.uint(current.tick)
    w.uint(base ? current.tick - base.tick : 0)
    const cur = this.ints(current)
    const old: Quantized = base ? this.ints(base) : new Map()

    const removed = [...old.keys()].filter((id) => !cur.has(id)).sort((a, b) => a - b)
    w.uint(removed.length)
    let prev = -1
    for (const id of removed) {
      w.uint(id - prev - 1)
      prev = id
    }

    const written: [number, readonly number[], readonly number[] | undefined, number[]][] = []
    for (const id of [...cur.keys()].sort((a, b) => a - b)) {
      const q = cur.get(id)!
      const b = old.get(id)
      const changed = b ? this.fields.map((_, i) => i).filter((i) => q[i] !== b[i]) : []
      if (!b || changed.length > 0) written.push([id, q, b, changed])
    }
    w.uint(written.length)
    prev = -1
    for (const [id, q, b, changed] of written) {
      w.uint(id - prev - 1)
      prev = id
      if (!b) {
        q.forEach((v, i) => (this.unsigned[i] ? w.uint(v) : w.sint(v)))
        continue
      }
      const mask = new Uint8Array(this.maskBytes)
      for (const i of changed) mask[i >> 3]! |= 1 << (i & 7)
      for (const m of mask) w.byte(m)
      for (const i of changed) w.sint(q[i]! - b[i]!)
    }
    return w.bytes()
  }

  /**
   * Upper bound of the bytes entity `id` adds to `encode(...)` when it is written against `base`'s state
   * (undefined: the base lacks it). The id gap is counted as if it were the first id, hence an upper
   * bound: a server choosing what fits a packet can add these up and never overshoot.
   */
  entityBytes(id: number, current: EntityOf<L>, base: EntityOf<L> | undefined): number {
    const q = this.entityInts(id, current)
    let n = uintBytes(id)
    if (!base) {
      q.forEach((v, i) => (n += this.unsigned[i] ? uintBytes(v) : sintBytes(v)))
      return n
    }
    const b = this.entityInts(id, base)
    n += this.maskBytes
    for (let i = 0; i < q.length; i++) if (q[i] !== b[i]) n += sintBytes(q[i]! - b[i]!)
    return n
  }

  /**
   * Decodes bytes made by `encode(base, ...)`; `base` must be the snapshot with the tick the header
   * names (ignored for a full snapshot). Throws DeltaError.
   */
  decode(base: Snapshot<L> | undefined, bytes: Uint8Array): Snapshot<L> {
    const { tick, baseTick } = readDeltaHeader(bytes)
    if (baseTick !== undefined && base?.tick !== baseTick)
      throw new DeltaError('base-mismatch', `encoded against tick ${baseTick}, given ${base ? base.tick : 'none'}`)
    const useBase = baseTick === undefined ? undefined : base
    try {
      return this.read(useBase, bytes, tick)
    } catch (err) {
      if (err instanceof DeltaError) throw err
      throw new DeltaError(err instanceof RangeError ? 'malformed' : 'out-of-range', err instanceof Error ? err.message : String(err))
    }
  }

  private read(base: Snapshot<L> | undefined, bytes: Uint8Array, tick: number): Snapshot<L> {
    const r = new ByteReader(bytes)
    r.uint()
    r.uint()
    const old: Quantized = base ? this.ints(base) : new Map()
    const entities = new Map<number, EntityOf<L>>(base?.entities)

    let id = -1
    for (let n = r.uint(); n > 0; n--) {
      id += r.uint() + 1
      if (!entities.delete(id)) throw new DeltaError('malformed', `removed entity ${id} is not in the base`)
    }
    id = -1
    for (let n = r.uint(); n > 0; n--) {
      id += r.uint() + 1
      const b = old.get(id)
      let q: number[]
      if (!b) q = this.unsigned.map((u) => (u ? r.uint() : r.sint()))
      else {
        q = [...b]
        const mask: number[] = []
        for (let i = 0; i < this.maskBytes; i++) mask.push(r.byte())
        for (let i = 0; i < this.fields.length; i++) if ((mask[i >> 3]! >> (i & 7)) & 1) q[i] = b[i]! + r.sint()
      }
      entities.set(id, this.fromInts(q, id))
    }
    if (!r.done) throw new DeltaError('malformed', 'trailing bytes')
    return { tick, entities }
  }

  private ints(s: Snapshot<L>): Quantized {
    let q = this.cache.get(s)
    if (q) return q
    const out = new Map<number, readonly number[]>()
    for (const [id, e] of s.entities) out.set(id, this.entityInts(id, e))
    q = out
    this.cache.set(s, q)
    return q
  }

  private entityInts(id: number, e: EntityOf<L>): number[] {
    if (!Number.isSafeInteger(id) || id < 0) throw new RangeError(`entity id ${id} must be a non-negative integer`)
    return this.keys.map((k, i) => {
      const wire = this.fields[i]!.toWire(e[k], `${id}.${k}`)
      if (typeof wire !== 'number' || !Number.isSafeInteger(wire)) throw new RangeError(`field ${k} must be integer-valued (t.quantized, t.uint8, ...)`)
      return wire
    })
  }

  private fromInts(q: readonly number[], id: number): EntityOf<L> {
    const e: Record<string, number> = {}
    this.keys.forEach((k, i) => {
      e[k] = this.fields[i]!.fromWire(q[i], `${id}.${k}`)
    })
    return e as EntityOf<L>
  }
}
