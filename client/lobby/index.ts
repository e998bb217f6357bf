export { LobbyClient } from './lobby-client'
export type { CreateRoom, JoinAs, LobbyClientEvents, LobbyClientOptions } from './types'
export type { PeerChange } from './state'
export type { NameStorage } from './storage'
