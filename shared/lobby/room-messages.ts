import type { Declarations } from '../schema/index'
import { t } from '../schema/index'
import { displayName, id, LOBBY_LIMITS, metaEntries, rid, roomInfo } from './fields'

/** Rooms: listed to everyone in the lobby, joined one at a time. */
export const roomMessages = {
  /** The creator joins (leaving any other room) and owns it. */
  roomCreate: {
    channel: 'reliable',
    direction: 'toServer',
    fields: {
      rid: rid(),
      name: displayName(),
      capacity: t.uint8(),
      password: t.optional(t.string({ maxLength: LOBBY_LIMITS.passwordLength })),
      meta: metaEntries(),
    },
  },
  roomJoin: {
    channel: 'reliable',
    direction: 'toServer',
    fields: { rid: rid(), roomId: id(), password: t.optional(t.string({ maxLength: LOBBY_LIMITS.passwordLength })) },
  },
  roomLeave: { channel: 'reliable', direction: 'toServer', fields: { rid: rid() } },
  /** Owner only: removes a member, who may not come back while the room lasts. */
  roomKick: { channel: 'reliable', direction: 'toServer', fields: { rid: rid(), peerId: id() } },
  roomAdded: { channel: 'reliable', direction: 'toClient', fields: { room: roomInfo() } },
  /** The whole (small) room record: owner, size or meta changed. */
  roomChanged: { channel: 'reliable', direction: 'toClient', fields: { room: roomInfo() } },
  roomRemoved: { channel: 'reliable', direction: 'toClient', fields: { id: id() } },
  /** To the kicked member only. */
  roomKicked: { channel: 'reliable', direction: 'toClient', fields: { roomId: id(), by: id() } },
} as const satisfies Declarations
