import http from 'node:http'
import { GameServer, NetRoom, serveStatic } from 'netplay-toolkit/server'
import { input, layout, move, netMessages, sanitize, schema, WORLD, type Player } from '../shared/game'

/** One HTTP port: the built client (if `staticRoot`), WebRTC signalling and the game. */
export async function startServer(options: { port: number; host?: string; staticRoot?: string }) {
  const httpServer = http.createServer(options.staticRoot ? serveStatic(options.staticRoot) : (_req, res) => res.end())
  const server = new GameServer(schema)
  server.attach(httpServer)

  // The room ticks 30 times a second, applies each player's inputs and sends every client a snapshot.
  const players = new Map<number, Player>()
  const room = new NetRoom<typeof schema, typeof input, typeof layout>(server, {
    messages: netMessages,
    game: {
      layout,
      sanitize,
      applyInput: (id, i, dtMs) => {
        const p = players.get(id)
        if (p) players.set(id, move(p, i, dtMs))
      },
      entities: () => players,
    },
  })
  room.start()

  let nextId = 1
  server.onConnection((conn) => {
    const id = nextId++
    players.set(id, { x: WORLD.width / 2, y: WORLD.height / 2, color: id % 8 })
    room.add(conn, id)
    // Chat on the reliable channel; the server stamps who said it.
    conn.on('say', (msg) => server.broadcast('chat', { from: id, text: msg.text }))
    conn.events.on('close', () => players.delete(id))
  })

  await new Promise<void>((resolve, reject) => httpServer.once('error', reject).listen(options.port, options.host, resolve))
  const address = httpServer.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  return {
    url: `http://${options.host ?? 'localhost'}:${port}`,
    players,
    close: async () => {
      room.stop()
      await server.close()
      httpServer.closeAllConnections()
      await new Promise<void>((resolve) => httpServer.close(() => resolve()))
    },
  }
}
