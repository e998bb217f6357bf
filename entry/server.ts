/**
 * `netplay-toolkit/server` (Node): the game server over WebRTC and the server side of the lobby,
 * file relay, media signalling relay and netcode rooms.
 */
export { GameServer, type GameServerEvents, type GameServerOptions } from '../server/transport/game-server'
export { ServerConnection } from '../server/transport/server-connection'
export { Group } from '../server/transport/group'
export { HARDENED_HTTP_OPTIONS, type AppHandler } from '../server/transport/http-front-door'
export type { ConnectGuardOptions, ConnectGuardStats } from '../server/transport/connect-guard'
export type { ConnectLimitsOptions } from '../server/transport/connect-limits'
export type { IceConfigOptions } from '../server/transport/ice-config'
export type { WebSocketFallbackOptions } from '../server/transport/websocket-fallback'
export { serveStatic, CONTENT_SECURITY_POLICY } from '../server/http/static-files'
export { LobbyServer, type LobbyServerEvents, type LobbyServerOptions, type PeerDirectory } from '../server/lobby/index'
export { FileRelay, type FileRelayStats } from '../server/files/file-relay'
export type { FileRelayOptions } from '../server/files/transfer'
export { SignalRelay, type SignalRelayOptions, type SignalRelayStats } from '../server/signalling/signal-relay'
export { NetRoom, RoomLagCompensation, type HitTest, type NetClientView, type NetRoomGame, type NetRoomOptions, type NetRoomStats, type NetPeerStats, type RoomLagCompensationOptions, type TickTimingStats } from '../server/netcode/index'
export * from './shared-types'
export { RedisBackplane, ClusterDirectory, type ClusterEvents, type RedisBackplaneOptions } from '../server/cluster/index'
export { startLocalRedis, redisServerMissing, type LocalRedis } from '../server/cluster/local-redis'
export type { LobbyBackplane } from '../server/lobby/backplane'
