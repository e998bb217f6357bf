/**
 * What most netcode integration tests start from: a NetRoom ticking the test world on a real
 * GameServer, and one real Node GameClient over WebRTC on loopback seated as entity 1.
 */
import type { GameClient } from '../../../client/index'
import type { GameServer, ServerConnection } from '../../../server/index'
import { NetRoom, type NetRoomOptions } from '../../../server/netcode/index'
import type { LinkOptions } from '../../../shared/transport/index'
import { connectPair, startServer } from '../../support/real-net'
import { messages, schema, type GameSchema, type InputFields, type Layout, type TestWorld } from './test-game'

export interface OnePlayerRoom {
  server: GameServer<GameSchema>
  client: GameClient<GameSchema>
  conn: ServerConnection<GameSchema>
  room: NetRoom<GameSchema, InputFields, Layout>
}

/** `world` already holds entity 1 (and whatever else the test needs); `link` applies to both ends. */
export async function startOnePlayerRoom(
  world: TestWorld,
  options: Omit<NetRoomOptions<InputFields, Layout>, 'messages' | 'game'>,
  link?: Partial<LinkOptions>,
): Promise<OnePlayerRoom> {
  const { server, url } = await startServer(schema, link && { link })
  const room = new NetRoom(server, { messages, game: world, ...options })
  room.start()
  const { client, conn } = await connectPair(server, schema, url, link && { link })
  room.add(conn, 1)
  return { server, client, conn, room }
}

export async function stopOnePlayerRoom({ server, client, room }: Pick<OnePlayerRoom, 'server' | 'client' | 'room'>): Promise<void> {
  room.stop()
  client.close()
  await server.close()
}
