import http from 'node:http'
import { demoSchema } from '../../shared/demo/demo-schema'
import { GameServer } from '../transport/game-server'
import { serveStatic } from '../http/static-files'

/** The demo: static client and game server on one HTTP port. */
export async function startDemoServer(options: { port: number; host?: string; staticRoot?: string }): Promise<{ url: string; close: () => Promise<void> }> {
  const httpServer = http.createServer(options.staticRoot ? serveStatic(options.staticRoot) : (_req, res) => res.end())
  const game = new GameServer(demoSchema)
  game.attach(httpServer)
  game.onConnection((conn) => conn.send('hello', { id: conn.id, online: game.connections.size }))
  game.on('chat', (msg, conn) => game.broadcast('chat', { from: msg.from || conn.id.slice(0, 6), text: msg.text }))
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
