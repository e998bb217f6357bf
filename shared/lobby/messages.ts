import type { Declarations } from '../schema/index'
import { chatMessages } from './chat-messages'
import { clusterMessages } from './cluster-messages'
import { presenceMessages } from './presence-messages'
import { roomMessages } from './room-messages'

/**
 * Every lobby message. Spread into the application's one schema:
 * `defineSchema({ ...lobbyMessages, ...gameMessages })`. Ids follow declaration order (the lobby's
 * come first when spread first); both ends must spread in the same order.
 */
export const lobbyMessages = { ...presenceMessages, ...roomMessages, ...chatMessages, ...clusterMessages } as const satisfies Declarations
