export { RedisBackplane, type ClusterEvents, type RedisBackplaneOptions } from './redis-backplane'
export { ClusterDirectory } from './cluster-directory'
export { RemoteView } from './remote-view'
