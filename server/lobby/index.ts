export { LobbyServer } from './lobby-server'
export type { PeerDirectory } from './directory'
export type { LobbyServerOptions } from './options'
export type { LobbyServerEvents } from './peer'
