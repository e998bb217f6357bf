import { ClusterDirectory, RedisBackplane, type LobbyServer, type SignalRelay } from 'netplay-toolkit/server'
import type { DemoSchema } from '../../shared/demo/demo-schema'

export interface ClusterOptions {
  redisUrl: string
  /** Where players reach this node; default `http://127.0.0.1:<port>`. */
  publicUrl?: string
  nodeId?: string
  /** Every node's public origin: the page may connect to them (CSP `connect-src`). */
  nodeOrigins?: string[]
}

/** `http://host:port` -> itself and `ws://host:port` (the WebSocket fallback), for the CSP. */
export function clusterConnectOrigins(origins: readonly string[]): string[] {
  return origins.flatMap((o) => [o, o.replace(/^http/, 'ws')])
}

/** The demo as one node of a cluster: the backplane for its lobby, and the cluster-wide directory for signalling. */
export async function joinCluster(o: ClusterOptions, port: number, graceMs: number) {
  if (!o.publicUrl && !port) throw new Error('a cluster node needs a fixed PORT or a PUBLIC_URL')
  const backplane = await new RedisBackplane({ redisUrl: o.redisUrl, publicUrl: o.publicUrl ?? `http://127.0.0.1:${port}`, nodeId: o.nodeId, graceMs }).connect()
  let dir: ClusterDirectory | undefined
  return {
    backplane,
    directory: (lobby: LobbyServer<DemoSchema>) => (dir = new ClusterDirectory(lobby as unknown as LobbyServer, backplane)),
    bridge: (relay: SignalRelay<DemoSchema>) => dir?.bridge(relay),
  }
}
