import http from 'node:http'
import { demoSchema } from '../../shared/demo/demo-schema'
import { serveStatic } from '../http/static-files'
import { LobbyServer } from '../lobby/index'
import { GameServer } from '../transport/game-server'

/** The demo: static client, game server and lobby on one HTTP port. */
export async function startDemoServer(options: { port: number; host?: string; staticRoot?: string }): Promise<{ url: string; close: () => Promise<void> }> {
  const httpServer = http.createServer(options.staticRoot ? serveStatic(options.staticRoot) : (_req, res) => res.end())
  const game = new GameServer(demoSchema, { link: { timeoutMs: 8000 } })
  game.attach(httpServer)
  new LobbyServer(game, { graceMs: 15_000 })
  await new Promise<void>((resolve) => httpServer.listen(options.port, options.host, resolve))
  const address = httpServer.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  return {
    url: `http://${options.host ?? 'localhost'}:${port}`,
    close: async () => {
      await game.close()
      httpServer.closeAllConnections()
      await new Promise<void>((r) => httpServer.close(() => r()))
    },
  }
}
