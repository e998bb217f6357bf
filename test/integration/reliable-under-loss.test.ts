/**
 * The reliable channel under REAL packet loss: a GameServer and a Node GameClient run in a child
 * process inside a network namespace whose iptables rule drops 20% of packets (both directions, once
 * connected). 10,000 reliable messages, one of them 1 MB, must arrive complete and strictly in order,
 * each way. Needs root, `ip` and `iptables`; skipped with the reason printed otherwise, a failure with CI=true.
 */
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Direction, TransferResult } from '../netns/reliable-loss-child'
import { createNetns, netnsForTests, type Netns, type NetnsChild } from '../support/netns'

const DROP = 0.2
const COUNT = 10_000
const BIG_AT = 4_321
/** Measured here: 16-37 s per direction at 20% (the 1 MB message alone ~10-15 s); heavy-tailed (RTO backoff). */
// SCTP backs off exponentially when retransmissions are lost too (20% each way: ~36% per round trip).
// One run in about eight went silent for 60 s (the old heartbeat limit closed it); the heartbeat
// (LINK_TIMEOUT_MS in the child) and this deadline leave room for such a backoff to run its course.
const DEADLINE_MS = 170_000
const CHILD = fileURLToPath(new URL('../netns/reliable-loss-child.ts', import.meta.url))

// Skips (reason printed) without root, ip or iptables; with CI=true that throws instead.
const check = netnsForTests()

describe.skipIf(!check.ok)(`reliable channel under ${DROP * 100}% real packet loss (network namespace)`, () => {
  let ns: Netns | undefined
  let child: NetnsChild | undefined

  beforeAll(async () => {
    ns = await createNetns()
    try {
      child = ns.spawnTs(CHILD)
      const ready = await child.readJson<{ type: 'ready'; connectMs: number }>('ready', 30_000)
      console.log(`[reliable-under-loss] connected in ${ready.connectMs} ms (no loss); now dropping ${DROP * 100}% of packets`)
      // Connect first, then lose packets: this test is about delivery, not about the handshake.
      ns.setDropRate(DROP)
    } catch (err) {
      await ns.destroy()
      ns = undefined
      throw err
    }
  }, 45_000)

  afterAll(async () => {
    if (!ns) return
    try {
      ns.setDropRate(0) // lets the goodbye through so both ends close promptly
      child?.send({ cmd: 'exit' })
      if (child) await Promise.race([child.exited, new Promise((r) => setTimeout(r, 5000))])
    } finally {
      await ns.destroy() // kills the child if it has not exited
    }
  }, 20_000)

  type Run = TransferResult & { packets: { dropped: number; accepted: number } }

  const run = async (direction: Direction): Promise<Run> => {
    const before = ns!.counters()
    child!.send({ cmd: 'run', direction, count: COUNT, bigAt: BIG_AT, deadlineMs: DEADLINE_MS })
    const r = await child!.readJson<TransferResult>('result', DEADLINE_MS + 10_000)
    const after = ns!.counters()
    const packets = { dropped: after.dropped - before.dropped, accepted: after.accepted - before.accepted }
    console.log(`[reliable-under-loss] ${JSON.stringify({ ...r, packets })}`)
    return { ...r, packets }
  }

  const expectDelivered = (r: Run) => {
    expect(r.connected).toBe(true)
    expect(r.received).toBe(COUNT)
    expect(r.duplicates).toBe(0)
    expect(r.outOfOrder).toBe(0)
    expect(r.badText).toBe(0)
    expect(r.bigBytesOk).toBe(true)
    expect(r.rejected).toEqual({})
    // The drop rule really was on and hit about its share of the packets.
    const share = r.packets.dropped / (r.packets.dropped + r.packets.accepted)
    expect(r.packets.dropped).toBeGreaterThan(100)
    expect(share).toBeGreaterThan(DROP * 0.75)
    expect(share).toBeLessThan(DROP * 1.25)
  }

  it('client to server: all 10,000 arrive, complete and in order', async () => expectDelivered(await run('c2s')), DEADLINE_MS + 15_000)

  it('server to client: all 10,000 arrive, complete and in order', async () => expectDelivered(await run('s2c')), DEADLINE_MS + 15_000)
})
