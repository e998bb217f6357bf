import { afterEach, describe, expect, it, vi } from 'vitest'
import { GameServer } from '../../../server/index'
import { NetRoom } from '../../../server/netcode/net-room'
import { ServerConnection } from '../../../server/transport/server-connection'
import { SnapshotCodec, readDeltaHeader, type Snapshot } from '../../../shared/netcode/snapshot-delta'
import { decodeMessage, encodeMessage, type Payload } from '../../../shared/schema/index'
import { ManualClock } from '../../../shared/transport/clock'
import { memoryPipePair } from '../../../shared/transport/memory-pipe'
import { TestWorld, layout, messages, schema, type GameSchema, type Layout } from '../../integration/netcode/test-game'

type Snap = Payload<GameSchema, 'netSnapshot'>
const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve()
}

/** One client's far end: the snapshots it received, and a way to acknowledge a tick. */
function client(id: string, clock: ManualClock) {
  const [serverUnreliable, farUnreliable] = memoryPipePair()
  const [serverReliable] = memoryPipePair()
  const conn = new ServerConnection(id, schema, { unreliable: serverUnreliable, reliable: serverReliable }, { clock })
  conn.ready = true
  const snapshots: Snap[] = []
  farUnreliable.onMessage((f) => {
    if (typeof f === 'string') return
    const d = decodeMessage(schema, f.subarray(2), 'toClient')
    if (d.ok && d.spec.name === 'netSnapshot') snapshots.push(d.data as Snap)
  })
  let seq = 0
  const ack = (tick: number) => {
    const frame = encodeMessage(schema.byName.get('netInput')!, { ack: tick, inputs: [] })
    frame[0] = seq & 0xff
    frame[1] = seq++ >> 8
    farUnreliable.send(frame)
  }
  return { conn, snapshots, ack }
}

let stop: (() => void) | undefined
afterEach(() => stop?.())

describe('NetRoom: one encode per base', () => {
  it('sends clients that acknowledged the same tick byte-identical deltas, and a client with another base its own; all decode to the world', async () => {
    const clock = new ManualClock()
    const server = new GameServer(schema)
    const world = new TestWorld()
    for (let i = 0; i < 20; i++) world.addNpc(100 + i, i * 10, 0, i)
    const room = new NetRoom(server, { messages, game: world, tickRate: 30, clock })
    const clients = ['a', 'b', 'c', 'd'].map((id, i) => {
      const c = client(id, clock)
      world.addPlayer(i + 1)
      room.add(c.conn as unknown as ServerConnection<GameSchema>, i + 1)
      return c
    })
    room.start()
    stop = () => {
      room.stop()
      for (const c of clients) c.conn.close('closed', '', false)
    }
    const [a, b, c, d] = clients as [ReturnType<typeof client>, ReturnType<typeof client>, ReturnType<typeof client>, ReturnType<typeof client>]
    // Three ticks, everyone gets full snapshots (nothing acknowledged yet).
    for (let i = 0; i < 3; i++) {
      clock.advance(room.dtMs)
      await flush()
    }
    const ticks = a.snapshots.map((s) => readDeltaHeader(s.data).tick)
    expect(ticks.length).toBeGreaterThanOrEqual(3)
    const [t1, t2] = [ticks[ticks.length - 2]!, ticks[ticks.length - 1]!]
    // a and b acknowledge the newest tick, c the one before, d nothing.
    a.ack(t2)
    b.ack(t2)
    c.ack(t1)
    await flush()
    // The full snapshots so far (what every client holds), kept to decode against.
    const fulls = a.snapshots.slice()
    for (const x of clients) x.snapshots.length = 0
    const encodes = vi.spyOn(room.codec, 'encode')
    clock.advance(room.dtMs)
    await flush()
    // One encode per distinct base (t2, t1, none), not one per client.
    expect(encodes).toHaveBeenCalledTimes(3)
    const [sa, sb, sc, sd] = [a, b, c, d].map((x) => x.snapshots[0]!)
    expect(readDeltaHeader(sa!.data)).toEqual({ tick: room.lastWorld!.tick, baseTick: t2 })
    expect(sb!.data).toEqual(sa!.data)
    expect(readDeltaHeader(sc!.data).baseTick).toBe(t1)
    expect(sc!.data).not.toEqual(sa!.data)
    expect(readDeltaHeader(sd!.data).baseTick).toBeUndefined()

    // Each decodes, against the snapshot it acknowledged, to the world the room ticked.
    const codec = new SnapshotCodec(layout)
    const decodedAt = (tick: number): Snapshot<Layout> => codec.decode(undefined, fulls.find((x) => readDeltaHeader(x.data).tick === tick)!.data)
    for (const [snap, base] of [[sa, t2], [sb, t2], [sc, t1], [sd, undefined]] as const) {
      const decoded = codec.decode(base === undefined ? undefined : decodedAt(base), snap!.data)
      expect(decoded.entities).toEqual(room.lastWorld!.entities)
    }
  })
})
