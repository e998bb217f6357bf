/**
 * Defect: rooms allowed 64 players while the arena roster encoded at most 16, so the 17th join made
 * the roster encode throw inside the lobby's `memberJoined` listener and skipped the rest of the join.
 * Here 18 real clients join one arena room over WebRTC on 127.0.0.1; every one gets the full roster
 * and snapshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GameClient } from '../../../client/index'
import { LobbyClient } from '../../../client/lobby/index'
import { arenaLobbyOptions, runArenas } from '../../../server/demo/arena-rooms'
import type { GameServer } from '../../../server/index'
import { LobbyServer } from '../../../server/lobby/index'
import { ARENA_MAX_PLAYERS } from '../../../shared/demo/arena'
import { demoSchema, type DemoSchema } from '../../../shared/demo/demo-schema'
import type { ListenerError } from '../../../shared/transport/emitter'
import { connectClient, startServer, waitFor } from '../../support/real-net'

const PLAYERS = 18

interface Seen {
  game: GameClient<DemoSchema>
  lobby: LobbyClient<DemoSchema>
  rosterSize: number
  snapshots: number
}

describe('demo arena: a room beyond 16 players', () => {
  let server: GameServer<DemoSchema>
  let url: string
  let lobby: LobbyServer<DemoSchema>
  const players: Seen[] = []
  const lobbyErrors: ListenerError[] = []

  beforeAll(async () => {
    ;({ server, url } = await startServer(demoSchema))
    lobby = new LobbyServer(server, arenaLobbyOptions)
    lobby.events.on('error', (e) => lobbyErrors.push(e))
    runArenas(server, lobby)
  })

  afterAll(async () => {
    for (const p of players) {
      p.lobby.close()
      p.game.close()
    }
    lobby?.close()
    await server?.close()
  })

  it('every one of 18 players gets the whole roster and snapshots', async () => {
    let roomId = ''
    for (let i = 0; i < PLAYERS; i++) {
      const game = await connectClient(demoSchema, url)
      const seen: Seen = { game, lobby: new LobbyClient(game, { storage: null }), rosterSize: 0, snapshots: 0 }
      game.on('arenaRoster', ({ players }) => (seen.rosterSize = players.length))
      game.on('netSnapshot', () => seen.snapshots++)
      players.push(seen)
      await seen.lobby.join({ name: `player${i}` })
      if (i === 0) roomId = (await seen.lobby.createRoom({ name: 'big', capacity: ARENA_MAX_PLAYERS })).id
      else await seen.lobby.joinRoom(roomId)
    }
    await waitFor(() => players.every((p) => p.rosterSize === PLAYERS), 20_000, 'every roster to list all players')
    const before = players.map((p) => p.snapshots)
    await waitFor(() => players.every((p, i) => p.snapshots > before[i]! + 3), 20_000, 'snapshots to keep reaching every player')
    expect(lobbyErrors).toEqual([])
  }, 120_000)

  it('refuses a lobby whose rooms outgrow the roster', () => {
    const other = new LobbyServer(server, { maxCapacity: ARENA_MAX_PLAYERS + 1 })
    try {
      expect(() => runArenas(server, other)).toThrow(RangeError)
    } finally {
      other.close()
    }
  })
})
