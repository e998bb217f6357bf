import { describe, expectTypeOf, it } from 'vitest'
// Types only: no sockets are opened, and nothing from client/ or server/ runs in this file.
import type { GameClient } from '../../client/transport/game-client'
import type { GameServer } from '../../server/transport/game-server'
import type { Group } from '../../server/transport/group'
import type { ServerConnection } from '../../server/transport/server-connection'
import type { ClientMessage, Payload, ServerMessage } from '../../shared/schema/index'
import type { Link } from '../../shared/transport/link'
import type { TestSchema } from '../support/test-schema'

type ClientLink = Link<TestSchema, ServerMessage<TestSchema>, ClientMessage<TestSchema>>
type ServerLink = Link<TestSchema, ClientMessage<TestSchema>, ServerMessage<TestSchema>>
const kinds: Payload<TestSchema, 'kindsFast'> = {
  u8: 1,
  u16: 1,
  u32: 1,
  i8: 1,
  i16: 1,
  i32: 1,
  f32: 1,
  f64: 1,
  q: 1,
  flag: true,
  name: '',
  mode: 'ffa',
  blob: new Uint8Array(0),
  list: [],
  nested: { inner: { depth: 0 } },
}

// Each function below is only type-checked (tsc runs over test/), never called.

function clientLink(link: ClientLink) {
  link.send('chat', { seq: 1, text: 'hi' })
  link.send('input', { seq: 1, dx: 1, dy: -1 })
  link.send('kindsFast', kinds)
  link.on('state', (d) => expectTypeOf(d).toEqualTypeOf<{ seq: number; sentAt: number; pad: Uint8Array }>())
  link.on('chat', (d) => expectTypeOf(d.text).toBeString())
  // @ts-expect-error no such message
  link.send('nope', {})
  // @ts-expect-error `seq` is a number
  link.send('chat', { seq: '1', text: 'hi' })
  // @ts-expect-error `text` is missing
  link.send('chat', { seq: 1 })
  // @ts-expect-error `colour` is not declared
  link.send('chat', { seq: 1, text: 'hi', colour: 'red' })
  // @ts-expect-error `state` is toClient: a client may not send it
  link.send('state', { seq: 1, sentAt: 0, pad: new Uint8Array(0) })
  // @ts-expect-error `input` is toServer: a client never receives it
  link.on('input', () => {})
  // @ts-expect-error the handler's payload is the declared one
  link.on('chat', (d: { seq: string }) => d)
  // @ts-expect-error enum values are checked
  link.send('kindsFast', { ...kinds, mode: 'solo' })
}

function serverLink(link: ServerLink, conn: ServerConnection<TestSchema>) {
  link.send('state', { seq: 1, sentAt: 0, pad: new Uint8Array(0) })
  link.on('input', (d) => expectTypeOf(d).toEqualTypeOf<{ seq: number; dx: number; dy: number }>())
  conn.send('state', { seq: 1, sentAt: 0, pad: new Uint8Array(0) })
  conn.on('input', () => {})
  // @ts-expect-error `input` is toServer: the server may not send it
  link.send('input', { seq: 1, dx: 0, dy: 0 })
  // @ts-expect-error `state` is toClient: the server never receives it
  link.on('state', () => {})
  // @ts-expect-error a ServerConnection is a server-side link
  conn.send('input', { seq: 1, dx: 0, dy: 0 })
  // @ts-expect-error and it does not receive toClient messages
  conn.on('state', () => {})
}

function gameServer(server: GameServer<TestSchema>, group: Group<TestSchema>) {
  server.on('input', (d, conn) => {
    expectTypeOf(d).toEqualTypeOf<{ seq: number; dx: number; dy: number }>()
    expectTypeOf(conn).toEqualTypeOf<ServerConnection<TestSchema>>()
  })
  server.broadcast('state', { seq: 1, sentAt: 0, pad: new Uint8Array(0) })
  group.send('chat', { seq: 1, text: 'team only' })
  // @ts-expect-error the server never receives toClient messages
  server.on('state', () => {})
  // @ts-expect-error nor broadcasts toServer ones
  server.broadcast('input', { seq: 1, dx: 0, dy: 0 })
  // @ts-expect-error payloads are checked
  server.broadcast('state', { seq: 1, sentAt: 0 })
  // @ts-expect-error groups send server messages only
  group.send('input', { seq: 1, dx: 0, dy: 0 })
  // @ts-expect-error no such message
  server.on('nope', () => {})
}

function gameClient(client: GameClient<TestSchema>) {
  client.send('input', { seq: 1, dx: 1, dy: 1 })
  client.on('state', (d) => expectTypeOf(d.pad).toEqualTypeOf<Uint8Array>())
  // @ts-expect-error a client may not send toClient messages
  client.send('state', { seq: 1, sentAt: 0, pad: new Uint8Array(0) })
  // @ts-expect-error nor listen for toServer ones
  client.on('input', () => {})
  // @ts-expect-error `dx` is an int8 number
  client.send('input', { seq: 1, dx: 'left', dy: 0 })
  // @ts-expect-error `dy` is missing
  client.send('input', { seq: 1, dx: 0 })
  // @ts-expect-error no such message
  client.send('nope', {})
}

describe('endpoint signatures follow the schema', () => {
  it('the Link generic: In is what it receives, Out what it sends', () => {
    expectTypeOf(clientLink).toBeFunction()
    expectTypeOf(serverLink).toBeFunction()
    expectTypeOf<Parameters<ClientLink['send']>[0]>().toEqualTypeOf<ClientMessage<TestSchema>>()
    expectTypeOf<Parameters<ClientLink['on']>[0]>().toEqualTypeOf<ServerMessage<TestSchema>>()
    expectTypeOf<Parameters<ServerLink['send']>[0]>().toEqualTypeOf<ServerMessage<TestSchema>>()
    expectTypeOf<Parameters<ServerLink['on']>[0]>().toEqualTypeOf<ClientMessage<TestSchema>>()
    expectTypeOf<ServerConnection<TestSchema>>().toExtend<ServerLink>()
  })

  it('GameServer and GameClient mirror each other', () => {
    expectTypeOf(gameServer).toBeFunction()
    expectTypeOf(gameClient).toBeFunction()
    expectTypeOf<Parameters<GameServer<TestSchema>['on']>[0]>().toEqualTypeOf<ClientMessage<TestSchema>>()
    expectTypeOf<Parameters<GameServer<TestSchema>['broadcast']>[0]>().toEqualTypeOf<ServerMessage<TestSchema>>()
    expectTypeOf<Parameters<GameClient<TestSchema>['send']>[0]>().toEqualTypeOf<ClientMessage<TestSchema>>()
    expectTypeOf<Parameters<GameClient<TestSchema>['on']>[0]>().toEqualTypeOf<ServerMessage<TestSchema>>()
    expectTypeOf<GameClient<TestSchema>['raw']>().toEqualTypeOf<ClientLink>()
    expectTypeOf<ReturnType<GameClient<TestSchema>['send']>>().toBeBoolean()
  })
})
