import { assertLobbySchema, type LobbySchema } from '../../shared/lobby/index'
import type { Schema } from '../../shared/schema/index'
import type { GameClient } from '../transport/game-client'

/** The one cast on the client: after checking the schema carries every lobby message as declared. */
export function lobbyView<S extends Schema>(client: GameClient<S>): GameClient<LobbySchema> {
  assertLobbySchema(client.schema)
  return client as unknown as GameClient<LobbySchema>
}
