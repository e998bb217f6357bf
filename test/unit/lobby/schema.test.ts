import { describe, expect, expectTypeOf, it } from 'vitest'
import { assertLobbySchema, lobbyMessages, lobbySchemaProblems } from '../../../shared/lobby/index'
import { defineSchema, t, type ClientMessage, type ServerMessage } from '../../../shared/schema/index'

const game = { move: { channel: 'unreliable', direction: 'toServer', fields: { x: t.int16() } } } as const

describe('composing the lobby into an application schema', () => {
  it('accepts a schema that spreads lobbyMessages, before or after the game messages', () => {
    expect(lobbySchemaProblems(defineSchema({ ...lobbyMessages, ...game }))).toEqual([])
    expect(() => assertLobbySchema(defineSchema({ ...game, ...lobbyMessages }))).not.toThrow()
  })

  it('names every missing or different lobby message', () => {
    const { chatSend: _chat, roomKick: _kick, ...rest } = lobbyMessages
    expect(lobbySchemaProblems(defineSchema({ ...rest, ...game }))).toEqual(["'roomKick' is missing", "'chatSend' is missing"])
    const changed = defineSchema({ ...lobbyMessages, chatSend: { channel: 'reliable', direction: 'toServer', fields: { text: t.string({ maxLength: 9 }) } } })
    expect(lobbySchemaProblems(changed)).toEqual([expect.stringMatching(/^'chatSend' is declared \{text:string\(9\)\}, expected/)])
    const unreliable = defineSchema({ ...lobbyMessages, lobbyAck: { ...lobbyMessages.lobbyAck, channel: 'unreliable' } })
    expect(lobbySchemaProblems(unreliable)).toEqual(["'lobbyAck' is unreliable/toClient, expected reliable/toClient"])
    expect(() => assertLobbySchema(changed)).toThrow(/lobbyMessages/)
  })

  it('types the directions: clients send requests, the server sends deltas', () => {
    type S = ReturnType<typeof defineSchema<typeof lobbyMessages & typeof game>>
    expectTypeOf<'chatSend' | 'roomJoin' | 'move'>().toExtend<ClientMessage<S>>()
    expectTypeOf<'presenceJoin' | 'chatMessage' | 'lobbyWelcome'>().toExtend<ServerMessage<S>>()
    expectTypeOf<'presenceJoin'>().not.toExtend<ClientMessage<S>>()
  })
})
