import { chooseClass, writeClass, writeValue } from './bit-widths'
import { BitWriter } from './bits'
import type { DeltaLayout, EntityLayout, Rows } from './delta-layout'

/**
 * Writes `cur` against `old` (the format is described in snapshot-delta.ts). Each section costs a
 * single bit when empty, so an idle world is the header plus three bits.
 */
export function encodeDelta<L extends EntityLayout>(lay: DeltaLayout<L>, old: Rows, cur: Rows, tick: number, back: number): Uint8Array {
  const nf = lay.count
  const w = new BitWriter()
  w.varint(tick)
  w.varint(back)

  const removed: number[] = []
  const changedOld: number[] = []
  const changedCur: number[] = []
  const masks: number[] = []
  const added: number[] = []
  const ov = old.vals
  const cv = cur.vals
  let i = 0
  let j = 0
  while (i < old.ids.length || j < cur.ids.length) {
    const oid = i < old.ids.length ? old.ids[i]! : Infinity
    const cid = j < cur.ids.length ? cur.ids[j]! : Infinity
    if (oid < cid) removed.push(i++)
    else if (cid < oid) added.push(j++)
    else {
      let mask = 0
      for (let f = 0, a = i * nf, b = j * nf; f < nf; f++) if (ov[a + f] !== cv[b + f]) mask |= 1 << f
      if (mask !== 0) {
        changedOld.push(i)
        changedCur.push(j)
        masks.push(mask)
      }
      i++
      j++
    }
  }

  writeGaps(w, removed)
  w.gamma(changedOld.length)
  if (changedOld.length > 0) writeChanged(lay, w, old, cur, changedOld, changedCur, masks)

  w.gamma(added.length)
  if (added.length > 0) {
    const columns: number[][] = Array.from({ length: nf }, () => [])
    for (const j of added) for (let f = 0; f < nf; f++) columns[f]!.push(absolute(lay, f, cv[j * nf + f]!))
    const classes = columns.map((c) => chooseClass(c))
    classes.forEach((c) => writeClass(w, c))
    let prev = -1
    for (let k = 0; k < added.length; k++) {
      const id = cur.ids[added[k]!]!
      w.gamma(id - prev - 1)
      prev = id
      for (let f = 0; f < nf; f++) writeValue(w, classes[f]!, columns[f]![k]!)
    }
  }
  return w.bytes()
}

/** A count, then each index as the gap from the previous one (0 = the next one). */
function writeGaps(w: BitWriter, indices: readonly number[]): void {
  w.gamma(indices.length)
  let prev = -1
  for (const i of indices) {
    w.gamma(i - prev - 1)
    prev = i
  }
}

function absolute<L extends EntityLayout>(lay: DeltaLayout<L>, f: number, v: number): number {
  if (!lay.unsigned[f]) return checkedZigzag(v)
  if (v < 0) throw new RangeError(`field ${lay.keys[f]} is unsigned, got ${v}`)
  return v
}

function checkedZigzag(v: number): number {
  const z = v >= 0 ? v * 2 : -v * 2 - 1
  if (z > Number.MAX_SAFE_INTEGER) throw new RangeError(`delta ${v} beyond 2^52`)
  return z
}

/**
 * Changed entities: per velocity pair whether (and with which scale) the field is predicted, a class
 * per field, then per entity its base-index gap, its mask (or one bit: same as the previous entity's)
 * and each changed field as the zigzag difference from the base, or from the prediction.
 */
function writeChanged<L extends EntityLayout>(lay: DeltaLayout<L>, w: BitWriter, old: Rows, cur: Rows, oi: number[], ci: number[], masks: number[]): void {
  const nf = lay.count
  const ov = old.vals
  const cv = cur.vals
  const columns: number[][] = Array.from({ length: nf }, () => [])
  for (let k = 0; k < oi.length; k++) {
    const a = oi[k]! * nf
    const b = ci[k]! * nf
    for (let f = 0; f < nf; f++) if ((masks[k]! >> f) & 1) columns[f]!.push(checkedZigzag(cv[b + f]! - ov[a + f]!))
  }
  const classes = columns.map((c) => chooseClass(c))
  for (const [t, v] of lay.pairs) {
    // Per entity whose field t changed: the base's velocity and the change.
    const velocity = lay.fields[v]!
    const vels: number[] = []
    const changes: number[] = []
    for (let k = 0; k < oi.length; k++) {
      if (!((masks[k]! >> t) & 1)) continue
      const a = oi[k]! * nf
      vels.push(velocity.fromWire(ov[a + v]!, ''))
      changes.push(cv[ci[k]! * nf + t]! - ov[a + t]!)
    }
    const scale = fitScale(vels, changes)
    const residuals = scale === 0 ? undefined : changes.map((d, k) => checkedZigzag(d - Math.round(vels[k]! * scale)))
    const predicted = residuals && chooseClass(residuals)
    // On only when it pays for its 32-bit scale, so a delta is never bigger than without prediction.
    if (predicted && residuals && predicted.bits + 32 < classes[t]!.bits) {
      w.bit(true)
      w.float32(scale)
      columns[t] = residuals
      classes[t] = predicted
    } else w.bit(false)
  }
  classes.forEach((c) => writeClass(w, c))
  const cursor = new Array<number>(nf).fill(0)
  let prevIndex = -1
  let prevMask = -1
  for (let k = 0; k < oi.length; k++) {
    w.gamma(oi[k]! - prevIndex - 1)
    prevIndex = oi[k]!
    const mask = masks[k]!
    w.bit(mask === prevMask)
    if (mask !== prevMask) w.bits(mask, nf)
    prevMask = mask
    for (let f = 0; f < nf; f++) if ((mask >> f) & 1) writeValue(w, classes[f]!, columns[f]![cursor[f]!++]!)
  }
}

/**
 * Least-squares scale s for `change ≈ velocity * s`, as a float32 (what the decoder reads); 0 when
 * there is nothing to fit. Velocities are the field's application values (a quantized wire integer
 * counts from the range's minimum, not from 0).
 */
function fitScale(vels: readonly number[], changes: readonly number[]): number {
  let num = 0
  let den = 0
  for (let k = 0; k < vels.length; k++) {
    num += changes[k]! * vels[k]!
    den += vels[k]! * vels[k]!
  }
  const s = den > 0 ? Math.fround(num / den) : 0
  return Number.isFinite(s) ? s : 0
}
