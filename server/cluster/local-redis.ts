/**
 * A throwaway `redis-server` (Debian package `redis-server`) on a free loopback port, no persistence:
 * for `npm run cluster` and the tests. Not for production (see docs/scale-out.md).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import net from 'node:net'

export interface LocalRedis {
  readonly port: number
  readonly url: string
  /** Stops it (SIGTERM, then SIGKILL). */
  stop(): Promise<void>
  /** Kills it and starts a fresh, empty one on the same port: what a Redis restart looks like to the nodes. */
  restart(): Promise<void>
}

export function redisServerMissing(): string | undefined {
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8', timeout: 5000 })
  return r.error ? `redis-server (Debian package redis-server) not runnable: ${String(r.error)}` : undefined
}

export async function startLocalRedis(options: { port?: number } = {}): Promise<LocalRedis> {
  const port = options.port ?? (await freeTcpPort())
  let proc = await launch(port)
  const stop = async () => {
    const p = proc
    if (p.exitCode !== null || p.signalCode !== null) return
    const exited = new Promise<void>((r) => p.once('exit', () => r()))
    p.kill('SIGTERM')
    const timer = setTimeout(() => p.kill('SIGKILL'), 3000)
    await exited
    clearTimeout(timer)
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    async restart() {
      await stop()
      proc = await launch(port)
    },
  }
}

async function launch(port: number): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes', '--loglevel', 'warning']
  const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  proc.stdout!.on('data', (d) => (out = (out + String(d)).slice(-4000)))
  proc.stderr!.on('data', (d) => (out = (out + String(d)).slice(-4000)))
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`redis-server exited: ${out}`)
    if (await answers(port)) return proc
    await new Promise((r) => setTimeout(r, 50))
  }
  proc.kill('SIGKILL')
  throw new Error(`redis-server did not answer on port ${port}: ${out}`)
}

/** A PING that gets +PONG. */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1', () => sock.write('PING\r\n'))
    sock.setTimeout(1000, () => (sock.destroy(), resolve(false)))
    sock.once('data', (d) => (sock.destroy(), resolve(String(d).startsWith('+PONG'))))
    sock.once('error', () => resolve(false))
  })
}

/** A TCP port free on 127.0.0.1 now (the OS picks it). */
export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port
      s.close(() => resolve(port))
    })
  })
}
