/**
 * Cluster test rig: a real redis-server and N real demo server processes (children, each one node on
 * its own port), and real Node lobby clients over WebRTC. Everything is stopped by `close()`.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { GameClient } from '../../../client/index'
import { LobbyClient, type LobbyClientOptions } from '../../../client/lobby/index'
import { freeTcpPort } from '../../../server/cluster/local-redis'
import { demoSchema, type DemoSchema } from '../../../shared/demo/demo-schema'
import { startLocalRedis, type LocalRedis } from '../../support/redis'
import { connectClient, waitFor } from '../../support/real-net'

export interface Node {
  readonly id: string
  readonly url: string
  readonly proc: ChildProcess
  /** What the node printed (warnings about Redis among it). */
  readonly log: string[]
  kill(signal: NodeJS.Signals): Promise<void>
}

export interface Player {
  game: GameClient<DemoSchema>
  lobby: LobbyClient<DemoSchema>
}

export interface Cluster {
  redis: LocalRedis
  nodes: Node[]
  connect(url: string): Promise<GameClient<DemoSchema>>
  /** A player that joined with `name` on the node at `url`; it follows redirects and resumes on `resumeUrls` in turn. */
  joined(url: string, name: string, options?: LobbyClientOptions<DemoSchema> & { resumeUrls?: string[] }): Promise<Player>
  close(): Promise<void>
}

const main = fileURLToPath(new URL('../../../server/demo/main.ts', import.meta.url))

/** One demo node process; `port` (default: a free one) and `env` (e.g. CLUSTER_ORIGINS, STATIC_ROOT for a browser test). */
export async function startNode(redisUrl: string, id: string, o: { port?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Node> {
  const port = o.port ?? (await freeTcpPort())
  const url = `http://127.0.0.1:${port}`
  const env = { ...process.env, ...o.env, PORT: String(port), HOST: '127.0.0.1', REDIS_URL: redisUrl, PUBLIC_URL: url, NODE_ID: id }
  const proc = spawn(process.execPath, ['--import', 'tsx', main], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  const log: string[] = []
  const keep = (d: Buffer) => {
    log.push(...String(d).split('\n').filter(Boolean))
    if (process.env.CLUSTER_VERBOSE) process.stderr.write(`[${id}] ${String(d)}`)
  }
  proc.stdout!.on('data', keep)
  proc.stderr!.on('data', keep)
  const exited = new Promise<void>((r) => proc.once('exit', () => r()))
  await waitFor(() => log.some((l) => l.includes('Demo running')) || proc.exitCode !== null, 60_000, `node ${id} to start`)
  if (proc.exitCode !== null) throw new Error(`node ${id} exited: ${log.join('\n')}`)
  return {
    id,
    url,
    proc,
    log,
    async kill(signal) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal)
      await exited
    },
  }
}

export async function startCluster(count: number): Promise<Cluster> {
  const redis = await startLocalRedis()
  const nodes = await Promise.all(Array.from({ length: count }, (_, i) => startNode(redis.url, `n${i + 1}`)))
  const games: GameClient<DemoSchema>[] = []
  const lobbies: LobbyClient<DemoSchema>[] = []
  const connect = async (url: string) => {
    const game = await connectClient(demoSchema, url)
    games.push(game)
    return game
  }
  return {
    redis,
    nodes,
    connect,
    async joined(url, name, options = {}) {
      const game = await connect(url)
      const urls = options.resumeUrls ?? []
      let next = 0
      const lobby = new LobbyClient(game, {
        storage: null,
        sessionStorage: null,
        connectTo: connect,
        // After a lost connection: the next node in the list (its own first, then the others).
        reconnect: urls.length ? () => connect(urls[next++ % urls.length]!) : undefined,
        retryDelayMs: 200,
        ...options,
      })
      lobbies.push(lobby)
      await lobby.join({ name })
      return { game, lobby }
    },
    async close() {
      for (const l of lobbies) l.close()
      for (const g of games) g.close()
      await Promise.all(nodes.map((n) => n.kill('SIGTERM')))
      await redis.stop()
    },
  }
}

export { waitFor }
