import { minValueBits, readClass, readValue } from './bit-widths'
import { BitReader, unzigzag } from './bits'
import { hasId, type DeltaLayout, type EntityLayout, type EntityOf, type Rows } from './delta-layout'

/** A decoded snapshot's entities and their wire integers (kept as the next base's rows). */
export interface Decoded<L extends EntityLayout> {
  entities: Map<number, EntityOf<L>>
  rows: Rows
}

/** Thrown for input the format cannot hold (mapped to DeltaError 'malformed' by the codec). */
export class MalformedDelta extends Error {}

const bad = (why: string): never => {
  throw new MalformedDelta(why)
}

/**
 * Reads bytes written by encodeDelta against `old` (the base's rows; its entities reused for what did
 * not change). Every count is checked against the base or the bits left before anything is sized by
 * it, so hostile input allocates at most in proportion to the base and the packet.
 */
export function decodeDelta<L extends EntityLayout>(
  lay: DeltaLayout<L>,
  old: Rows,
  oldEntities: ReadonlyMap<number, EntityOf<L>> | undefined,
  bytes: Uint8Array,
  maxEntities: number,
): Decoded<L> {
  const nf = lay.count
  const pairs = lay.pairs
  const nOld = old.ids.length
  const r = new BitReader(bytes)
  r.varint()
  r.varint()
  /** Per base row: 0 kept, 1 removed, 2 changed. */
  const status = new Uint8Array(nOld)

  const nRemoved = r.gamma()
  if (nRemoved > nOld) bad(`${nRemoved} removed of ${nOld}`)
  let idx = -1
  for (let k = 0; k < nRemoved; k++) {
    idx += r.gamma() + 1
    if (idx >= nOld) bad('removed entity is not in the base')
    status[idx] = 1
  }

  const nChanged = r.gamma()
  if (nChanged > nOld - nRemoved) bad(`${nChanged} changed of ${nOld - nRemoved}`)
  const changedVals = new Array<number>(nChanged * nf)
  if (nChanged > 0) {
    const scales = lay.pairs.map(() => {
      if (!r.bit()) return 0
      const s = r.float32()
      return Number.isFinite(s) ? s : bad('prediction scale is not finite')
    })
    const classes = Array.from({ length: nf }, () => readClass(r))
    idx = -1
    let mask = -1
    for (let k = 0; k < nChanged; k++) {
      idx += r.gamma() + 1
      if (idx >= nOld || status[idx] !== 0) bad('changed entity is not in the base')
      status[idx] = 2
      if (r.bit()) {
        if (mask < 0) bad('the first changed entity has no previous mask')
      } else {
        mask = r.bits(nf)
        if (mask === 0) bad('empty field mask')
      }
      const a = idx * nf
      for (let f = 0; f < nf; f++) changedVals[k * nf + f] = (mask >> f) & 1 ? old.vals[a + f]! + unzigzag(readValue(r, classes[f]!)) : old.vals[a + f]!
      for (let p = 0; p < pairs.length; p++) {
        const [t, v] = pairs[p]!
        if (scales[p] === 0 || !((mask >> t) & 1)) continue
        changedVals[k * nf + t]! += Math.round(lay.fields[v]!.fromWire(old.vals[a + v], '') * scales[p]!)
      }
    }
  }

  const nAdded = r.gamma()
  const size = nOld - nRemoved + nAdded
  if (nAdded > r.remaining) bad(`${nAdded} added entities in ${r.remaining} bits`)
  if (size > maxEntities) bad(`${size} entities, more than ${maxEntities}`)
  const addedIds = new Array<number>(nAdded)
  const addedVals = new Array<number>(nAdded * nf)
  if (nAdded > 0) {
    const classes = Array.from({ length: nf }, () => readClass(r))
    if (nAdded * (1 + classes.reduce((n, c) => n + minValueBits(c), 0)) > r.remaining) bad('added entities outrun the packet')
    let id = -1
    for (let k = 0; k < nAdded; k++) {
      id += r.gamma() + 1
      if (!Number.isSafeInteger(id)) bad('entity id beyond 2^53')
      if (hasId(old.ids, id)) bad(`added entity ${id} is in the base`)
      addedIds[k] = id
      for (let f = 0; f < nf; f++) {
        const v = readValue(r, classes[f]!)
        addedVals[k * nf + f] = lay.unsigned[f] ? v : unzigzag(v)
      }
    }
  }
  if (!r.atEnd) bad('trailing bytes')
  return assemble(lay, old, oldEntities, status, changedVals, addedIds, addedVals)
}

/** The new snapshot: the base's entities minus removed, changed ones rebuilt, added ones merged in by id. */
function assemble<L extends EntityLayout>(
  lay: DeltaLayout<L>,
  old: Rows,
  oldEntities: ReadonlyMap<number, EntityOf<L>> | undefined,
  status: Uint8Array,
  changedVals: number[],
  addedIds: number[],
  addedVals: number[],
): Decoded<L> {
  const nf = lay.count
  const entities = new Map<number, EntityOf<L>>()
  const ids: number[] = []
  const vals: number[] = []
  let i = 0
  let k = 0
  let c = 0
  while (i < old.ids.length || k < addedIds.length) {
    const oid = i < old.ids.length ? old.ids[i]! : Infinity
    const aid = k < addedIds.length ? addedIds[k]! : Infinity
    let src: readonly number[]
    let at: number
    let id: number
    let entity: EntityOf<L> | undefined
    if (aid < oid) {
      id = aid
      src = addedVals
      at = k++ * nf
    } else {
      const s = status[i]
      id = oid
      src = old.vals
      at = i++ * nf
      if (s === 1) continue
      // Changed entities come in base order, so the c-th changed one is the next.
      if (s === 2) {
        src = changedVals
        at = c++ * nf
      } else entity = oldEntities?.get(id)
    }
    for (let f = 0; f < nf; f++) {
      const v = src[at + f]!
      if (!Number.isSafeInteger(v)) throw new RangeError(`entity ${id}: value beyond 2^53`)
      vals.push(v)
    }
    ids.push(id)
    entities.set(id, entity ?? lay.fromInts(src, at, id))
  }
  return { entities, rows: { ids, vals } }
}
