import { fileMessages } from '../files/file-messages'
import { arenaMessages } from './arena'
import { lobbyMessages } from '../lobby/index'
import { defineSchema } from '../schema/index'
import { signalMessages } from '../signalling/signal-messages'

/** The demo's one schema: the toolkit's lobby, file and signalling messages plus the game's. Both ends import it. */
export const demoSchema = defineSchema({
  ...lobbyMessages,
  ...fileMessages,
  ...signalMessages,
  ...arenaMessages,
})
export type DemoSchema = typeof demoSchema
