/**
 * `npm run cluster -- --nodes 3 [--port 8080]`: a local redis-server (free port, no persistence) and N
 * demo nodes on consecutive ports, each its own process, one lobby. Ctrl-C stops them all.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { redisServerMissing, startLocalRedis } from 'netplay-toolkit/server'

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`)
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive whole number`)
  return v
}
const nodes = Math.min(arg('nodes', 3), 16)
const basePort = arg('port', Number(process.env.PORT ?? 8080))

const missing = redisServerMissing()
if (missing) throw new Error(`${missing}; install it (apt-get install redis-server)`)
const redis = await startLocalRedis()
console.log(`redis-server on ${redis.url}`)

const main = fileURLToPath(new URL('./main.ts', import.meta.url))
const children: ChildProcess[] = []
const origins = Array.from({ length: nodes }, (_, i) => `http://localhost:${basePort + i}`).join(' ')
for (let i = 0; i < nodes; i++) {
  const port = basePort + i
  const env = { ...process.env, PORT: String(port), REDIS_URL: redis.url, PUBLIC_URL: `http://localhost:${port}`, NODE_ID: `node-${i + 1}`, CLUSTER_ORIGINS: origins }
  const child = spawn(process.execPath, ['--import', 'tsx', main], { env, stdio: ['ignore', 'pipe', 'inherit'] })
  child.stdout!.on('data', (d) => process.stdout.write(`[node-${i + 1}] ${String(d)}`))
  children.push(child)
}
console.log(`${nodes} nodes, one lobby:\n${children.map((_, i) => `  node-${i + 1}: http://localhost:${basePort + i}`).join('\n')}`)

const stop = async () => {
  for (const c of children) c.kill('SIGTERM')
  await Promise.all(children.map((c) => (c.exitCode !== null ? undefined : new Promise((r) => c.once('exit', r)))))
  await redis.stop()
  process.exit(0)
}
process.once('SIGINT', () => void stop())
process.once('SIGTERM', () => void stop())
