import { CLASS_BITS, valueBitsBound } from './bit-widths'
import { gammaBits, zigzag } from './bits'
import { uintBytes } from './bytes'
import { decodeDelta, MalformedDelta } from './delta-decode'
import { encodeDelta } from './delta-encode'
import { DeltaLayout, EMPTY_ROWS, type EntityLayout, type EntityOf, type Rows } from './delta-layout'

export type { EntityLayout, EntityOf } from './delta-layout'

/**
 * Delta compression of entity snapshots against the last snapshot the client acknowledged, bit-packed
 * (after Glenn Fiedler's "Snapshot Compression").
 *
 * Entities are records of numeric fields, each declared with an integer-valued schema field
 * (`t.quantized({ min, max, step })`, `t.uint8()`, ...): values are compared and sent as those
 * integers, so what the client decodes is exactly the quantized value (same semantics as the schema:
 * clamped to the range, NaN refused). Only changed fields of changed entities are written.
 *
 * Format: two LEB128 varints, tick and tick - baseTick (0 = full snapshot, no base), then a bit
 * stream (most significant bit first; counts and gaps in Elias gamma, 0 costs one bit):
 *   removed: count, then base-index gaps (the base's entities in id order; 0 = the next one);
 *   changed: count, and if any: per velocity pair (see `predict`) a bit and, if set, a float32 scale;
 *     a width class per field (bit-widths.ts); then per entity its base-index gap, a bit "same field
 *     mask as the previous entity" or the mask, and each changed field as the zigzag difference from
 *     the base value, or from `base + round(base velocity * scale)` for a predicted field;
 *   added (not in the base): count, and if any a width class per field, then per entity its id gap
 *     and every field, absolute (zigzag for fields that can be negative);
 *   zero bits to the byte boundary.
 * A full snapshot is the same with an empty base: everything is "added".
 */
export interface Snapshot<L extends EntityLayout> {
  readonly tick: number
  /** Entity id (non-negative integer) to state. */
  readonly entities: ReadonlyMap<number, EntityOf<L>>
}

export interface SnapshotCodecOptions {
  /**
   * Field to predict -> the velocity field (in the base) that predicts it: a moving entity's position
   * then costs only the rounding error. The encoder fits the scale (units per tick, ticks between
   * base and snapshot) per snapshot and uses it only where it saves bits. Default: each field `vK`
   * predicts `K` (so `vx`, `vy` predict `x`, `y`); `{}` turns prediction off.
   */
  predict?: Readonly<Record<string, string>>
  /** Entities a decoded snapshot may hold (hostile input cannot grow a client's world past it). Default 65,536. */
  maxEntities?: number
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
  let pos = 0
  const varint = (): number => {
    let n = 0
    let scale = 1
    for (let i = 0; i < 8; i++) {
      const b = bytes[pos++]
      if (b === undefined) throw new DeltaError('malformed', 'truncated header')
      n += (b & 0x7f) * scale
      if (b < 0x80) return n
      scale *= 0x80
    }
    throw new DeltaError('malformed', 'varint too long')
  }
  const tick = varint()
  const back = varint()
  if (!Number.isSafeInteger(tick) || back > tick) throw new DeltaError('malformed', `tick ${tick}, base ${back} back`)
  return { tick, baseTick: back === 0 ? undefined : tick - back }
}

export class SnapshotCodec<L extends EntityLayout> {
  private readonly lay: DeltaLayout<L>
  private readonly maxEntities: number
  /** Snapshots are immutable by contract, so their integer form is computed once (a server encodes each for many clients). */
  private readonly cache = new WeakMap<Snapshot<L>, Rows>()
  /** Entities in id order (see `table`). */
  private readonly ordered = new WeakMap<Snapshot<L>, EntityOf<L>[]>()

  constructor(layout: L, options: SnapshotCodecOptions = {}) {
    this.lay = new DeltaLayout(layout, options.predict)
    this.maxEntities = options.maxEntities ?? 65_536
  }

  /** The snapshot as the client will decode it: every value on its quantization grid. */
  quantize(s: Snapshot<L>): Snapshot<L> {
    const rows = this.rows(s)
    const entities = new Map<number, EntityOf<L>>()
    rows.ids.forEach((id, i) => entities.set(id, this.lay.fromInts(rows.vals, i * this.lay.count, id)))
    const q = { tick: s.tick, entities }
    this.cache.set(q, rows)
    return q
  }

  /**
   * `s`'s entities in id order, with their ids and wire integers (`vals`: one row of `fields` per
   * entity), computed once per snapshot. With `pick`, a server selects what each client is sent
   * without converting entities again.
   */
  table(s: Snapshot<L>): { ids: readonly number[]; vals: readonly number[]; entities: readonly EntityOf<L>[]; fields: number } {
    const rows = this.rows(s)
    let entities = this.ordered.get(s)
    if (!entities) {
      entities = rows.ids.map((id) => s.entities.get(id)!)
      this.ordered.set(s, entities)
    }
    return { ids: rows.ids, vals: rows.vals, entities, fields: this.lay.count }
  }

  /** A snapshot of `s`'s tick holding the entities at table indices `picked` (ascending, as `table(s)` lists them). */
  pick(s: Snapshot<L>, picked: readonly number[]): Snapshot<L> {
    const src = this.rows(s)
    const list = this.table(s).entities
    const nf = this.lay.count
    const ids: number[] = []
    const vals: number[] = []
    const entities = new Map<number, EntityOf<L>>()
    for (const i of picked) {
      const id = src.ids[i]!
      ids.push(id)
      entities.set(id, list[i]!)
      for (let f = 0, at = i * nf; f < nf; f++) vals.push(src.vals[at + f]!)
    }
    const out = { tick: s.tick, entities }
    this.cache.set(out, { ids, vals })
    return out
  }

  encode(base: Snapshot<L> | undefined, current: Snapshot<L>): Uint8Array {
    if (base && !(base.tick < current.tick)) throw new RangeError(`base tick ${base.tick} is not before ${current.tick}`)
    return encodeDelta(this.lay, base ? this.rows(base) : EMPTY_ROWS, this.rows(current), current.tick, base ? current.tick - base.tick : 0)
  }

  /**
   * Upper bound of the bytes entity `id` adds to `encode(...)` when it is written against `base`'s state
   * (undefined: the base lacks it), as a fraction (bits / 8): sums of these plus `overheadBytes` and
   * `removedBytes` never undershoot, so a server choosing what fits a packet never overshoots. (A gap
   * is at most the id; a value never costs more than an escaped one at width 0; prediction is used
   * only where it saves bits.)
   */
  entityBytes(id: number, current: EntityOf<L>, base: EntityOf<L> | undefined): number {
    const q: number[] = []
    this.lay.entityInts(id, current, q)
    let bits = gammaBits(id)
    if (!base) {
      for (let f = 0; f < q.length; f++) bits += valueBitsBound(this.lay.unsigned[f] ? q[f]! : zigzag(q[f]!))
      return bits / 8
    }
    const b: number[] = []
    this.lay.entityInts(id, base, b)
    bits += 1 + q.length
    for (let f = 0; f < q.length; f++) if (q[f] !== b[f]) bits += valueBitsBound(zigzag(q[f]! - b[f]!))
    return bits / 8
  }

  /** Upper bound of the bytes entity `id` costs `encode(...)` when the base has it and the snapshot does not. */
  removedBytes(id: number): number {
    return gammaBits(id) / 8
  }

  /**
   * Upper bound of everything in `encode(...)` but the entities: header, counts (each at most
   * `maxCount`), prediction bits, width classes and padding.
   */
  overheadBytes(tick: number, baseTick: number | undefined, maxCount: number): number {
    const bits = 3 * gammaBits(maxCount) + this.lay.pairs.length + 2 * this.lay.count * CLASS_BITS + 7
    return uintBytes(tick) + uintBytes(baseTick === undefined ? 0 : tick - baseTick) + bits / 8
  }

  /**
   * Decodes bytes made by `encode(base, ...)`; `base` must be the snapshot with the tick the header
   * names (ignored for a full snapshot). Throws DeltaError, and nothing else, whatever the bytes.
   */
  decode(base: Snapshot<L> | undefined, bytes: Uint8Array): Snapshot<L> {
    const { tick, baseTick } = readDeltaHeader(bytes)
    if (baseTick !== undefined && base?.tick !== baseTick)
      throw new DeltaError('base-mismatch', `encoded against tick ${baseTick}, given ${base ? base.tick : 'none'}`)
    const useBase = baseTick === undefined ? undefined : base
    try {
      const out = decodeDelta(this.lay, useBase ? this.rows(useBase) : EMPTY_ROWS, useBase?.entities, bytes, this.maxEntities)
      const snapshot = { tick, entities: out.entities }
      this.cache.set(snapshot, out.rows)
      return snapshot
    } catch (err) {
      if (err instanceof DeltaError) throw err
      const message = err instanceof Error ? err.message : String(err)
      throw new DeltaError(err instanceof MalformedDelta || err instanceof RangeError ? 'malformed' : 'out-of-range', message)
    }
  }

  private rows(s: Snapshot<L>): Rows {
    let rows = this.cache.get(s)
    if (!rows) {
      rows = this.lay.rows(s.entities)
      this.cache.set(s, rows)
    }
    return rows
  }
}
