export { GameServer, type GameServerEvents, type GameServerOptions } from './transport/game-server'
export { ServerConnection } from './transport/server-connection'
export { Group } from './transport/group'
