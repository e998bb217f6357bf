/**
 * `netplay-toolkit/schema`: the typed message schema both ends share, and the toolkit's ready-made
 * message sets to spread into it (`defineSchema({ ...lobbyMessages, ...mine })`). Runs anywhere.
 */
export { defineSchema, t } from '../shared/schema/index'
export type { Channel, ClientMessage, Declarations, Direction, MessageName, MessagesOn, MessageSpec, Payload, Schema, ServerMessage } from '../shared/schema/index'
export type { Field, Infer, InferFields } from '../shared/schema/index'
export { SchemaError, type SchemaErrorCode } from '../shared/schema/index'
export { decodeMessage, encodeMessage, type Decoded } from '../shared/schema/index'
export { lobbyMessages } from '../shared/lobby/index'
export { fileMessages, type FileDeclarations } from '../shared/files/file-messages'
export { signalMessages, type SignalDeclarations } from '../shared/signalling/signal-messages'
export { netcodeMessages, type NetcodeDeclarations, type NetcodeMessageOptions, type NetSchema } from '../shared/netcode/index'
