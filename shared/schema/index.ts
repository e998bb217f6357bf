/**
 * Field builders for message declarations: `t.uint16()`, `t.quantized({ min, max, step })`,
 * `t.string({ maxLength })`, `t.array(item, { maxLength })`, `t.object({...})`, ...
 */
import { array, object, optional } from './composites'
import { binary, boolean, enumOf, float32, float64, integer, quantized, string } from './scalars'

export const t = {
  uint8: () => integer('uint8'),
  uint16: () => integer('uint16'),
  uint32: () => integer('uint32'),
  int8: () => integer('int8'),
  int16: () => integer('int16'),
  int32: () => integer('int32'),
  float32,
  float64,
  quantized,
  bool: boolean,
  string,
  enum: enumOf,
  binary,
  array,
  object,
  optional,
}

export { defineSchema, FIRST_APP_ID } from './define'
export type { Channel, ClientMessage, Declarations, Direction, MessageName, MessagesOn, MessageSpec, Payload, Schema, ServerMessage } from './define'
export { SchemaError, type SchemaErrorCode } from './errors'
export type { Field, Infer, InferFields } from './field'
export { decodeMessage, encodeMessage, encodeMessageView, HEADROOM, setCodecMode, type CodecMode, type Decoded } from './codec'
export { requireMessages, schemaProblems } from './require'
