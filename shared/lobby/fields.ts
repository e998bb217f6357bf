/**
 * Field builders and limits shared by the lobby's declarations. Limits are protocol constants: both
 * ends compile the same declarations, and the schema refuses anything longer before it is decoded.
 */
import { t } from '../schema/index'

export const LOBBY_LIMITS = {
  /** Server-assigned peer and room ids are 8 characters; 16 leaves room to change that. */
  idLength: 16,
  /** A display name is at most 24 code points after normalisation (up to 48 UTF-16 units); raw input may be longer before NFKC. */
  nameWire: 64,
  nameCodePoints: 24,
  roomNameCodePoints: 32,
  emailLength: 254,
  /** 128-bit token as hex. */
  tokenLength: 32,
  passwordLength: 64,
  chatLength: 500,
  metaEntries: 8,
  metaKeyLength: 16,
  metaValueLength: 64,
  /** Largest lobby and room list one welcome can carry. */
  maxPeers: 1000,
  maxRooms: 256,
  maxCapacity: 255,
  /** Scale-out: a node's public URL, and how many nodes one `clusterNodes` lists. */
  urlLength: 256,
  maxNodes: 64,
} as const

/** `reconnecting`: the connection was lost and the peer may still resume within the grace period. */
export const PEER_STATUSES = ['online', 'away', 'in-game', 'reconnecting'] as const
export type PeerStatus = (typeof PEER_STATUSES)[number]
/** What a client may set for itself; `reconnecting` is the server's to say. */
export const SETTABLE_STATUSES = ['online', 'away', 'in-game'] as const
export type SettableStatus = (typeof SETTABLE_STATUSES)[number]

/** `left`: said goodbye; `disconnected`: lost and not back within the grace period; `removed`: by the server. */
export const LEAVE_REASONS = ['left', 'disconnected', 'removed'] as const
export type LeaveReason = (typeof LEAVE_REASONS)[number]

/** Why a member left a room (`moved`: joined or created another one). */
export type MemberLeaveReason = 'left' | 'kicked' | 'moved' | 'disconnected' | 'removed'

export const id = () => t.string({ maxLength: LOBBY_LIMITS.idLength })
export const displayName = () => t.string({ maxLength: LOBBY_LIMITS.nameWire })
/** Every request carries a client-chosen id that the reply (`lobbyAck` or `lobbyError`) repeats. */
export const rid = () => t.uint32()

/** Free-form room metadata (`mode`, `map`...), a small string map sent as entries. */
export const metaEntries = () =>
  t.array(t.object({ key: t.string({ maxLength: LOBBY_LIMITS.metaKeyLength }), value: t.string({ maxLength: LOBBY_LIMITS.metaValueLength }) }), {
    maxLength: LOBBY_LIMITS.metaEntries,
  })

export const peerInfo = () =>
  t.object({
    id: id(),
    name: displayName(),
    room: t.optional(id()),
    status: t.enum(PEER_STATUSES),
    /** Round trip to the server in ms, from the transport's smoothed RTT. */
    ping: t.uint16(),
  })

/** Passwords never leave the server: only `hasPassword`. Members are found through the peers' `room`. */
export const roomInfo = () =>
  t.object({
    id: id(),
    name: displayName(),
    owner: id(),
    capacity: t.uint8(),
    size: t.uint8(),
    hasPassword: t.bool(),
    meta: metaEntries(),
  })
