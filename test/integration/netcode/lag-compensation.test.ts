/**
 * Defect: the server took a client's renderTime as is (up to 1 s back), and one future value stuck
 * (Math.max). Over real WebRTC with the link conditioner adding 40 ms each way, a hostile client
 * sends raw netInput packets with claims of its choosing; the server clamps them to what it measured
 * for that client: round trip + render delay (2 snapshot intervals) + margin, never the future.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GameClient } from '../../../client/index'
import type { GameServer, ServerConnection } from '../../../server/index'
import type { NetRoom } from '../../../server/netcode/index'
import { waitFor } from '../../support/real-net'
import { TestWorld, type GameSchema, type InputFields, type Layout } from './test-game'
import { startOnePlayerRoom, stopOnePlayerRoom } from './one-player-room'

const ONE_WAY_MS = 40
const MARGIN_MS = 50

describe('lag compensation over real sockets: the server decides how far back a client may see', () => {
  let server: GameServer<GameSchema>
  let room: NetRoom<GameSchema, InputFields, Layout>
  let client: GameClient<GameSchema>
  let conn: ServerConnection<GameSchema>
  const world = new TestWorld()
  let heardAt = 0

  beforeAll(async () => {
    world.addPlayer(1, 0, 0)
    world.addNpc(7, 0, 0)
    ;({ server, client, conn, room } = await startOnePlayerRoom(world, { tickRate: 30, inputRate: 60, lagCompensation: { maxAgeMs: 3000, marginMs: MARGIN_MS } }))
    // Registered after the room's own listener: the arrival time the room saw, to within the same turn.
    conn.on('netInput', () => (heardAt = performance.now()))
    client.setConditions({ outgoing: { latencyMs: ONE_WAY_MS }, incoming: { latencyMs: ONE_WAY_MS } })
    // The server's pings must have measured the added latency.
    await waitFor(() => conn.stats().rtt.samples >= 3 && conn.stats().rtt.last >= 2 * ONE_WAY_MS, 15_000, 'the measured round trip to include the added latency')
  }, 30_000)
  afterAll(() => stopOnePlayerRoom({ server, client, room }))

  /** Sends one netInput claiming `renderTime(sendTime)` and waits until the server heard it. */
  async function claim(renderTime: (sentAt: number) => number): Promise<number> {
    const before = heardAt
    const claimed = renderTime(performance.now())
    client.send('netInput', { renderTime: claimed, inputs: [] })
    await waitFor(() => heardAt !== before, 10_000, 'the server to hear the claim')
    return claimed
  }

  /** What the server allows back from the arrival: its measured round trip + 2 snapshot intervals + margin. */
  const reach = () => {
    const rtt = conn.stats().rtt
    return Math.max(rtt.smoothed, rtt.last, rtt.p95) + 2 * room.dtMs + MARGIN_MS
  }

  it('a claim 900 ms old is pulled up to the measured round trip + render delay + margin', async () => {
    const claimed = await claim((t) => t - 900)
    const r = room.rewind(conn)!
    expect(r.clamped).toBe(true)
    expect(r.time - claimed).toBeGreaterThan(500)
    expect(Math.abs(r.time - (heardAt - reach()))).toBeLessThan(5)
    // The round trip the server measured includes the conditioner's 80 ms.
    expect(heardAt - r.time).toBeGreaterThanOrEqual(2 * ONE_WAY_MS + 2 * room.dtMs + MARGIN_MS)
    // The same through the hit-test API.
    const hit = room.lagCompensation.hitTest(conn, undefined, (w, time) => ({ n: w.size, time }))!
    expect(hit).toMatchObject({ clamped: true, claimed, result: { n: 2, time: r.time } })
  })

  it('a future claim is the present at most, and does not stick: the next honest claim is used', async () => {
    await claim((t) => t + 5000)
    const future = room.rewind(conn)!
    expect(future.clamped).toBe(true)
    expect(future.time).toBeLessThanOrEqual(heardAt)
    // An honest client draws 2 intervals behind what it got one way ago: well inside the reach.
    const honest = await claim((t) => t - room.dtMs)
    const r = room.rewind(conn)!
    expect(r.clamped).toBe(false)
    expect(r.time).toBe(honest)
  })

  it('a claim sent with a shot is clamped against the moment of the hit test', async () => {
    const now = performance.now()
    const hit = room.lagCompensation.hitTest(conn, now - 2000, (w) => w.get(7))!
    expect(hit.clamped).toBe(true)
    expect(hit.time).toBeGreaterThan(now - 1000)
    expect(hit.result).toBeDefined()
  })
})
