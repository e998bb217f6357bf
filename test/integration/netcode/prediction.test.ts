import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GameClient } from '../../../client/index'
import { NetClient } from '../../../client/netcode/index'
import type { GameServer, ServerConnection } from '../../../server/index'
import type { NetRoom } from '../../../server/netcode/index'
import { sleep, waitFor } from '../../support/real-net'
import { StallMonitor } from '../../support/stall-monitor'
import { BAD_NETWORK, clientGame, messages, STEP, TestWorld, type GameSchema, type InputFields, type Layout } from './test-game'
import { startOnePlayerRoom, stopOnePlayerRoom } from './one-player-room'

/**
 * One player over real WebRTC on loopback, its link conditioned to ~100 ms RTT, 20 ms jitter, 10%
 * loss and 10% reordering each way. It steers for 3 s (a new direction every 400 ms, sometimes past
 * the stick's rim), then lets go.
 */
describe('NetRoom + NetClient: prediction and inputs over a bad network', () => {
  let server: GameServer<GameSchema>
  let client: GameClient<GameSchema>
  let conn: ServerConnection<GameSchema>
  let room: NetRoom<GameSchema, InputFields, Layout>
  const world = new TestWorld()

  beforeAll(async () => {
    world.addPlayer(1, 10.123456, -5.0004) // off the 0.01 grid: snapshots cannot say exactly where
    ;({ server, client, conn, room } = await startOnePlayerRoom(world, { tickRate: 30, inputRate: 60 }))
  })
  afterAll(() => stopOnePlayerRoom({ server, client, room }))

  it('predicts the local player to within half a quantization step of the server, and the server applies every input', async () => {
    let steering = true
    let dir = { moveX: 0, moveY: 0 }
    let n = 0
    let steerFrom: number | undefined
    const stalls = new StallMonitor()
    const net = new NetClient(client, {
      messages,
      game: clientGame(() => {
        if (!steering) return undefined // let go: no new inputs, the unacknowledged ones keep being repeated
        steerFrom ??= performance.now()
        if (n++ % 24 === 0) {
          const a = Math.random() * 2 * Math.PI
          const m = 0.3 + Math.random()
          dir = { moveX: m * Math.cos(a), moveY: m * Math.sin(a) }
        }
        return dir
      }),
    })
    client.setConditions(BAD_NETWORK)
    await waitFor(() => net.render().self !== undefined, 5000, 'own entity in a snapshot')

    // Steer for 3 s; the local player moves at once (prediction), the server follows a round trip later.
    await sleep(3000)
    steering = false
    const steerMs = performance.now() - steerFrom!
    stalls.stop()
    await sleep(1500) // long enough for every input to be acknowledged

    const server1 = world.players.get(1)!
    const predicted = net.render().self!
    const error = Math.hypot(predicted.x - server1.x, predicted.y - server1.y)
    const stats = net.stats()
    const peer = room.clientStats(conn)!
    // The input loop runs at 60 Hz, catching up at most 4 inputs after a stall: the inputs a loaded
    // machine's stalls of this process cost it are not the loop's fault.
    const inputSlots = (steerMs / 1000) * 60
    const lostToStalls = stalls.slotsLost(1000 / 60, 4, steerFrom)
    console.log(
      `prediction: ${stats.inputs.sent} inputs sent over ${steerMs.toFixed(0)} ms of steering (${inputSlots.toFixed(0)} slots, ${lostToStalls} lost to ${stalls.describe()}),` +
        ` ${peer.applied} applied (${peer.inputs.duplicate} duplicate copies, ${peer.inputs.skipped} skipped);` +
        ` final error ${error.toExponential(2)}; corrections ${stats.prediction?.corrections} (max ${stats.prediction?.maxCorrection.toExponential(2)});` +
        ` snapshots ${stats.snapshots.decoded}/${stats.snapshots.received} decoded, ${stats.snapshots.droppedNoBase} without base;` +
        ` server sent ${peer.snapshots.full} full + ${peer.snapshots.delta} delta, max ${peer.snapshots.maxBytes} B; ${peer.snapshotTraffic?.bytesPerSec.toFixed(0)} B/s`,
    )
    expect(stats.inputs.sent).toBeGreaterThan((inputSlots - lostToStalls) * 0.9)
    // Not faster than the rate either: the window counts from the first steering input, which may be
    // the first of 4 caught up after a stall (their slots came due up to 4 slots earlier), plus one slot.
    expect(stats.inputs.sent).toBeLessThanOrEqual(inputSlots + 5)
    // Redundancy: every input reached the server and was applied, in order, despite 10% loss.
    expect(peer.applied).toBe(stats.inputs.sent)
    expect(peer.inputs.skipped).toBe(0)
    expect(world.applied.get(1)).toEqual(Array.from({ length: stats.inputs.sent }, (_, i) => i))
    // Snapshots carry positions to 0.01; the prediction keeps full precision and agrees to half a step.
    expect(error).toBeLessThanOrEqual((STEP / 2) * Math.SQRT2 + 1e-9)
    expect(stats.prediction!.corrections).toBe(0)
    // The transport's own per-message counters expose the snapshot stream's bytes per second.
    expect(peer.snapshotTraffic!.bytesPerSec).toBeGreaterThan(0)
    expect(peer.snapshotTraffic!.messagesPerSec).toBeGreaterThan(20)
    expect(peer.snapshots.full).toBeGreaterThanOrEqual(1)
    expect(peer.snapshots.delta).toBeGreaterThan(peer.snapshots.full)
    net.stop()
  })
})
