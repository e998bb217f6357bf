import { installNodeWebRTC } from '../../client/node'
import { GameClient, type GameClientOptions } from '../../client/index'
import { GameServer, type GameServerOptions, type ServerConnection } from '../../server/index'
import type { Schema } from '../../shared/schema/index'

installNodeWebRTC({ bindAddress: process.env.NETPLAY_BIND })

/** A real geckos server on 127.0.0.1 with an ephemeral port. */
export async function startServer<S extends Schema>(schema: S, options: GameServerOptions = {}): Promise<{ server: GameServer<S>; url: string }> {
  const server = new GameServer(schema, { bindAddress: process.env.NETPLAY_BIND, ...options })
  const port = await server.listen(0, '127.0.0.1')
  return { server, url: `http://127.0.0.1:${port}` }
}

export async function connectClient<S extends Schema>(schema: S, url: string, options: GameClientOptions = {}): Promise<GameClient<S>> {
  const client = new GameClient(schema, { url, ...options })
  await client.connect()
  return client
}

export function waitFor(predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const start = Date.now()
  return new Promise((resolve, reject) => {
    const check = () => {
      if (predicate()) return resolve()
      if (Date.now() - start > timeoutMs) return reject(new Error(`timed out waiting for ${what}`))
      setTimeout(check, 10)
    }
    check()
  })
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Connects a client and resolves with both ends: the client and the server's connection for it. */
export async function connectPair<S extends Schema>(
  server: GameServer<S>,
  schema: S,
  url: string,
  options: GameClientOptions = {},
): Promise<{ client: GameClient<S>; conn: ServerConnection<S> }> {
  const accepted = new Promise<ServerConnection<S>>((resolve) => {
    const off = server.onConnection((c) => {
      off()
      resolve(c)
    })
  })
  const client = await connectClient(schema, url, options)
  return { client, conn: await accepted }
}
