import { ARENA_MAX_PLAYERS, arenaNetMessages, type ArenaInputFields, type ArenaLayout } from '../../shared/demo/arena'
import type { DemoSchema } from '../../shared/demo/demo-schema'
import { NetRoom, type GameServer, type LobbyServer, type LobbyServerOptions } from 'netplay-toolkit/server'
import { ArenaWorld } from './arena-world'

/** What the demo's lobby must be created with: rooms no larger than an arena's roster. */
export const arenaLobbyOptions = { maxCapacity: ARENA_MAX_PLAYERS } as const satisfies LobbyServerOptions

/** Every lobby room is an arena: a NetRoom and its world live while the room does. */
export function runArenas(server: GameServer<DemoSchema>, lobby: LobbyServer<DemoSchema>): void {
  // A room larger than the roster would make the 17th (65th...) join's roster unencodable.
  if (lobby.options.maxCapacity > ARENA_MAX_PLAYERS)
    throw new RangeError(`runArenas: lobby rooms hold up to ${lobby.options.maxCapacity} players, an arena ${ARENA_MAX_PLAYERS}; create the LobbyServer with arenaLobbyOptions`)
  const arenas = new Map<string, { net: NetRoom<DemoSchema, ArenaInputFields, ArenaLayout>; world: ArenaWorld; entities: Map<string, number> }>()
  let nextEntity = 1

  const roster = (roomId: string) => {
    const arena = arenas.get(roomId)
    if (!arena) return
    const players = [...arena.entities].map(([peer, entity]) => ({ peer, entity }))
    server.group(`room:${roomId}`).send('arenaRoster', { players })
  }

  lobby.events.on('roomCreated', (room) => {
    const world = new ArenaWorld()
    const net = new NetRoom(server, { messages: arenaNetMessages, game: world, tickRate: 30, inputRate: 60 })
    net.start()
    arenas.set(room.id, { net, world, entities: new Map() })
  })
  lobby.events.on('roomClosed', (room) => {
    arenas.get(room.id)?.net.stop()
    arenas.delete(room.id)
  })
  lobby.events.on('memberJoined', (roomId, peerId) => {
    const arena = arenas.get(roomId)
    const conn = lobby.connectionOf(peerId) as Parameters<NetRoom<DemoSchema, ArenaInputFields, ArenaLayout>['add']>[0] | undefined
    if (!arena || !conn) return
    const entity = arena.entities.get(peerId) ?? nextEntity++ % 1000
    arena.entities.set(peerId, entity)
    arena.world.addPlayer(entity)
    arena.net.add(conn, entity)
    roster(roomId)
  })
  // A resumed player keeps its entity; its new connection takes over the snapshots.
  lobby.events.on('peerResumed', (peer) => {
    const arena = peer.room ? arenas.get(peer.room) : undefined
    const entity = arena?.entities.get(peer.id)
    const conn = lobby.connectionOf(peer.id) as Parameters<NetRoom<DemoSchema, ArenaInputFields, ArenaLayout>['add']>[0] | undefined
    if (arena && entity !== undefined && conn) {
      arena.net.add(conn, entity)
      roster(peer.room!)
    }
  })
  lobby.events.on('memberLeft', (roomId, peerId) => {
    const arena = arenas.get(roomId)
    const entity = arena?.entities.get(peerId)
    if (!arena || entity === undefined) return
    const conn = lobby.connectionOf(peerId) as Parameters<NetRoom<DemoSchema, ArenaInputFields, ArenaLayout>['remove']>[0] | undefined
    if (conn) arena.net.remove(conn)
    arena.world.removePlayer(entity)
    arena.entities.delete(peerId)
    roster(roomId)
  })
}
