import type { Declarations } from '../schema/index'
import { t } from '../schema/index'
import { displayName, id, LOBBY_LIMITS, rid } from './fields'

/** Chat over the reliable, ordered channel. */
export const chatMessages = {
  /** `to`: `'room'` for the sender's room, or a peer id for a direct message. */
  chatSend: {
    channel: 'reliable',
    direction: 'toServer',
    fields: { rid: rid(), to: id(), text: t.string({ maxLength: LOBBY_LIMITS.chatLength }) },
  },
  /**
   * `id` counts up on the server (one counter for all chat), `at` is the server's wall clock in ms.
   * Room messages carry `room`; `replay` marks history sent on joining a room or resuming.
   */
  chatMessage: {
    channel: 'reliable',
    direction: 'toClient',
    fields: {
      id: t.uint32(),
      from: id(),
      fromName: displayName(),
      to: id(),
      room: t.optional(id()),
      text: t.string({ maxLength: LOBBY_LIMITS.chatLength }),
      at: t.float64(),
      replay: t.bool(),
    },
  },
} as const satisfies Declarations
