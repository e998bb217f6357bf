/**
 * Connection setup time, in ms: raw geckos.io until onConnect; ours until connect() resolves (both
 * channels open and our hello/welcome exchanged, i.e. ready to send on either channel).
 * One kind per process: two geckos servers in one process interfere (see isolated.ts).
 */
import { closeGeckos, closeOurs, connectGeckos, connectOurs, startGeckosServer, startOurServer } from './net'
import { sleep } from './stats'

export type ConnectKind = 'geckos' | 'ours'

/** A server of one kind; `once()` connects a fresh client, times it, and closes it again. */
export interface ConnectSession {
  once(): Promise<number>
  close(): Promise<void>
}

/** Gap after each close so the next setup does not overlap the previous teardown. */
const SETTLE_MS = 100

export async function openConnect(kind: ConnectKind): Promise<ConnectSession> {
  if (kind === 'geckos') {
    const server = await startGeckosServer()
    return {
      async once() {
        const start = performance.now()
        const channel = await connectGeckos(server.port)
        const ms = performance.now() - start
        await server.opened(String(channel.id))
        closeGeckos(channel)
        await sleep(SETTLE_MS)
        return ms
      },
      close: () => server.close(),
    }
  }
  const server = await startOurServer()
  return {
    async once() {
      const start = performance.now()
      const { client } = await connectOurs(server)
      const ms = performance.now() - start
      await closeOurs(client)
      await sleep(SETTLE_MS)
      return ms
    },
    close: () => server.close(),
  }
}
