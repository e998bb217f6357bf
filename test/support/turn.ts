/**
 * A real coturn (`turnserver`, Debian package `coturn`) on loopback for tests: one instance with a
 * static user (long-term credentials), or one checking time-limited REST credentials
 * (`use-auth-secret`). Relay addresses are on 127.0.0.1 too (`--allow-loopback-peers`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

export type TurnCheck = { ok: true } | { ok: false; why: string }

export function canRunTurn(): TurnCheck {
  const r = spawnSync('turnserver', ['--help'], { encoding: 'utf8', timeout: 5000 })
  if (r.error) return { ok: false, why: `turnserver (Debian package coturn) not runnable: ${String(r.error)}` }
  return { ok: true }
}

export interface TurnServer {
  readonly port: number
  /** `turn:127.0.0.1:<port>?transport=udp` */
  readonly url: string
  /** Log lines so far (coturn logs each allocation and each refused credential). */
  log(): string[]
  /** Successful allocations seen in the log so far. */
  allocations(): number
  stop(): Promise<void>
}

export type TurnAuth = { user: string; password: string } | { secret: string }

/** Starts coturn on a free loopback port; resolves once it answers on TCP. */
/** `port`: a fixed listening port (relays use the 200 ports above it); default a free one. */
export async function startTurn(auth: TurnAuth, options: { bindIp?: string; port?: number } = {}): Promise<TurnServer> {
  const ip = options.bindIp ?? '127.0.0.1'
  const port = options.port || (await freePort(ip))
  const dir = mkdtempSync(join(tmpdir(), 'netplay-turn-'))
  const args = [
    '--listening-ip', ip, '--relay-ip', ip, '--listening-port', String(port),
    '--min-port', String(port + 1), '--max-port', String(port + 200),
    '--allow-loopback-peers', '--realm', 'test', '--no-cli', '--no-tls', '--no-dtls',
    '--pidfile', join(dir, 'turnserver.pid'), '--userdb', join(dir, 'turndb'),
    '--log-file', 'stdout', '--simple-log', '--verbose', '--no-software-attribute',
    ...('secret' in auth ? ['--use-auth-secret', '--static-auth-secret', auth.secret] : ['--lt-cred-mech', '--user', `${auth.user}:${auth.password}`]),
  ]
  // stdbuf: coturn's log goes through stdio, block-buffered into a pipe otherwise.
  const proc: ChildProcess = spawn('stdbuf', ['-oL', '-eL', 'turnserver', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  const lines: string[] = []
  const keep = (line: string) => {
    lines.push(line)
    if (lines.length > 5000) lines.splice(0, 1000)
    if (process.env.TURN_VERBOSE) process.stderr.write(`[turn ${port}] ${line}\n`)
  }
  createInterface({ input: proc.stdout! }).on('line', keep)
  createInterface({ input: proc.stderr! }).on('line', keep)
  const exited = new Promise<void>((resolve) => proc.once('close', () => resolve()))
  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    proc.kill('SIGTERM')
    const timer = setTimeout(() => proc.kill('SIGKILL'), 3000)
    await exited
    clearTimeout(timer)
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    await waitForTcp(ip, port, 10_000, () => proc.exitCode !== null)
  } catch (err) {
    await stop()
    throw new Error(`${String(err)}; turnserver said:\n${lines.slice(-20).join('\n')}`)
  }
  return {
    port,
    url: `turn:${ip}:${port}?transport=udp`,
    log: () => [...lines],
    allocations: () => lines.filter((l) => /ALLOCATE processed, success/.test(l)).length,
    stop,
  }
}

/** A port free on both UDP and TCP, with the relay range above it mostly free too (ephemeral ports are sparse). */
async function freePort(ip: string): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 20_000)
    if (await tcpFree(ip, port)) return port
  }
  throw new Error('no free port for turnserver')
}

function tcpFree(ip: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer()
    s.once('error', () => resolve(false))
    s.listen(port, ip, () => s.close(() => resolve(true)))
  })
}

async function waitForTcp(ip: string, port: number, timeoutMs: number, dead: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (dead()) throw new Error('turnserver exited')
    const ok = await new Promise<boolean>((resolve) => {
      const sock = net.connect(port, ip, () => {
        sock.destroy()
        resolve(true)
      })
      sock.once('error', () => resolve(false))
    })
    if (ok) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`turnserver did not listen on ${ip}:${port} within ${timeoutMs} ms`)
}
