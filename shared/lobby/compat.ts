import { defineSchema, type Payload, type Schema } from '../schema/index'
import { schemaProblems } from '../schema/require'
import { lobbyMessages } from './messages'

/** The lobby's messages alone, compiled: the reference an application's schema is checked against. */
export const lobbySchema = defineSchema(lobbyMessages)
export type LobbySchema = typeof lobbySchema
export type LobbyPayload<N extends keyof typeof lobbyMessages> = Payload<LobbySchema, N>

/** Every way `schema` differs from what the lobby needs (missing message, other payload, channel or direction). */
export function lobbySchemaProblems(schema: Schema): string[] {
  return schemaProblems(schema, lobbyMessages)
}

/**
 * Throws unless `schema` carries every lobby message exactly as declared. This check is what makes it
 * safe for the lobby classes to treat the application's server or client as one of the lobby schema.
 */
export function assertLobbySchema(schema: Schema): void {
  const problems = lobbySchemaProblems(schema)
  if (problems.length > 0)
    throw new Error(`the schema does not include the lobby's messages (build it with defineSchema({ ...lobbyMessages, ...yours })): ${problems.join('; ')}`)
}
