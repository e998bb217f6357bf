import type { Declarations } from '../schema/index'
import { t } from '../schema/index'
import { id, rid } from './fields'

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
    fields: { rid: rid(), roomId: id(), url: t.string({ maxLength: 256 }), seat: seat() },
  },
  /** On the room's node, after resuming there: enter the room the seat was issued for. Answered with `lobbyAck` + room id. */
  roomSeat: { channel: 'reliable', direction: 'toServer', fields: { rid: rid(), seat: seat() } },
} as const satisfies Declarations
