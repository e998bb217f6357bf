import type { PriorityAccumulator } from '../../shared/netcode/priority'
import type { EntityLayout, EntityOf, Snapshot, SnapshotCodec } from '../../shared/netcode/snapshot-delta'

/**
 * What one client is sent for one tick: pure, so it is tested without sockets.
 *
 * 1. The relevant entities (interest radius around the client's own entity, with hysteresis so an
 *    entity on the edge does not flicker in and out, each time re-sent whole).
 * 2. Encoded against the client's acknowledged base. If that fits the budget, done.
 * 3. If not, the PriorityAccumulator picks which changed entities to update. The snapshot sent is
 *    then the *base* with only those updated (plus the client's own entity, always, which
 *    reconciliation needs current): an entity left out keeps its base state, so it is neither
 *    removed nor moved back on the client, and goes out in a later packet.
 */
export interface PlanInput<L extends EntityLayout> {
  codec: SnapshotCodec<L>
  /** This tick's world, already quantized (immutable). */
  world: Snapshot<L>
  /** What the client acknowledged, or undefined (full snapshot). */
  base: Snapshot<L> | undefined
  /** The client's own entity, if it has one in the world. */
  selfId: number | undefined
  budgetBytes: number
  priority: PriorityAccumulator
  position: (e: EntityOf<L>) => { x: number; y: number }
  /** Entities further than this from the client's own entity are not sent. Default: all are. */
  interestRadius?: number
  /** An entity the client has stays relevant until this factor times the radius. Default 1.1. */
  hysteresis?: number
}

export interface Plan<L extends EntityLayout> {
  snapshot: Snapshot<L>
  bytes: Uint8Array
  /** Some relevant entities were left out for the budget. */
  partial: boolean
  /** Relevant entities, and how many of them are current in `snapshot`. */
  relevant: number
  current: number
}

export function planSnapshot<L extends EntityLayout>(p: PlanInput<L>): Plan<L> {
  const target = relevantSet(p)
  const whole = p.codec.encode(p.base, target)
  if (whole.byteLength <= p.budgetBytes) return { snapshot: target, bytes: whole, partial: false, relevant: target.entities.size, current: target.entities.size }

  const kept = new Map<number, EntityOf<L>>()
  let fixed = p.codec.overheadBytes(p.world.tick, p.base?.tick, (p.base?.entities.size ?? 0) + target.entities.size)
  for (const [id, e] of p.base?.entities ?? []) {
    if (target.entities.has(id)) kept.set(id, e)
    else fixed += p.codec.removedBytes(id)
  }
  const self = p.selfId === undefined ? undefined : target.entities.get(p.selfId)
  if (self && p.selfId !== undefined) {
    kept.set(p.selfId, self)
    fixed += p.codec.entityBytes(p.selfId, self, p.base?.entities.get(p.selfId))
  }
  const origin = self ? p.position(self) : undefined
  const candidates = []
  for (const [id, e] of target.entities) {
    if (id === p.selfId) continue
    const b = p.base?.entities.get(id)
    // An entity the client lacks weighs double a fully changed one: until it arrives it is not drawn at all.
    const change = b ? changedFields(b, e) : 2 * Object.keys(e).length
    if (change === 0) continue
    candidates.push({ id, change, distance: distance(origin, p.position(e)), bytes: p.codec.entityBytes(id, e, b) })
  }
  // The per-entity sizes are upper bounds, several times the bit-packed size: select against the budget
  // stretched by how far they overshot the whole delta, and keep a prefix (priority order) whose real
  // encoding fits: all of it, else a proportional guess, else the prefix within the plain bounds,
  // which always fits. At most three encodes.
  const room = Math.max(0, p.budgetBytes - fixed)
  const boundSum = candidates.reduce((n, c) => n + c.bytes, 0)
  const stretch = Math.max(1, boundSum / Math.max(1, whole.byteLength - fixed))
  const picked = p.priority.select(candidates, room * stretch)
  const bounds = new Map(candidates.map((c) => [c.id, c.bytes]))
  let safe = 0
  for (let sum = 0; safe < picked.length && (sum += bounds.get(picked[safe]!)!) <= room; ) safe++
  const encodeFirst = (n: number): [Snapshot<L>, Uint8Array] => {
    const entities = new Map(kept)
    for (let i = 0; i < n; i++) entities.set(picked[i]!, target.entities.get(picked[i]!)!)
    const s = { tick: p.world.tick, entities }
    return [s, p.codec.encode(p.base, s)]
  }
  let lo = picked.length
  let [snapshot, bytes] = encodeFirst(lo)
  if (bytes.byteLength > p.budgetBytes && lo > safe) {
    lo = Math.max(safe, Math.floor((lo * room * 0.95) / Math.max(1, bytes.byteLength - fixed)))
    ;[snapshot, bytes] = encodeFirst(lo)
  }
  if (bytes.byteLength > p.budgetBytes && lo > safe) [snapshot, bytes] = encodeFirst((lo = safe))
  const chosen = picked.slice(0, lo)
  // Checked because an oversized frame would be refused by the schema.
  if (bytes.byteLength > p.budgetBytes) throw new RangeError(`planned snapshot of ${bytes.byteLength} B exceeds the ${p.budgetBytes} B budget`)
  const unchanged = target.entities.size - candidates.length - (self ? 1 : 0)
  return { snapshot, bytes, partial: true, relevant: target.entities.size, current: unchanged + chosen.length + (self ? 1 : 0) }
}

function relevantSet<L extends EntityLayout>(p: PlanInput<L>): Snapshot<L> {
  const self = p.selfId === undefined ? undefined : p.world.entities.get(p.selfId)
  if (p.interestRadius === undefined || !self) return p.world
  const origin = p.position(self)
  const keep = p.interestRadius * (p.hysteresis ?? 1.1)
  // Squared distances (no square root per entity per client); the world's table, so the chosen
  // entities' wire integers are copied rather than computed again for each client.
  const near = p.interestRadius * p.interestRadius
  const held = keep * keep
  const plainXy = p.position === xyPosition
  const table = p.codec.table(p.world)
  const picked: number[] = []
  for (let i = 0; i < table.ids.length; i++) {
    const id = table.ids[i]!
    const e = table.entities[i]!
    let dx: number
    let dy: number
    if (plainXy) {
      const r = e as Readonly<Record<string, number>>
      dx = origin.x - (r.x ?? 0)
      dy = origin.y - (r.y ?? 0)
    } else {
      const at = p.position(e)
      dx = origin.x - at.x
      dy = origin.y - at.y
    }
    const d2 = dx * dx + dy * dy
    if (id === p.selfId || d2 <= near || (d2 <= held && p.base?.entities.has(id))) picked.push(i)
  }
  return picked.length === table.ids.length ? p.world : p.codec.pick(p.world, picked)
}

function changedFields(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): number {
  let n = 0
  for (const k of Object.keys(b)) if (a[k] !== b[k]) n++
  return n
}

function distance(a: { x: number; y: number } | undefined, b: { x: number; y: number }): number {
  return a ? Math.hypot(a.x - b.x, a.y - b.y) : 0
}

/** Default position accessor: the entity's `x` and `y` fields (0 if the layout has none). */
export function xyPosition<L extends EntityLayout>(e: EntityOf<L>): { x: number; y: number } {
  const r = e as Readonly<Record<string, number>>
  return { x: r.x ?? 0, y: r.y ?? 0 }
}
