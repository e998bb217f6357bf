/** The lobby's protocol, shared by `server/lobby` and `client/lobby`: messages, limits, pure checks. */
export { lobbyMessages } from './messages'
export { presenceMessages } from './presence-messages'
export { roomMessages } from './room-messages'
export { chatMessages } from './chat-messages'
export { clusterMessages } from './cluster-messages'
export { assertLobbySchema, lobbySchema, lobbySchemaProblems, type LobbyPayload, type LobbySchema } from './compat'
export { LOBBY_ERROR_CODES, LobbyError, type LobbyErrorCode } from './errors'
export {
  LEAVE_REASONS,
  LOBBY_LIMITS,
  PEER_STATUSES,
  SETTABLE_STATUSES,
  type LeaveReason,
  type MemberLeaveReason,
  type PeerStatus,
  type SettableStatus,
} from './fields'
export { FORBIDDEN_CODE_POINTS, nameFromEmail, nameKey, normalizeName, uniqueName, NAME_MAX_CODE_POINTS, type NameResult } from './names'
export { checkChatText, checkMeta, metaToRecord, recordToMeta, type MetaEntry } from './text'
export type { ChatMessage, PeerInfo, RoomInfo } from './types'
