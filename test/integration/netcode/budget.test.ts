import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GameClient } from '../../../client/index'
import { NetClient } from '../../../client/netcode/index'
import type { GameServer, ServerConnection } from '../../../server/index'
import type { NetRoom } from '../../../server/netcode/index'
import { sleep, waitFor } from '../../support/real-net'
import { BAD_NETWORK, clientGame, messages, TestWorld, type GameSchema, type InputFields, type Layout } from './test-game'
import { startOnePlayerRoom, stopOnePlayerRoom } from './one-player-room'

/**
 * 900 NPCs walking circles on a 30 x 30 grid (5 units apart); the player stands in the middle with an
 * interest radius of 40: ~200 relevant entities, all moving, which cannot all fit a 500 B budget
 * (bit-packed, they mostly fit one 1,200 B packet).
 */
const RADIUS = 40
const BUDGET = 500
const GRID = 30
const SPACING = 5

describe('NetRoom: interest radius and the per-packet byte budget', () => {
  let server: GameServer<GameSchema>
  let client: GameClient<GameSchema>
  let conn: ServerConnection<GameSchema>
  let room: NetRoom<GameSchema, InputFields, Layout>
  const world = new TestWorld()

  beforeAll(async () => {
    world.addPlayer(1, 0.5, 0.5)
    for (let i = 0; i < GRID; i++)
      for (let j = 0; j < GRID; j++) world.addNpc(1000 + i * GRID + j, (i - GRID / 2) * SPACING, (j - GRID / 2) * SPACING, i + j)
    ;({ server, client, conn, room } = await startOnePlayerRoom(world, { tickRate: 30, interest: { radius: RADIUS }, budgetBytes: BUDGET }))
  })
  afterAll(() => stopOnePlayerRoom({ server, client, room }))

  it('fits every snapshot in the budget, sends every relevant entity, none further, and never drops one that was left out', async () => {
    const net = new NetClient(client, { messages, game: clientGame(() => undefined), angles: ['angle'] })
    client.setConditions(BAD_NETWORK)
    await waitFor(() => net.render().others.size > 0, 5000, 'first entities')

    // Entities whose circle stays inside the radius: always relevant, so they must all be sent and,
    // once drawn, stay drawn (left out of a packet must not mean removed). Those crossing the edge may
    // rightly come and go.
    const inside = new Set([...world.npcs.entries()].filter(([, n]) => Math.hypot(n.cx - 0.5, n.cy - 0.5) + 4 < RADIUS).map(([id]) => id))
    // The world time after each tick, by the slot its snapshot is stamped with. A loaded machine can
    // stall the tick loop past its catch-up, and a dropped tick leaves the slots (wall time) one step
    // ahead of the world (NPC time) from then on: the truth at a render time must follow that.
    const dt = 1000 / 30
    const worldTimeOfSlot: [slot: number, worldMs: number][] = []
    world.onStep = (tick) => void worldTimeOfSlot.push([tick + room.stats().tick.droppedTicks, (tick + 1) * dt])
    const firstSeen = new Map<number, number>()
    let vanished = 0
    let frames = 0
    let farthest = 0
    // When each entity appeared, in render time (server time): somewhere after the previous frame's
    // render time, so a frame that came late on a stalled machine does not make the appearance late;
    // less the ticks the server dropped so far (its loop stalled past the catch-up): they sent no
    // snapshot, so they do not count against how fast the budget gets every relevant entity across.
    let previousRenderTime: number | undefined
    // The frames of the last 2 s (every inside entity long drawn by then) are judged for accuracy if
    // they were drawn on schedule: the snapshot of their render time had arrived. When delivery stalls
    // (a loaded machine: 100+ ms late), every entity is extrapolated, a guess the test cannot blame.
    let newestSlot = -1
    const offSnapshot = client.on('netSnapshot', (m) => void (newestSlot = Math.max(newestSlot, m.slot)))
    const judgeFrom = performance.now() + 2000
    const drawn: { renderTime: number; onSchedule: boolean; at: [id: number, x: number, y: number][] }[] = []
    const timer = setInterval(() => {
      const f = net.render()
      frames++
      if (performance.now() >= judgeFrom)
        drawn.push({
          renderTime: f.renderTime,
          onSchedule: newestSlot >= 0 && room.timeOfSlot(newestSlot) >= f.renderTime,
          at: [...f.others].filter(([id]) => inside.has(id)).map(([id, e]) => [id, e.x, e.y]),
        })
      for (const [id, e] of f.others) {
        if (!firstSeen.has(id)) firstSeen.set(id, (previousRenderTime ?? f.renderTime) - room.stats().tick.droppedTicks * dt)
        farthest = Math.max(farthest, Math.hypot(e.x - 0.5, e.y - 0.5))
      }
      for (const id of firstSeen.keys()) if (inside.has(id) && !f.others.has(id)) vanished++
      previousRenderTime = f.renderTime
    }, 1000 / 60)
    await sleep(4000)
    clearInterval(timer)
    world.onStep = undefined

    offSnapshot()
    // What is drawn is right: each NPC near where it was at the render time (its circle is known).
    // Entities updated less often (far, or just crowded out) are interpolated across longer gaps, or
    // extrapolated past their newest update. Tick t's state (after its step: world time (t + 1) dt) is
    // stamped with its slot's time; between two slots the client interpolates, and so does the world
    // time here.
    const judged = drawn.filter((f) => f.onSchedule)
    const errors = judged
      .flatMap((f) => {
        const worldMs = worldTimeAt(worldTimeOfSlot, (f.renderTime - room.timeOfSlot(0)) / dt)
        return f.at.map(([id, x, y]) => {
          const truth = world.npcAt(id, worldMs)
          return Math.hypot(x - truth.x, y - truth.y)
        })
      })
      .sort((a, b) => a - b)
    const median = errors[errors.length >> 1]!
    const p99 = errors[Math.floor(errors.length * 0.99)]!
    const worstError = errors[errors.length - 1]!

    const missing = [...inside].filter((id) => !firstSeen.has(id))
    const insideBy = Math.max(...[...inside].map((id) => firstSeen.get(id) ?? Infinity)) - Math.min(...firstSeen.values())
    const peer = room.clientStats(conn)!
    const s = net.stats()
    const droppedTicks = room.stats().tick.droppedTicks
    console.log(
      `budget: ${firstSeen.size} entities drawn (${inside.size} always inside the radius, ${missing.length} of them never drawn), farthest ${farthest.toFixed(1)} u;` +
        ` the inside ones all drawn ${insideBy.toFixed(0)} ms (render time, less dropped ticks) after the first; vanished-frame count ${vanished} over ${frames} frames;` +
        ` snapshots ${peer.snapshots.full} full + ${peer.snapshots.delta} delta, ${peer.snapshots.partial} partial, max ${peer.snapshots.maxBytes} B;` +
        ` position error over ${judged.length} of the last ${drawn.length} frames (the others drawn while snapshots were late): median ${median.toFixed(3)} u, p99 ${p99.toFixed(3)} u, max ${worstError.toFixed(3)} u;` +
        ` client decoded ${s.snapshots.decoded}, ${s.snapshots.droppedNoBase} without base, ${s.snapshots.partial} partial; ${peer.snapshotTraffic?.bytesPerSec.toFixed(0)} B/s;` +
        ` ${droppedTicks} ticks dropped by the server`,
    )
    expect(peer.snapshots.partial).toBeGreaterThan(50)
    expect(peer.snapshots.maxBytes).toBeLessThanOrEqual(BUDGET)
    expect(missing).toEqual([])
    // Interest: nothing beyond the radius plus its 10% hysteresis (and an NPC's circle).
    expect(farthest).toBeLessThanOrEqual(RADIUS * 1.1 + 4)
    expect(firstSeen.size).toBeLessThan(world.npcs.size / 2)
    expect(vanished).toBe(0)
    expect(judged.length).toBeGreaterThan(drawn.length / 2)
    expect(median).toBeLessThanOrEqual(0.02)
    // Bad cases: an entity crowded out for a while, extrapolated (at most 250 ms) along its circle.
    expect(p99).toBeLessThanOrEqual(0.3)
    expect(insideBy).toBeLessThanOrEqual(500)
    expect(s.snapshots.malformed).toBe(0)
    net.stop()
  })
})

/** World time at fractional slot `slot`, linear between the recorded (slot, world time) points. */
function worldTimeAt(points: readonly (readonly [number, number])[], slot: number): number {
  let i = points.findIndex(([sl]) => sl > slot)
  if (i < 0) i = points.length - 1 // past the last tick recorded: extend its last segment
  if (i === 0) i = 1
  const [s0, w0] = points[i - 1]!
  const [s1, w1] = points[i]!
  return w0 + ((slot - s0) / (s1 - s0)) * (w1 - w0)
}
