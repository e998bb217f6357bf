/**
 * `netplay-toolkit/server` (Node): the game server over WebRTC and the server side of the lobby,
 * file relay, media signalling relay and netcode rooms.
 */
export { GameServer, type GameServerEvents, type GameServerOptions } from '../server/transport/game-server'
export { ServerConnection } from '../server/transport/server-connection'
export { Group } from '../server/transport/group'
export { createSignallingGuard, type SignallingGuard, type SignallingGuardOptions, type SignallingGuardStats } from '../server/http/signalling-guard'
export { serveStatic, CONTENT_SECURITY_POLICY } from '../server/http/static-files'
export { LobbyServer, type LobbyServerEvents, type LobbyServerOptions, type PeerDirectory } from '../server/lobby/index'
export { FileRelay, type FileRelayStats } from '../server/files/file-relay'
export type { FileRelayOptions } from '../server/files/transfer'
export { SignalRelay, type SignalRelayOptions, type SignalRelayStats } from '../server/signalling/signal-relay'
export { NetRoom, type NetClientView, type NetRoomGame, type NetRoomOptions, type NetRoomStats, type NetPeerStats, type TickTimingStats } from '../server/netcode/index'
export * from './shared-types'
