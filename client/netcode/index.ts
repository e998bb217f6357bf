export { NetClient, type NetClientGame, type NetClientOptions, type NetClientStats, type NetFrame } from './net-client'
export { RemoteEntities, type RemoteEntityStats } from './remote-entities'
