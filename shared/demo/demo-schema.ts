import { lobbyMessages } from '../lobby/index'
import { defineSchema } from '../schema/index'

/** The demo's one schema: the toolkit's lobby messages plus the game's. Both ends import it. */
export const demoSchema = defineSchema({
  ...lobbyMessages,
})
export type DemoSchema = typeof demoSchema
