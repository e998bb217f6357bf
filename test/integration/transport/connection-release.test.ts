/**
 * A finished connection must become garbage. node-datachannel keeps the callbacks of a data channel
 * (global handles) until the channel is closed from JS or reports closed itself; a channel left
 * unclosed kept its pipe and, through it, its whole ServerConnection for the life of the process
 * (the soak's ~27 KB per bot session, docs/reliability.md "Soak").
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GameServer, ServerConnection } from '../../../server/index'
import type { GeckosConnectionsManager } from '../../../server/transport/geckos-internals'
import { connectClient, sleep, startServer, waitFor } from '../../support/real-net'
import { testSchema, type TestSchema } from '../../support/test-schema'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

describe('closed connections are released', () => {
  let server: GameServer<TestSchema>
  let url: string
  const manager = () => server.io.connectionsManager as unknown as GeckosConnectionsManager

  beforeAll(async () => ({ server, url } = await startServer(testSchema)))
  afterAll(() => server.close())

  it('keeps no ServerConnection alive once its clients have gone', async () => {
    // Counted by finalization: WeakRef.deref() would itself keep its target alive for the turn.
    let connected = 0
    let released = 0
    const registry = new FinalizationRegistry<number>(() => released++)
    server.events.on('connection', (conn: ServerConnection<TestSchema>) => void registry.register(conn, connected++))
    const clients = await Promise.all(Array.from({ length: 4 }, () => connectClient(testSchema, url)))
    await waitFor(() => connected === 4, 10_000, 'four connections')
    for (const c of clients) c.close()
    await waitFor(() => server.connections.size === 0 && manager().connections.size === 0, 20_000, 'the server to drop every connection')
    // Native close callbacks arrive on later turns; give them time, then collect.
    for (let i = 0; i < 40 && released < connected; i++) {
      await sleep(250)
      gc()
    }
    expect(released).toBe(connected)
  }, 60_000)
})
