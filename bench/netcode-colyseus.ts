/**
 * @colyseus/schema 5 on the bench's states: `encodeAll()` once, then `encode()` + `discardChanges()`
 * per tick, assigning only what changed (as game code would). Three precisions:
 *   - float32: plain float fields;
 *   - quantized16: Colyseus' own `t.quantized` / `t.angle` (16-bit; x, y coarser than ours: 0.015 vs 0.01);
 *   - sameValues: integer fields holding exactly our quantized integers (x, y need 17 bits: uint32;
 *     angle, vx, vy uint16; hp, flags uint8), so both sides change on exactly the same ticks.
 */
import { Encoder, schema as colySchema, t as ct } from '@colyseus/schema'
import type { Field } from '../shared/schema/field'

export type ColyseusVariant = 'float32' | 'quantized16' | 'sameValues'

/** Colyseus prefixes each patch with its protocol code (ROOM_STATE_PATCH) when a room broadcasts it. */
export const COLYSEUS_ENVELOPE_BYTES = 1

type Entity = Readonly<Record<string, number>>

function classes(variant: ColyseusVariant) {
  const fields =
    variant === 'float32'
      ? { x: ct.float32(), y: ct.float32(), angle: ct.float32(), vx: ct.float32(), vy: ct.float32(), hp: ct.uint8(), flags: ct.uint8() }
      : variant === 'quantized16'
        ? {
            x: ct.quantized({ min: 0, max: 1000 }),
            y: ct.quantized({ min: 0, max: 1000 }),
            angle: ct.angle(),
            vx: ct.quantized({ min: -20, max: 20 }),
            vy: ct.quantized({ min: -20, max: 20 }),
            hp: ct.uint8(),
            flags: ct.uint8(),
          }
        : { x: ct.uint32(), y: ct.uint32(), angle: ct.uint16(), vx: ct.uint16(), vy: ct.uint16(), hp: ct.uint8(), flags: ct.uint8() }
  const EntityClass = colySchema(fields, `Entity_${variant}`)
  const StateClass = colySchema({ entities: ct.map(EntityClass) }, `State_${variant}`)
  return { EntityClass, StateClass }
}

type ColyState = { entities: Map<string, Record<string, number>> }

/**
 * Full encode, then one patch per tick; returns [full bytes, mean patch bytes]. For `sameValues`,
 * `layout` turns each state into our wire integers first.
 */
export function colyseusRun(variant: ColyseusVariant, ticks: readonly ReadonlyMap<number, Entity>[], layout: Readonly<Record<string, Field<number>>>): [number, number] {
  const { EntityClass, StateClass } = classes(variant)
  const asSent = (e: Entity): Entity => {
    if (variant !== 'sameValues') return e
    const out: Record<string, number> = {}
    for (const k of Object.keys(layout)) out[k] = layout[k]!.toWire(e[k]!, k) as number
    return out
  }
  const state = new StateClass() as unknown as ColyState
  const entities = new Map<number, Record<string, number>>()
  for (const [id, e] of ticks[0]!) {
    const ent = new EntityClass() as unknown as Record<string, number>
    Object.assign(ent, asSent(e))
    state.entities.set(String(id), ent)
    entities.set(id, ent)
  }
  const encoder = new Encoder(state as never)
  const full = encoder.encodeAll().byteLength
  encoder.discardChanges()
  let total = 0
  for (let k = 1; k < ticks.length; k++) {
    for (const [id, raw] of ticks[k]!) {
      const ent = entities.get(id)!
      const e = asSent(raw)
      // Assign only what changed, as game code would (Colyseus also skips equal assignments).
      for (const key of Object.keys(e)) if (ent[key] !== e[key]) ent[key] = e[key]!
    }
    total += encoder.encode().byteLength
    encoder.discardChanges()
  }
  return [full, total / Math.max(1, ticks.length - 1)]
}
