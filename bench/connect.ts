/**
 * Connection setup time, in ms: raw geckos.io until onConnect; ours until connect() resolves (both
 * channels open and our hello/welcome exchanged, i.e. ready to send on either channel).
 * One kind per process: two geckos servers in one process interfere (see isolated.ts).
 */
import { closeGeckos, closeOurs, connectGeckos, connectOurs, startGeckosServer, startOurServer } from './net'
import { IsolatedChild } from './isolated'
import { percentile, sleep } from './stats'

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

/** Side by side: one child per kind (geckos keeps process-wide state), connecting alternately. */
export async function measureConnectSideBySide(
  connections: number,
  log: (line: string) => void,
): Promise<Record<ConnectKind, { p50: number; p99: number; samples: number[] }>> {
  const times: Record<ConnectKind, number[]> = { geckos: [], ours: [] }
  const children: IsolatedChild[] = []
  try {
    const geckos = await IsolatedChild.start({ kind: 'connect', what: 'geckos' }, log)
    children.push(geckos)
    const ours = await IsolatedChild.start({ kind: 'connect', what: 'ours' }, log)
    children.push(ours)
    for (let i = 0; i < connections; i++) {
      times.geckos.push(await geckos.request<number>({ cmd: 'run' }))
      times.ours.push(await ours.request<number>({ cmd: 'run' }))
    }
  } finally {
    for (const c of children) await c.close()
  }
  const r1 = (x: number) => Math.round(x * 10) / 10
  const sum = (xs: number[]) => ({ p50: r1(percentile(xs, 50)), p99: r1(percentile(xs, 99)), samples: xs.map(r1) })
  return { geckos: sum(times.geckos), ours: sum(times.ours) }
}
