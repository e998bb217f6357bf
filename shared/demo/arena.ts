/**
 * "Collect the gems": the demo game's rules, shared by server (authority) and client (prediction).
 * Top-down movement at a capped speed inside the arena's walls; touching a gem scores a point.
 */
import { sanitizeMoveInput, simulate, type EntityOf, type NetInput } from 'netplay-toolkit/netcode'
import { netcodeMessages, t } from 'netplay-toolkit/schema'

export const ARENA = { width: 32, height: 20 } as const
export const PLAYER_RADIUS = 0.6
export const GEM_RADIUS = 0.35
export const GEMS = 6
/**
 * Players per arena room: the roster message is sized by it and the demo's lobby caps rooms at it,
 * so a room can never hold more players than the roster can encode.
 */
export const ARENA_MAX_PLAYERS = 64
export const enum Kind {
  Player = 0,
  Gem = 1,
}

/** Snapshot layout: integers only (positions to 1/100 unit), so deltas are small and exact. */
export const arenaLayout = {
  x: t.quantized({ min: 0, max: ARENA.width, step: 0.01 }),
  y: t.quantized({ min: 0, max: ARENA.height, step: 0.01 }),
  kind: t.uint8(),
  score: t.uint16(),
  color: t.uint8(),
}
export type ArenaLayout = typeof arenaLayout
export type ArenaEntity = EntityOf<ArenaLayout>

export const arenaInput = { moveX: t.quantized({ min: -1, max: 1, step: 0.01 }), moveY: t.quantized({ min: -1, max: 1, step: 0.01 }) }
export type ArenaInputFields = typeof arenaInput
export type ArenaInput = NetInput<ArenaInputFields>

export const arenaNetMessages = netcodeMessages({ input: arenaInput, maxInputsPerPacket: 8, maxSnapshotBytes: 1200 })

export const arenaMessages = {
  ...arenaNetMessages,
  /** Which lobby peer plays which entity (names and the score board). */
  arenaRoster: {
    channel: 'reliable',
    direction: 'toClient',
    fields: { players: t.array(t.object({ entity: t.uint16(), peer: t.string({ maxLength: 16 }) }), { maxLength: ARENA_MAX_PLAYERS }) },
  },
} as const

/** The server's authority over inputs; the client predicts with the same function. */
export function sanitizeArenaInput(input: ArenaInput): ArenaInput | undefined {
  const clean = sanitizeMoveInput(input)
  return clean && { ...input, moveX: clean.moveX, moveY: clean.moveY }
}

/** A player after one input: movement, then the walls. */
export function stepPlayer(p: ArenaEntity, input: ArenaInput, dtMs: number): ArenaEntity {
  const moved = simulate(p, input, dtMs)
  if (moved === p) return p
  const x = Math.min(ARENA.width - PLAYER_RADIUS, Math.max(PLAYER_RADIUS, moved.x))
  const y = Math.min(ARENA.height - PLAYER_RADIUS, Math.max(PLAYER_RADIUS, moved.y))
  return { ...p, x, y }
}

export function touches(a: { x: number; y: number }, b: { x: number; y: number }): boolean {
  return Math.hypot(a.x - b.x, a.y - b.y) < PLAYER_RADIUS + GEM_RADIUS
}
