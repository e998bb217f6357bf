import type { NetInput, NetSchema } from '../../shared/netcode/net-messages'
import type { FieldMap } from '../../shared/schema/field'
import { decodeMessage, encodeMessage, HEADROOM, type MessageSpec } from '../../shared/schema/index'

/**
 * An input exactly as the server will decode it. Quantized fields land on their grid, float32 fields
 * are rounded to float32, out-of-range values are clamped: the client predicts with *that*, or every
 * input would be a small misprediction. The same encoder and decoder as the real message, so nothing
 * can differ; throws nothing (undefined: the input cannot be sent).
 */
export class InputWire<F extends FieldMap> {
  private readonly spec: MessageSpec
  readonly maxInputsPerPacket: number

  constructor(private readonly schema: NetSchema<F>) {
    this.spec = schema.byName.get('netInput')!
    // The array field's signature ends with its maxLength: `array(<item>,8)`.
    const max = /,(\d+)\)$/.exec(schema.declarations.netInput.fields.inputs.signature)
    this.maxInputsPerPacket = max ? Number(max[1]) : 1
  }

  roundTrip(input: NetInput<F>): NetInput<F> | undefined {
    let frame: Uint8Array
    try {
      frame = encodeMessage(this.spec, { inputs: [input] })
    } catch {
      return undefined
    }
    const decoded = decodeMessage(this.schema, frame.subarray(HEADROOM), 'toServer')
    if (!decoded.ok) return undefined
    return (decoded.data as { inputs: NetInput<F>[] }).inputs[0]
  }
}
