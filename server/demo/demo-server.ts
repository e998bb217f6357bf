import http from 'node:http'
import { demoSchema } from '../../shared/demo/demo-schema'
import { FileRelay, GameServer, HARDENED_HTTP_OPTIONS, LobbyServer, serveStatic, SignalRelay, type GameServerOptions } from 'netplay-toolkit/server'
import { arenaLobbyOptions, runArenas } from './arena-rooms'
import { clusterConnectOrigins, joinCluster, type ClusterOptions } from './cluster-node'

/** The demo: static client, game server and lobby on one HTTP port. */
export async function startDemoServer(options: {
  port: number
  host?: string
  staticRoot?: string
  cluster?: ClusterOptions
  /** A TURN server (coturn `use-auth-secret`): every player gets fresh credentials for it; the media mesh uses them too. */
  turn?: GameServerOptions['turn']
  /** The address WebRTC gathers its candidates on (default: every interface but loopback); tests with a loopback TURN server use 127.0.0.1. */
  bindAddress?: string
}): Promise<{
  url: string
  /** For monitoring (the soak reads its connection maps). */
  game: GameServer<typeof demoSchema>
  lobby: LobbyServer<typeof demoSchema>
  close: () => Promise<void>
}> {
  // A cluster's page may connect to the other nodes (a room there redirects the player).
  const connectOrigins = clusterConnectOrigins(options.cluster?.nodeOrigins ?? [])
  const httpServer = http.createServer(HARDENED_HTTP_OPTIONS)
  // Connection setup only from pages of this host, bodies capped, new connections rate limited.
  const allowedOrigins = (origin: string) => /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(origin) || origin === process.env.DEMO_ORIGIN
  const connectGuard = { allowedOrigins, maxBodyBytes: 16 * 1024, connectRate: { perMinute: 60, burst: 20 } }
  // The WebSocket fallback (players whose network blocks UDP) with the same origin rule.
  const game = new GameServer(demoSchema, { link: { timeoutMs: 8000 }, connectGuard, websocket: { allowedOrigins, connectRate: { perMinute: 60, burst: 20 } }, turn: options.turn, bindAddress: options.bindAddress })
  // The game server owns the HTTP server's routing; the static client is its app handler.
  game.attach(httpServer, options.staticRoot ? serveStatic(options.staticRoot, { connectOrigins }) : undefined)
  // Scale-out: with a cluster (REDIS_URL), the lobby spans every node on that Redis.
  const cluster = options.cluster && (await joinCluster(options.cluster, options.port, 15_000))
  const lobby = new LobbyServer(game, { graceMs: 15_000, ...arenaLobbyOptions, backplane: cluster?.backplane })
  new FileRelay(game, lobby, { maxFileBytes: 50 * 1024 * 1024 })
  const signals = new SignalRelay(game, cluster ? cluster.directory(lobby) : lobby)
  cluster?.bridge(signals)
  runArenas(game, lobby)
  await new Promise<void>((resolve) => httpServer.listen(options.port, options.host, resolve))
  const address = httpServer.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  return {
    url: `http://${options.host ?? 'localhost'}:${port}`,
    game,
    lobby,
    close: async () => {
      await game.close()
      await cluster?.backplane.close()
      httpServer.closeAllConnections()
      await new Promise<void>((r) => httpServer.close(() => r()))
    },
  }
}
