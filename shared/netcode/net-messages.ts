/**
 * The netcode's three messages, as declarations the application spreads into its own schema:
 *
 *   const schema = defineSchema({ ...netcodeMessages({ input: { moveX: t.quantized(...), ... } }), chat: ... })
 *
 * A factory rather than a fixed schema because the input's fields are the game's. NetRoom and
 * NetClient check at run time that the schema they are handed holds these messages with the same
 * payload signatures (`requireNetcodeMessages`), so a game that declared them by hand, or with
 * other limits on one end, fails at construction instead of at the first packet.
 */
import { object } from '../schema/composites'
import type { Schema } from '../schema/define'
import type { Field, FieldMap, InferFields } from '../schema/field'
import { t } from '../schema/index'

export interface NetcodeMessageOptions<F extends FieldMap> {
  /** The game's input fields (`seq` is added). Prefer `t.quantized`/ints: fewer bytes, exact on both ends. */
  input: F
  /** Inputs repeated per packet (redundancy against loss). Default 8. */
  maxInputsPerPacket?: number
  /** Largest encoded snapshot, bytes: one packet's worth. Default 1200. */
  maxSnapshotBytes?: number
}

type OptionalField<T> = Field<T | undefined> & { readonly optional: true }

/** One input as it travels: the game's fields plus a 16-bit wrapping sequence number. */
export type NetInput<F extends FieldMap> = { readonly seq: number } & InferFields<F>

/** What `netcodeMessages` returns. A type alias (not an interface) so it satisfies `Declarations`' index signature. */
export type NetcodeDeclarations<F extends FieldMap> = {
  /** Client to server at the input rate, even with no new input: it also carries the ack and render time. */
  readonly netInput: {
    readonly channel: 'unreliable'
    readonly direction: 'toServer'
    readonly fields: {
      /** Newest snapshot tick decoded: the base the server may delta against. */
      readonly ack: OptionalField<number>
      /** Server time the client draws remote entities at (for lag compensation). */
      readonly renderTime: OptionalField<number>
      /** The newest input and up to `maxInputsPerPacket - 1` earlier unacknowledged ones, oldest first. */
      readonly inputs: Field<NetInput<F>[]>
    }
  }
  readonly netSnapshot: {
    readonly channel: 'unreliable'
    readonly direction: 'toClient'
    readonly fields: {
      /** SnapshotCodec bytes: a delta against a snapshot the client acknowledged, or full. */
      readonly data: Field<Uint8Array>
      /** Schedule slot of the tick: its server time is `netJoin.epoch + slot * 1000 / tickRate` (slots count dropped ticks too). */
      readonly slot: Field<number>
      /** Some relevant entities were left out for the byte budget: unchanged ones are no news, not "still here". */
      readonly partial: Field<boolean>
      /** Seq of the receiving player's last input the server applied (reconciliation). */
      readonly lastInput: OptionalField<number>
    }
  }
  readonly netJoin: {
    readonly channel: 'reliable'
    readonly direction: 'toClient'
    readonly fields: {
      /** The entity this client controls. */
      readonly entityId: Field<number>
      readonly tickRate: Field<number>
      /** A snapshot every this many ticks: snapshot rate = tickRate / snapshotEvery. */
      readonly snapshotEvery: Field<number>
      /** Inputs per second the server expects (and credits). */
      readonly inputRate: Field<number>
      /** Server clock at slot 0, ms. */
      readonly epoch: Field<number>
    }
  }
}

export type NetSchema<F extends FieldMap> = Schema<NetcodeDeclarations<F>>

export const NETCODE_DEFAULTS = { maxInputsPerPacket: 8, maxSnapshotBytes: 1200 } as const

export function netcodeMessages<const F extends FieldMap>(options: NetcodeMessageOptions<F>): NetcodeDeclarations<F> {
  if ('seq' in options.input) throw new RangeError('netcodeMessages: `seq` is reserved for the input sequence number')
  const maxInputs = options.maxInputsPerPacket ?? NETCODE_DEFAULTS.maxInputsPerPacket
  const maxSnapshotBytes = options.maxSnapshotBytes ?? NETCODE_DEFAULTS.maxSnapshotBytes
  if (!(maxInputs >= 1 && maxInputs <= 64)) throw new RangeError('netcodeMessages: maxInputsPerPacket must be 1..64')
  if (!(maxSnapshotBytes >= 64)) throw new RangeError('netcodeMessages: maxSnapshotBytes must be >= 64')
  const input = object({ seq: t.uint16(), ...options.input }) as unknown as Field<NetInput<F>>
  return {
    netInput: {
      channel: 'unreliable',
      direction: 'toServer',
      fields: { ack: t.optional(t.uint32()), renderTime: t.optional(t.float64()), inputs: t.array(input, { maxLength: maxInputs }) },
    },
    netSnapshot: {
      channel: 'unreliable',
      direction: 'toClient',
      fields: { data: t.binary({ maxLength: maxSnapshotBytes }), slot: t.uint32(), partial: t.bool(), lastInput: t.optional(t.uint16()) },
    },
    netJoin: {
      channel: 'reliable',
      direction: 'toClient',
      fields: { entityId: t.uint32(), tickRate: t.uint8(), snapshotEvery: t.uint8(), inputRate: t.uint8(), epoch: t.float64() },
    },
  }
}

export class NetcodeSchemaError extends Error {
  override readonly name = 'NetcodeSchemaError'
}

/**
 * Checks that `schema` declares the netcode messages exactly as `messages` does (channel, direction,
 * payload signature), and returns it typed as the netcode's own schema. Throws NetcodeSchemaError.
 */
export function requireNetcodeMessages<F extends FieldMap>(schema: Schema, messages: NetcodeDeclarations<F>): NetSchema<F> {
  for (const name of Object.keys(messages) as (keyof NetcodeDeclarations<F>)[]) {
    const want = messages[name]
    const spec = schema.byName.get(name)
    if (!spec) throw new NetcodeSchemaError(`schema has no ${name}: spread netcodeMessages(...) into defineSchema`)
    const signature = object(want.fields).signature
    if (spec.channel !== want.channel || spec.direction !== want.direction || spec.payload.signature !== signature)
      throw new NetcodeSchemaError(
        `${name} differs: schema has ${spec.channel} ${spec.direction} ${spec.payload.signature}, netcode expects ${want.channel} ${want.direction} ${signature}`,
      )
  }
  // Checked above, field by field: the one cast between the app's schema and the netcode's view of it.
  return schema as NetSchema<F>
}
