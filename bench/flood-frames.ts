/**
 * Bad frames for the live fuzz: random bytes, truncated and mutated valid frames, unknown ids,
 * wrong channel, wrong direction, oversized, JSON text. Deterministic for a seed.
 */
import { engineSchema } from '../shared/protocol/engine'
import { encodeMessage, HEADROOM, type MessageName, type Payload } from '../shared/schema/index'
import { schema, type GameSchema } from '../test/integration/netcode/test-game'

export type BadFrame = { channel: 'reliable' | 'unreliable'; bytes: Uint8Array | string; kind: string }

const frame = <N extends MessageName<GameSchema>>(name: N, data: Payload<GameSchema, N>) =>
  encodeMessage(schema.byName.get(name)!, data).subarray(HEADROOM).slice()
const withSeq = (seq: number, f: Uint8Array) => new Uint8Array([seq & 0xff, (seq >> 8) & 0xff, ...f])
const whole = (f: Uint8Array) => new Uint8Array([0, ...f])

const validInput = frame('netInput', { ack: 3, renderTime: 1000, inputs: [{ seq: 1, moveX: 0.5, moveY: -0.5 }] })
const validChat = frame('chat', { text: 'hello there' })
const toClientSnapshot = frame('netSnapshot', { data: new Uint8Array(10), slot: 1, partial: false, lastInput: 1 })
const toClientJoin = frame('netJoin', { entityId: 1, tickRate: 30, snapshotEvery: 1, inputRate: 60, epoch: 0 })
const welcome = encodeMessage(engineSchema.byName.get('welcome')!, { id: 'x', serverTime: 0, resumeToken: '', graceMs: 0 }).subarray(HEADROOM).slice()
const chatId = schema.byName.get('chat')!.id

export function badFrameSource(seed: number): () => BadFrame {
  let s = seed >>> 0 || 1
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 0x100000000)
  const int = (n: number) => Math.floor(rand() * n)
  const randomBytes = (n: number) => {
    const b = new Uint8Array(n)
    for (let i = 0; i < n; i++) b[i] = int(256)
    return b
  }
  let seq = 0
  const onChannel = (channel: 'reliable' | 'unreliable', f: Uint8Array, kind: string): BadFrame => ({
    channel,
    bytes: channel === 'reliable' ? whole(f) : withSeq(seq++, f),
    kind,
  })
  const kinds: (() => BadFrame)[] = [
    () => ({ channel: rand() < 0.5 ? 'reliable' : 'unreliable', bytes: randomBytes(1 + int(300)), kind: 'random' }),
    () => onChannel('unreliable', validInput.subarray(0, 1 + int(validInput.byteLength - 1)), 'truncated'),
    () => onChannel('reliable', validChat.subarray(0, 1 + int(validChat.byteLength - 1)), 'truncated'),
    () => {
      const m = validInput.slice()
      for (let k = 0; k < 1 + int(3); k++) m[1 + int(m.byteLength - 1)]! ^= 1 << int(8)
      return onChannel('unreliable', m, 'mutated')
    },
    () => onChannel(rand() < 0.5 ? 'reliable' : 'unreliable', new Uint8Array([100 + int(156), 0x90]), 'unknown-id'),
    () => onChannel('reliable', validInput, 'wrong-channel'),
    () => onChannel('unreliable', validChat, 'wrong-channel'),
    () => onChannel('unreliable', toClientSnapshot, 'wrong-direction'),
    () => onChannel('reliable', toClientJoin, 'wrong-direction'),
    () => onChannel('reliable', welcome, 'wrong-direction'),
    () => onChannel('reliable', new Uint8Array([chatId, 0x91, 0xda, 0x20, 0x00, ...new Uint8Array(8192).fill(0x61)]), 'oversized'),
    () => onChannel('unreliable', new Uint8Array([chatId, ...new Uint8Array(1100).fill(0x90)]), 'oversized'),
    () => ({ channel: rand() < 0.5 ? 'reliable' : 'unreliable', bytes: JSON.stringify({ disconnect: 'closed', n: int(1e6) }), kind: 'json' }),
  ]
  return () => kinds[int(kinds.length)]!()
}
