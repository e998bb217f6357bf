/**
 * `netplay-toolkit/client` (browser, or Node after `installNodeWebRTC()` from `netplay-toolkit/node`):
 * the game client and the client side of the lobby, files, voice/video mesh and netcode.
 * Imports nothing Node-only.
 */
export { GameClient, type GameClientEvents, type GameClientOptions } from '../client/transport/game-client'
export { ConnectError, type ConnectFailure, type SetupRefusal } from '../client/transport/connect-error'
export { diagnoseConnectivity, explainProblem, type ConnectivityReport, type DiagnoseOptions, type Problem, type ProblemCode } from '../client/connectivity/index'
export { LobbyClient, type CreateRoom, type JoinAs, type LobbyClientEvents, type LobbyClientOptions, type NameStorage, type PeerChange } from '../client/lobby/index'
export { FileClient } from '../client/files/file-client'
export type { FileCancelled, FileClientEvents, FileClientOptions, FileOffer, FileProgress, OutgoingFile, ReceivedFile } from '../client/files/types'
export { sanitizeFileName, type SanitizeOptions } from '../shared/files/sanitize-name'
export { Mesh, type MeshEvents, type MeshOptions, type MeshVideo } from '../client/media/mesh'
export { SignalClient, type SignalClientEvents } from '../client/media/signal-client'
export { NetClient, RemoteEntities, type NetClientGame, type NetClientOptions, type NetClientStats, type NetFrame, type RemoteEntityStats } from '../client/netcode/index'
export * from './shared-types'
