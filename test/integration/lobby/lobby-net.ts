/** Lobby test rig: a real GameServer + LobbyServer on 127.0.0.1 and real Node clients, all closed in `close()`. */
import type { GameClient } from '../../../client/index'
import { LobbyClient, type LobbyClientOptions } from '../../../client/lobby/index'
import type { GameServer, GameServerOptions } from '../../../server/index'
import { LobbyServer, type LobbyServerOptions } from '../../../server/lobby/index'
import { lobbyMessages, type LobbyErrorCode } from '../../../shared/lobby/index'
import { defineSchema } from '../../../shared/schema/index'
import { connectClient, startServer, waitFor } from '../../support/real-net'

export const schema = defineSchema({ ...lobbyMessages })
export type App = typeof schema

export interface Player {
  game: GameClient<App>
  lobby: LobbyClient<App>
}

export interface Rig {
  server: GameServer<App>
  lobby: LobbyServer<App>
  url: string
  connect(): Promise<GameClient<App>>
  /** A connected LobbyClient that has not joined yet. */
  player(options?: LobbyClientOptions<App>): Promise<Player>
  /** A connected player that joined with `name`. */
  joined(name: string, options?: LobbyClientOptions<App>): Promise<Player>
  close(): Promise<void>
}

export async function startLobby(o: { lobby?: LobbyServerOptions; server?: GameServerOptions } = {}): Promise<Rig> {
  const { server, url } = await startServer(schema, o.server)
  const lobby = new LobbyServer(server, o.lobby)
  const games: GameClient<App>[] = []
  const lobbies: LobbyClient<App>[] = []
  const connect = async () => {
    const game = await connectClient(schema, url)
    games.push(game)
    return game
  }
  const player = async (options: LobbyClientOptions<App> = {}): Promise<Player> => {
    const game = await connect()
    const lc = new LobbyClient(game, { storage: null, ...options })
    lobbies.push(lc)
    return { game, lobby: lc }
  }
  return {
    server,
    lobby,
    url,
    connect,
    player,
    async joined(name, options) {
      const p = await player(options)
      await p.lobby.join({ name })
      return p
    },
    async close() {
      for (const l of lobbies) l.close()
      for (const g of games) g.close()
      lobby.close()
      await server.close()
    },
  }
}

/** Sends a raw lobby request (bypassing the client's own checks) and resolves with the server's reply. */
export function rawRequest(
  game: GameClient<App>,
  send: (rid: number) => void,
): Promise<{ ok: true; roomId?: string } | { ok: false; code: LobbyErrorCode; message: string }> {
  const rid = 100_000 + Math.floor(Math.random() * 1_000_000)
  return new Promise((resolve) => {
    const offs = [
      game.on('lobbyAck', (d) => d.rid === rid && done({ ok: true, roomId: d.roomId })),
      game.on('lobbyWelcome', (d) => d.rid === rid && done({ ok: true })),
      game.on('lobbyError', (d) => d.rid === rid && done({ ok: false, code: d.code, message: d.message })),
    ]
    const done = (r: Parameters<typeof resolve>[0]) => {
      for (const off of offs) off()
      resolve(r)
    }
    send(rid)
  })
}

/** Records a client's events in arrival order as short strings, for exact assertions. */
export function record(lc: LobbyClient<App>): string[] {
  const log: string[] = []
  lc.events.on('peerJoined', (p) => log.push(`join ${p.name}`))
  lc.events.on('peerLeft', (p, reason) => log.push(`leave ${p.name} ${reason}`))
  lc.events.on('peerChanged', (p, c) => {
    if (c.status !== undefined) log.push(`status ${p.name} ${c.status}`)
    if ('room' in c) log.push(`room ${p.name} ${c.room ?? '-'}`)
  })
  return log
}

export { waitFor }
