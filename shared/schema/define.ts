import { object } from './composites'
import type { Field, FieldMap, InferFields } from './field'
import { fingerprint } from './fingerprint'

export type Channel = 'reliable' | 'unreliable'
/** Who may send a message: the server refuses a client's `toClient` message and vice versa. */
export type Direction = 'toServer' | 'toClient' | 'both'

export interface MessageDeclaration {
  readonly channel: Channel
  readonly direction?: Direction
  readonly fields: FieldMap
}
export type Declarations = { readonly [name: string]: MessageDeclaration }

/** A compiled message: its id on the wire and the codec of its payload. */
export interface MessageSpec {
  readonly name: string
  readonly id: number
  readonly channel: Channel
  readonly direction: Direction
  readonly payload: Field<unknown>
}

/** The result of `defineSchema`: carries the declarations' types, the id table and the fingerprint. */
export interface Schema<D extends Declarations = Declarations> {
  readonly declarations: D
  readonly byName: ReadonlyMap<string, MessageSpec>
  readonly byId: ReadonlyArray<MessageSpec | undefined>
  readonly fingerprint: string
  readonly firstId: number
}

/** Message ids below this are the transport's own (hello, ping, ...); application ids start here. */
export const FIRST_APP_ID = 16
const MAX_ID = 255

/**
 * Declare every message once. Ids follow declaration order, so both ends must use the same
 * declaration; the fingerprint, checked at connect, catches it when they don't.
 */
export function defineSchema<const D extends Declarations>(declarations: D, options: { firstId?: number } = {}): Schema<D> {
  const firstId = options.firstId ?? FIRST_APP_ID
  const names = Object.keys(declarations)
  if (firstId + names.length - 1 > MAX_ID) throw new RangeError(`at most ${MAX_ID - firstId + 1} messages per schema`)
  const byName = new Map<string, MessageSpec>()
  const byId: (MessageSpec | undefined)[] = []
  const canonical: string[] = []
  names.forEach((name, i) => {
    const decl = declarations[name]!
    const spec: MessageSpec = {
      name,
      id: firstId + i,
      channel: decl.channel,
      direction: decl.direction ?? 'both',
      payload: object(decl.fields) as Field<unknown>,
    }
    byName.set(name, spec)
    byId[spec.id] = spec
    canonical.push(`${spec.id}:${name}:${spec.channel}:${spec.direction}:${spec.payload.signature}`)
  })
  return { declarations, byName, byId, fingerprint: fingerprint(canonical.join(';')), firstId }
}

// ---- Types derived from one declaration -------------------------------------------------------

export type MessageName<S extends Schema> = keyof S['declarations'] & string
export type Payload<S extends Schema, N extends MessageName<S>> = InferFields<S['declarations'][N]['fields']>

/** A declaration without `direction` may go both ways. */
type DirectionOf<D> = D extends { readonly direction: infer X extends Direction } ? X : 'both'
type Sendable<S extends Schema, Allowed extends Direction> = {
  [N in MessageName<S>]: DirectionOf<S['declarations'][N]> extends Allowed ? N : never
}[MessageName<S>]
/** Messages a client may send (and the server may receive). */
export type ClientMessage<S extends Schema> = Sendable<S, 'toServer' | 'both'>
/** Messages the server may send (and a client may receive). */
export type ServerMessage<S extends Schema> = Sendable<S, 'toClient' | 'both'>
/** Messages sent over the given channel. */
export type MessagesOn<S extends Schema, C extends Channel> = {
  [N in MessageName<S>]: S['declarations'][N]['channel'] extends C ? N : never
}[MessageName<S>]
