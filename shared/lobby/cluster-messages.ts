import type { Declarations } from '../schema/index'
import { t } from '../schema/index'
import { id, LOBBY_LIMITS, rid } from './fields'

/** A seat token: 128 random bits as hex, like a resume token. */
const seat = () => t.string({ maxLength: 32 })

/**
 * Scale-out: rooms live on one server node. Joining a room hosted on another node is answered with a
 * redirect instead of an ack; the client connects there, resumes its identity with its resume token,
 * and takes the seat (a one-time token, valid for a few seconds) to enter the room.
 */
export const clusterMessages = {
  /** The answer to `roomJoin` (same `rid`) when the room is on another node at `url`. */
  roomRedirect: {
    channel: 'reliable',
    direction: 'toClient',
    fields: { rid: rid(), roomId: id(), url: t.string({ maxLength: LOBBY_LIMITS.urlLength }), seat: seat() },
  },
  /** On the room's node, after resuming there: enter the room the seat was issued for. Answered with `lobbyAck` + room id. */
  roomSeat: { channel: 'reliable', direction: 'toServer', fields: { rid: rid(), seat: seat() } },
  /**
   * The cluster's live nodes, where a player can resume if its own node goes away: their public URLs,
   * the sending node first. Sent after every welcome, and to everyone when a node comes or goes.
   */
  clusterNodes: {
    channel: 'reliable',
    direction: 'toClient',
    fields: { urls: t.array(t.string({ maxLength: LOBBY_LIMITS.urlLength }), { maxLength: LOBBY_LIMITS.maxNodes }) },
  },
} as const satisfies Declarations
