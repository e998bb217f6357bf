export { GameClient, type GameClientEvents, type GameClientOptions } from './transport/game-client'
export { ConnectError, type ConnectFailure } from './transport/connect-error'
