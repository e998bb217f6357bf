import type { Declarations } from '../schema/index'
import { t } from '../schema/index'
import { LOBBY_ERROR_CODES } from './errors'
import { displayName, id, LEAVE_REASONS, LOBBY_LIMITS, PEER_STATUSES, peerInfo, rid, roomInfo, SETTABLE_STATUSES } from './fields'

/** Joining, leaving and who is here. Every `toClient` message goes only to peers that joined. */
export const presenceMessages = {
  /** `name`, or else the part of `email` before '@'; with `resumeToken`, take back an identity lost within the grace period. */
  lobbyJoin: {
    channel: 'reliable',
    direction: 'toServer',
    fields: {
      rid: rid(),
      name: t.optional(displayName()),
      email: t.optional(t.string({ maxLength: LOBBY_LIMITS.emailLength })),
      resumeToken: t.optional(t.string({ maxLength: LOBBY_LIMITS.tokenLength })),
    },
  },
  /** Leave for good: no grace period, the name and the room slot are freed at once. */
  lobbyLeave: { channel: 'reliable', direction: 'toServer', fields: { rid: rid() } },
  statusSet: { channel: 'reliable', direction: 'toServer', fields: { rid: rid(), status: t.enum(SETTABLE_STATUSES) } },
  /** The full picture once; deltas follow. `resumed`: the token was honoured (same id, name, room). */
  lobbyWelcome: {
    channel: 'reliable',
    direction: 'toClient',
    fields: {
      rid: rid(),
      peerId: id(),
      name: displayName(),
      resumeToken: t.string({ maxLength: LOBBY_LIMITS.tokenLength }),
      resumed: t.bool(),
      graceMs: t.uint32(),
      peers: t.array(peerInfo(), { maxLength: LOBBY_LIMITS.maxPeers }),
      rooms: t.array(roomInfo(), { maxLength: LOBBY_LIMITS.maxRooms }),
    },
  },
  /** A request succeeded; sent after the deltas it caused, so the client's state is already current. */
  lobbyAck: { channel: 'reliable', direction: 'toClient', fields: { rid: rid(), roomId: t.optional(id()) } },
  lobbyError: {
    channel: 'reliable',
    direction: 'toClient',
    fields: { rid: t.optional(rid()), code: t.enum(LOBBY_ERROR_CODES), message: t.string({ maxLength: 200 }) },
  },
  presenceJoin: { channel: 'reliable', direction: 'toClient', fields: { peer: peerInfo() } },
  presenceLeave: { channel: 'reliable', direction: 'toClient', fields: { id: id(), reason: t.enum(LEAVE_REASONS) } },
  /** Only the fields that changed. `room: ''` means "left its room" (absent means unchanged). */
  presenceChange: {
    channel: 'reliable',
    direction: 'toClient',
    fields: { id: id(), name: t.optional(displayName()), room: t.optional(id()), status: t.optional(t.enum(PEER_STATUSES)), ping: t.optional(t.uint16()) },
  },
  /** Ping changes of every peer in one frame, every few seconds: one broadcast instead of one per peer. */
  presencePings: {
    channel: 'reliable',
    direction: 'toClient',
    fields: { pings: t.array(t.object({ id: id(), ping: t.uint16() }), { maxLength: LOBBY_LIMITS.maxPeers }) },
  },
} as const satisfies Declarations
