/**
 * A real game server in its own process, so a request that kills it shows as a dead process (Node
 * exits on an unhandled rejection). `demo`: the demo's server (static client, lobby, guard); `guarded`:
 * a GameServer with a static root and a guard that wants a token.
 */
import http from 'node:http'
import { appSchema } from '../files/support'
import { startDemoServer } from '../../../server/demo/demo-server'
import { serveStatic } from '../../../server/http/static-files'
import * as serverApi from '../../../server/index'

export interface ChildConfig {
  kind: 'demo' | 'guarded'
  root: string
  token?: string
  allowedOrigin?: string
}

export interface ChildStats {
  rssBytes: number
  maxRssBytes: number
  setupConnections: number
}

const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig
let stats: () => Omit<ChildStats, 'rssBytes' | 'maxRssBytes'> = () => ({ setupConnections: 0 })

if (config.kind === 'demo') {
  const demo = await startDemoServer({ port: 0, host: '127.0.0.1', staticRoot: config.root })
  process.send!({ type: 'ready', port: Number(new URL(demo.url).port) })
} else {
  const game = new serverApi.GameServer(appSchema, {
    bindAddress: '127.0.0.1',
    handshakeTimeoutMs: 2000,
    connectGuard: { allowedOrigins: [config.allowedOrigin ?? 'http://game.test'], token: config.token, allowMissingOrigin: true },
  })
  const server = http.createServer(serverApi.HARDENED_HTTP_OPTIONS ?? {})
  game.attach(server, serveStatic(config.root))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const manager = game.io.connectionsManager as unknown as { connections: Map<string, unknown> }
  stats = () => ({ setupConnections: manager.connections.size })
  process.send!({ type: 'ready', port: (server.address() as { port: number }).port })
}

process.on('message', (m: { type: string }) => {
  if (m.type !== 'stats') return
  const rss = process.memoryUsage().rss
  process.send!({ type: 'stats', stats: { rssBytes: rss, maxRssBytes: process.resourceUsage().maxRSS * 1024, ...stats() } })
})
process.on('disconnect', () => process.exit(0))
