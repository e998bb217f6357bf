import { defineSchema, fileMessages, lobbyMessages, signalMessages } from 'netplay-toolkit/schema'
import { arenaMessages } from './arena'

/** The demo's one schema: the toolkit's lobby, file and signalling messages plus the game's. Both ends import it. */
export const demoSchema = defineSchema({
  ...lobbyMessages,
  ...fileMessages,
  ...signalMessages,
  ...arenaMessages,
})
export type DemoSchema = typeof demoSchema
