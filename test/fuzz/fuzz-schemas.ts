/** Every schema the project ships or tests with: the decoder fuzz mutates frames of each of their messages. */
import { demoSchema } from '../../shared/demo/demo-schema'
import { fileMessages } from '../../shared/files/file-messages'
import { lobbySchema } from '../../shared/lobby/compat'
import { netcodeMessages } from '../../shared/netcode/net-messages'
import { engineSchema } from '../../shared/protocol/engine'
import { defineSchema, t, type Schema } from '../../shared/schema/index'
import { signalMessages } from '../../shared/signalling/signal-messages'
import { testSchema } from '../support/test-schema'

const netcodeSchema = defineSchema({
  ...netcodeMessages({
    input: { moveX: t.quantized({ min: -1, max: 1, step: 0.01 }), aim: t.float32({ min: -Math.PI, max: Math.PI }), fire: t.bool() },
    maxInputsPerPacket: 8,
    maxSnapshotBytes: 1200,
  }),
})

export const FUZZ_SCHEMAS: Readonly<Record<string, Schema>> = {
  test: testSchema,
  engine: engineSchema,
  lobby: lobbySchema,
  files: defineSchema(fileMessages),
  signalling: defineSchema(signalMessages),
  netcode: netcodeSchema,
  demo: demoSchema,
}
