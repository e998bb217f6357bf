import http from 'node:http'
import { demoSchema } from '../../shared/demo/demo-schema'
import { FileRelay } from '../files/file-relay'
import { createSignallingGuard } from '../http/signalling-guard'
import { serveStatic } from '../http/static-files'
import { LobbyServer } from '../lobby/index'
import { SignalRelay } from '../signalling/signal-relay'
import { GameServer } from '../transport/game-server'
import { runArenas } from './arena-rooms'

/** The demo: static client, game server and lobby on one HTTP port. */
export async function startDemoServer(options: { port: number; host?: string; staticRoot?: string }): Promise<{
  url: string
  /** For monitoring (the soak reads its connection maps). */
  game: GameServer<typeof demoSchema>
  lobby: LobbyServer<typeof demoSchema>
  close: () => Promise<void>
}> {
  const httpServer = http.createServer(options.staticRoot ? serveStatic(options.staticRoot) : (_req, res) => res.end())
  // Signalling only from pages this server served (same host), bodies capped, connection rate limited.
  const signallingGuard = createSignallingGuard({
    allowedOrigins: (origin) => /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(origin) || origin === process.env.DEMO_ORIGIN,
    maxBodyBytes: 16 * 1024,
    connectRate: { perMinute: 60, burst: 20 },
  })
  const game = new GameServer(demoSchema, { link: { timeoutMs: 8000 }, signallingGuard })
  game.attach(httpServer)
  const lobby = new LobbyServer(game, { graceMs: 15_000 })
  new FileRelay(game, lobby, { maxFileBytes: 50 * 1024 * 1024 })
  new SignalRelay(game, lobby)
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
      httpServer.closeAllConnections()
      await new Promise<void>((r) => httpServer.close(() => r()))
    },
  }
}
