/**
 * A small game for the netcode tests: top-down movement (shared/netcode/movement) for players and
 * NPCs walking circles. Both ends build their NetRoomGame / NetClientGame from the same rules.
 */
import type { NetClientGame } from '../../../client/netcode/index'
import type { NetRoomGame } from '../../../server/netcode/index'
import { sanitizeMoveInput, simulate } from '../../../shared/netcode/movement'
import { netcodeMessages, type NetInput } from '../../../shared/netcode/net-messages'
import type { EntityOf } from '../../../shared/netcode/snapshot-delta'
import { defineSchema, t } from '../../../shared/schema/index'

export const STEP = 0.01
const position = () => t.quantized({ min: -1000, max: 1000, step: STEP })
export const layout = { x: position(), y: position(), angle: t.quantized({ min: -Math.PI, max: Math.PI, step: 0.01 }), hp: t.uint8() }
export type Layout = typeof layout
export type Entity = EntityOf<Layout>

const inputFields = { moveX: t.quantized({ min: -1, max: 1, step: 0.01 }), moveY: t.quantized({ min: -1, max: 1, step: 0.01 }) }
export const messages = netcodeMessages({ input: inputFields, maxInputsPerPacket: 8, maxSnapshotBytes: 1200 })
export const schema = defineSchema({ ...messages, chat: { channel: 'reliable', fields: { text: t.string({ maxLength: 100 }) } } })
export type GameSchema = typeof schema
export type InputFields = typeof inputFields
export type Input = NetInput<InputFields>

/** The own entity after one input: movement's rules on x and y, the other fields untouched. */
export function step(state: Entity, input: Input, dtMs: number): Entity {
  const moved = simulate(state, input, dtMs)
  return moved === state ? state : { ...state, x: moved.x, y: moved.y }
}

/** The server's world: players moved by their inputs, NPCs on circles of radius 4 at 1.5 rad/s. */
export class TestWorld implements NetRoomGame<typeof inputFields, Layout> {
  readonly layout = layout
  readonly players = new Map<number, Entity>()
  readonly npcs = new Map<number, { cx: number; cy: number; phase: number }>()
  /** Inputs applied, per player entity. */
  readonly applied = new Map<number, number[]>()
  time = 0
  /** Called at the start of every step (tests inject slow ticks here). */
  onStep: ((tick: number) => void) | undefined

  sanitize = (input: Input): Input | undefined => sanitizeMoveInput(input)

  addPlayer(id: number, x = 0, y = 0): void {
    this.players.set(id, { x, y, angle: 0, hp: 100 })
    this.applied.set(id, [])
  }

  addNpc(id: number, cx: number, cy: number, phase = 0): void {
    this.npcs.set(id, { cx, cy, phase })
  }

  applyInput(entityId: number, input: Input, dtMs: number): void {
    const p = this.players.get(entityId)
    if (!p) return
    this.players.set(entityId, step(p, input, dtMs))
    this.applied.get(entityId)!.push(input.seq)
  }

  step(dtMs: number, tick: number): void {
    this.onStep?.(tick)
    this.time += dtMs
  }

  npcAt(id: number, timeMs = this.time): Entity {
    const n = this.npcs.get(id)!
    const a = n.phase + (timeMs / 1000) * 1.5
    const angle = Math.atan2(Math.sin(a + Math.PI / 2), Math.cos(a + Math.PI / 2))
    return { x: n.cx + 4 * Math.cos(a), y: n.cy + 4 * Math.sin(a), angle, hp: 50 }
  }

  entities(): ReadonlyMap<number, Entity> {
    const out = new Map<number, Entity>(this.players)
    for (const id of this.npcs.keys()) out.set(id, this.npcAt(id))
    return out
  }
}

/** A client game whose input comes from `input()` (a script in the tests). */
export function clientGame(input: () => { moveX: number; moveY: number } | undefined): NetClientGame<typeof inputFields, Layout> {
  return { layout, sampleInput: input, sanitize: sanitizeMoveInput, simulate: step }
}

/** ~100 ms RTT with jitter, 10% loss and 10% reordering each way (applied by the client's link to both directions). */
export const BAD_NETWORK = {
  outgoing: { latencyMs: 40, jitterMs: 20, loss: 0.1, reorder: 0.1 },
  incoming: { latencyMs: 40, jitterMs: 20, loss: 0.1, reorder: 0.1 },
}
