import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GameClient } from '../../../client/index'
import { NetClient } from '../../../client/netcode/index'
import type { GameServer, ServerConnection } from '../../../server/index'
import { NetRoom } from '../../../server/netcode/index'
import { connectClient, sleep, startServer, waitFor } from '../../support/real-net'
import { BAD_NETWORK, clientGame, messages, schema, STEP, TestWorld, type Entity, type GameSchema, type InputFields, type Layout } from './test-game'

/**
 * Two players over real WebRTC, both links at ~100 ms RTT, 10% loss, 10% reordering. A walks a
 * circle at full speed (6 units/s); B draws A at 60 frames per second from interpolated snapshots.
 */
describe('NetRoom + NetClient: a second client sees the first move smoothly', () => {
  let server: GameServer<GameSchema>
  let room: NetRoom<GameSchema, InputFields, Layout>
  const clients: GameClient<GameSchema>[] = []
  const conns: ServerConnection<GameSchema>[] = []
  const world = new TestWorld()

  beforeAll(async () => {
    let url: string
    ;({ server, url } = await startServer(schema))
    server.onConnection((c) => conns.push(c))
    world.addPlayer(1, 0, 0)
    world.addPlayer(2, 3, 3)
    room = new NetRoom(server, { messages, game: world, tickRate: 30, inputRate: 60, lagCompensation: { maxAgeMs: 3000 } })
    room.start()
    for (const id of [1, 2]) {
      clients.push(await connectClient(schema, url))
      await waitFor(() => conns.length === id)
      room.add(conns[id - 1]!, id)
    }
  })
  afterAll(async () => {
    room.stop()
    for (const c of clients) c.close()
    await server.close()
  })

  it('B draws A without jumps, lands where the server has A, and the server can rewind to what B drew', async () => {
    let walking = true
    const startedAt = performance.now()
    const a = new NetClient(clients[0]!, {
      messages,
      game: clientGame(() => {
        if (!walking) return undefined
        const w = ((performance.now() - startedAt) / 1000) * 1.5
        return { moveX: Math.cos(w), moveY: Math.sin(w) }
      }),
      angles: ['angle'],
    })
    const b = new NetClient(clients[1]!, { messages, game: clientGame(() => ({ moveX: 0, moveY: 0 })), angles: ['angle'] })
    for (const c of clients) c.setConditions(BAD_NETWORK)
    await waitFor(() => b.render().others.has(1) && a.render().self !== undefined, 5000, 'both joined')

    // B's frames: every ~16.7 ms, like requestAnimationFrame.
    const frames: { at: number; renderTime: number; a: Entity | undefined }[] = []
    const timer = setInterval(() => {
      const f = b.render()
      frames.push({ at: performance.now(), renderTime: f.renderTime, a: f.others.get(1) })
    }, 1000 / 60)
    await sleep(4000)
    walking = false
    await sleep(1000)
    clearInterval(timer)

    // Per frame, A may move by its speed times the frame's duration; jitter in timers and the render
    // clock's slewing (at most 10%) allow some more. A jump (a lost snapshot, a snap back after
    // extrapolating) would show as a step far above that.
    // A frame more than 50 ms after the previous one means this process stalled (the machine is
    // shared): the drawing may then catch up in one step, as a real game would after a hitch.
    let worstExcess = 0
    let worstStep = 0
    let moving = 0
    let stalled = 0
    for (let i = 1; i < frames.length; i++) {
      const p = frames[i - 1]!.a
      const q = frames[i]!.a
      if (!p || !q) continue
      const frameMs = frames[i]!.at - frames[i - 1]!.at
      if (frameMs > 50) {
        stalled++
        continue
      }
      const stepLen = Math.hypot(q.x - p.x, q.y - p.y)
      const allowed = 6 * (frameMs / 1000)
      worstStep = Math.max(worstStep, stepLen)
      worstExcess = Math.max(worstExcess, stepLen - allowed * 1.15)
      if (stepLen > 0) moving++
    }
    const sa = a.stats()
    const sb = b.stats()
    const last = frames[frames.length - 1]!.a!
    const serverA = world.players.get(1)!
    const landed = Math.hypot(last.x - serverA.x, last.y - serverA.y)
    console.log(
      `remote: ${frames.length} frames (${stalled} after a stall), A moving in ${moving}; worst step ${worstStep.toFixed(3)} u (nominal 0.1 per 16.7 ms frame), worst excess over 1.15 x speed x frame time ${worstExcess.toFixed(3)} u;` +
        ` modes ${JSON.stringify(sb.remote.modes)}; B render delay ${sb.renderDelayMs.toFixed(1)} ms (jitter ${sb.jitterMs.toFixed(1)});` +
        ` final gap to server ${landed.toExponential(2)}; A corrections ${sa.prediction?.corrections}`,
    )
    expect(moving).toBeGreaterThan(180)
    expect(stalled).toBeLessThan(frames.length * 0.05)
    // Smooth drawing is promised while snapshots arrive within what the render delay absorbs. On a
    // machine so loaded that delivery jitter exceeds that (seen: 176 ms with the cores 6x oversubscribed),
    // B extrapolates and then corrects, which is the designed behaviour, not a jump of ours.
    if (sb.jitterMs <= 60) {
      expect(worstExcess).toBeLessThanOrEqual(0.03)
      expect(worstStep).toBeLessThanOrEqual(0.35)
    } else console.log(`remote: smoothness not judged: delivery jitter ${sb.jitterMs.toFixed(0)} ms (the machine is overloaded)`)
    // Once A stops, B shows it where the server has it (to the snapshot's 0.01 grid).
    expect(landed).toBeLessThanOrEqual((STEP / 2) * Math.SQRT2 + 1e-9)

    // Lag compensation: the server rewound to one of B's render times finds A where B drew it, to the
    // snapshot grid, except in frames where B had to extrapolate past a late snapshot (it drew a guess).
    const gaps: number[] = []
    // The last 2.5 s of frames: 1.5 s of them with A walking.
    for (const f of frames.filter((f) => f.a && f.at > performance.now() - 2500)) {
      const r = room.rewind(conns[1]!, f.renderTime)!
      expect(r.clamped).toBe(false)
      const at = r.entities.get(1)!
      gaps.push(Math.hypot(at.x - f.a!.x, at.y - f.a!.y))
    }
    gaps.sort((x, y) => x - y)
    const p90 = gaps[Math.floor(gaps.length * 0.9)]!
    const worstGap = gaps[gaps.length - 1]!
    const reported = room.rewind(conns[1]!)
    console.log(`rewind: gap between B's drawing and the server's rewind over ${gaps.length} frames: p90 ${p90.toExponential(2)}, max ${worstGap.toExponential(2)} u`)
    expect(p90).toBeLessThanOrEqual(0.01)
    // The worst frame is one where B extrapolated past a late snapshot: bounded while delivery is sane.
    if (sb.jitterMs <= 60) expect(worstGap).toBeLessThanOrEqual(0.15)
    expect(reported?.clamped).toBe(false)
    a.stop()
    b.stop()
  })
})
