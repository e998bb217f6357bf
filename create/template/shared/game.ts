/** The game's protocol and rules, shared by the server (authority) and the client (prediction). */
import { sanitizeMoveInput, simulate, type EntityOf, type NetInput } from 'netplay-toolkit/netcode'
import { defineSchema, netcodeMessages, t } from 'netplay-toolkit/schema'

export const WORLD = { width: 20, height: 12 } as const
export const RADIUS = 0.5

/** What a player sends 60 times a second: a direction (keys or stick). */
export const input = { moveX: t.quantized({ min: -1, max: 1, step: 0.01 }), moveY: t.quantized({ min: -1, max: 1, step: 0.01 }) }
/** What a snapshot says about each player (delta-compressed, on the unreliable channel). */
export const layout = {
  x: t.quantized({ min: 0, max: WORLD.width, step: 0.01 }),
  y: t.quantized({ min: 0, max: WORLD.height, step: 0.01 }),
  color: t.uint8(),
}
export type Player = EntityOf<typeof layout>
export type Input = NetInput<typeof input>

export const netMessages = netcodeMessages({ input, maxInputsPerPacket: 8, maxSnapshotBytes: 1200 })

export const schema = defineSchema({
  ...netMessages, // unreliable: inputs up, snapshots down
  // reliable and ordered: what a player says, and what the server relays to everyone, stamped with who said it
  say: { channel: 'reliable', direction: 'toServer', fields: { text: t.string({ maxLength: 200 }) } },
  chat: { channel: 'reliable', direction: 'toClient', fields: { from: t.uint16(), text: t.string({ maxLength: 200 }) } },
})
export type GameSchema = typeof schema

/** The server refuses and clamps bad inputs; the client runs its own through this too, to predict exactly. */
export function sanitize(i: Input): Input | undefined {
  const clean = sanitizeMoveInput(i)
  return clean && { ...i, moveX: clean.moveX, moveY: clean.moveY }
}

/** One input held for dtMs: move at a capped speed, stay inside the world. */
export function move(p: Player, i: Input, dtMs: number): Player {
  const next = simulate(p, i, dtMs)
  const x = Math.min(WORLD.width - RADIUS, Math.max(RADIUS, next.x))
  const y = Math.min(WORLD.height - RADIUS, Math.max(RADIUS, next.y))
  return { ...p, x, y }
}
