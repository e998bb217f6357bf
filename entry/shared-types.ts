/** What both `netplay-toolkit/server` and `netplay-toolkit/client` hand out: link stats and options, disconnect reasons, lobby data and errors. */
export { LinkError, type LinkConditions, type LinkOptions, type NetStats, type RateLimitOptions, type RejectCode } from '../shared/transport/index'
export { DISCONNECT_REASONS, type DisconnectReason } from '../shared/transport/index'
export { LobbyError, LOBBY_ERROR_CODES, LOBBY_LIMITS, type LobbyErrorCode, type ChatMessage, type PeerInfo, type RoomInfo, type PeerStatus, type LeaveReason } from '../shared/lobby/index'
