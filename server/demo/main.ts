/** `npm start`: serves the built client and the game server on one port (PORT, default 8080). */
import { fileURLToPath } from 'node:url'
import { startDemoServer } from './demo-server'

const port = Number(process.env.PORT ?? 8080)
// STATIC_ROOT: another build of the client (the end-to-end tests build their own).
const staticRoot = process.env.STATIC_ROOT ?? fileURLToPath(new URL('../../dist-demo', import.meta.url))
// Scale-out: REDIS_URL joins this process to a cluster; PUBLIC_URL is where players reach it (see docs/scale-out.md).
const redisUrl = process.env.REDIS_URL
const nodeOrigins = process.env.CLUSTER_ORIGINS?.split(/[\s,]+/).filter(Boolean)
const cluster = redisUrl ? { redisUrl, publicUrl: process.env.PUBLIC_URL, nodeId: process.env.NODE_ID, nodeOrigins } : undefined
// TURN (docs/connectivity.md): TURN_URLS (comma separated) and TURN_SECRET (coturn's static-auth-secret).
const turnUrls = process.env.TURN_URLS?.split(/[\s,]+/).filter(Boolean)
const turn = turnUrls?.length && process.env.TURN_SECRET ? { urls: turnUrls, secret: process.env.TURN_SECRET } : undefined
const { url, close } = await startDemoServer({ port, staticRoot, host: process.env.HOST, cluster, turn })
console.log(`Demo running: open ${url} in two browser tabs${cluster ? ` (cluster node on ${redisUrl})` : ''}`)
// A clean stop leaves the cluster at once (a killed process is noticed by its missing heartbeat).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void close().finally(() => process.exit(0)))
