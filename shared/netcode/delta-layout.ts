import type { Field } from '../schema/field'
import { compileLayout, type LayoutCode } from './delta-layout-codegen'

export type EntityLayout = Readonly<Record<string, Field<number>>>
export type EntityOf<L extends EntityLayout> = { readonly [K in keyof L]: number }

/** A snapshot's entities as wire integers: ids ascending, `vals` row by row (`ids.length` x fields). */
export interface Rows {
  readonly ids: readonly number[]
  readonly vals: readonly number[]
}

export const EMPTY_ROWS: Rows = { ids: [], vals: [] }

/** Whether sorted `ids` holds `id` (binary search). */
export function hasId(ids: readonly number[], id: number): boolean {
  let lo = 0
  let hi = ids.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const m = ids[mid]!
    if (m === id) return true
    if (m < id) lo = mid + 1
    else hi = mid - 1
  }
  return false
}

/** Masks are plain numbers, so a layout has at most this many fields. */
export const MAX_FIELDS = 30

/**
 * The layout as the delta format sees it: field order, which fields are never negative (written
 * unsigned when absolute), and which field is predicted from which velocity field.
 */
export class DeltaLayout<L extends EntityLayout> {
  readonly keys: readonly (keyof L & string)[]
  readonly fields: readonly Field<number>[]
  readonly unsigned: readonly boolean[]
  /** [predicted field, velocity field] indices. */
  readonly pairs: readonly (readonly [number, number])[]
  /** Generated happy path for entityInts / fromInts (a server); undefined: the field closures only. */
  private readonly code: LayoutCode | undefined

  constructor(layout: L, predict: Readonly<Record<string, string>> | undefined) {
    this.keys = Object.keys(layout)
    this.fields = this.keys.map((k) => layout[k]!)
    if (this.keys.length === 0) throw new RangeError('SnapshotCodec: empty layout')
    if (this.keys.length > MAX_FIELDS) throw new RangeError(`SnapshotCodec: at most ${MAX_FIELDS} fields`)
    // The signature is the field's canonical declaration text (see shared/schema/field.ts).
    this.unsigned = this.fields.map((f) => /^(quantized|uint)/.test(f.signature))
    const pairs: [number, number][] = []
    const map = predict ?? Object.fromEntries(this.keys.filter((k) => this.keys.includes(`v${k}`)).map((k) => [k, `v${k}`]))
    for (const [target, vel] of Object.entries(map)) {
      const t = this.keys.indexOf(target)
      const v = this.keys.indexOf(vel)
      if (t < 0 || v < 0 || t === v) throw new RangeError(`SnapshotCodec: cannot predict ${target} from ${vel}`)
      pairs.push([t, v])
    }
    this.pairs = pairs
    this.code = compileLayout(this.keys, this.fields)
  }

  get count(): number {
    return this.keys.length
  }

  entityInts(id: number, e: EntityOf<L>, out: number[]): void {
    if (!Number.isSafeInteger(id) || id < 0) throw new RangeError(`entity id ${id} must be a non-negative integer`)
    if (this.code?.toInts(e, out)) return
    for (let i = 0; i < this.keys.length; i++) {
      const k = this.keys[i]!
      const field = this.fields[i]!
      let wire: unknown
      try {
        wire = field.toWire(e[k], '')
      } catch {
        wire = field.toWire(e[k], `${id}.${k}`) // again, for the error's path (built only on failure)
      }
      if (typeof wire !== 'number' || !Number.isSafeInteger(wire)) throw new RangeError(`field ${k} must be integer-valued (t.quantized, t.uint8, ...)`)
      out.push(wire)
    }
  }

  /** The entity whose wire integers start at `vals[at]`. Throws SchemaError when one is out of its field's range. */
  fromInts(vals: readonly number[], at: number, id: number): EntityOf<L> {
    const fast = this.code?.fromInts(vals, at)
    if (fast) return fast as EntityOf<L>
    const e: Record<string, number> = {}
    for (let i = 0; i < this.keys.length; i++) {
      const field = this.fields[i]!
      let v: number
      try {
        v = field.fromWire(vals[at + i], '')
      } catch {
        v = field.fromWire(vals[at + i], `${id}.${this.keys[i]!}`)
      }
      e[this.keys[i]!] = v
    }
    return e as EntityOf<L>
  }

  rows(entities: ReadonlyMap<number, EntityOf<L>>): Rows {
    const ids = [...entities.keys()].sort((a, b) => a - b)
    const vals: number[] = []
    for (const id of ids) this.entityInts(id, entities.get(id)!, vals)
    return { ids, vals }
  }
}
