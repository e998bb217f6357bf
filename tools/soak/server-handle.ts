/** The soak's side of server-child.ts: forks it, keeps its samples, asks for lag figures. */
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { FromServer, ServerProbe, ToServer } from './server-child'
import type { ServerSample } from './server-stats'

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))

export class SoakServer {
  readonly samples: ServerSample[] = []
  /** When each sample arrived, on this process's clock (performance.now()). */
  readonly arrivals: number[] = []
  readonly errors: string[] = []
  private lagReply: ((m: Extract<FromServer, { type: 'lag' }>) => void) | undefined
  private probeReply: ((p: ServerProbe) => void) | undefined
  private readonly exited: Promise<void>

  private constructor(
    private readonly proc: ChildProcess,
    readonly url: string,
    readonly pid: number,
  ) {
    this.exited = new Promise((resolve) => proc.once('exit', () => resolve()))
    proc.on('message', (m: FromServer) => {
      if (m.type === 'sample') {
        this.samples.push(m.sample)
        this.arrivals.push(performance.now())
      }
      else if (m.type === 'error') this.errors.push(m.message)
      else if (m.type === 'lag') this.lagReply?.(m)
      else if (m.type === 'probe') this.probeReply?.(m.probe)
    })
    proc.on('exit', (code, signal) => {
      if (!this.closing) this.errors.push(`server process exited (${code ?? signal})`)
    })
  }
  private closing = false

  static async start(): Promise<SoakServer> {
    const proc = fork(fileURLToPath(new URL('./server-child.ts', import.meta.url)), [], {
      cwd: repoRoot,
      // --expose-gc: probes measure memory after a full GC, so JS garbage is not mistaken for a leak.
      execArgv: ['--import', 'tsx', '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    const ready = await new Promise<Extract<FromServer, { type: 'ready' }>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('soak server not ready within 60 s')), 60_000)
      proc.on('message', (m: FromServer) => m.type === 'ready' && (clearTimeout(timer), resolve(m)))
      proc.once('exit', (code) => (clearTimeout(timer), reject(new Error(`soak server exited with ${code}`))))
    })
    return new SoakServer(proc, ready.url, ready.pid)
  }

  get alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null
  }

  /** Samples that arrived between two instants of this process's clock. */
  between(from: number, to: number): ServerSample[] {
    return this.samples.filter((_, i) => this.arrivals[i]! >= from && this.arrivals[i]! <= to)
  }

  latest(): ServerSample | undefined {
    return this.samples.at(-1)
  }

  /** Resolves with the first sample from now on that satisfies `ok`, or undefined after `timeoutMs`. */
  async waitFor(ok: (s: ServerSample) => boolean, timeoutMs: number): Promise<ServerSample | undefined> {
    const deadline = performance.now() + timeoutMs
    let seen = this.samples.length
    while (performance.now() < deadline && this.alive) {
      await new Promise((r) => setTimeout(r, 250))
      for (; seen < this.samples.length; seen++) if (ok(this.samples[seen]!)) return this.samples[seen]
    }
    return undefined
  }

  send(m: ToServer): void {
    if (this.proc.connected) this.proc.send(m)
  }

  async lag(): Promise<{ p99Ms: number; maxMs: number; meanMs: number }> {
    const reply = new Promise<Extract<FromServer, { type: 'lag' }>>((resolve) => (this.lagReply = resolve))
    this.send({ cmd: 'lag' })
    const timeout = new Promise<undefined>((r) => setTimeout(() => r(undefined), 5000))
    const m = await Promise.race([reply, timeout])
    return m ? { p99Ms: m.p99Ms, maxMs: m.maxMs, meanMs: m.meanMs } : { p99Ms: Number.NaN, maxMs: Number.NaN, meanMs: Number.NaN }
  }

  /** Forced GC, then memory and threads (and a heap snapshot with SOAK_HEAP_SNAPSHOTS=dir). */
  async probe(label: string): Promise<ServerProbe | undefined> {
    const reply = new Promise<ServerProbe>((resolve) => (this.probeReply = resolve))
    this.send({ cmd: 'probe', label })
    const timeout = new Promise<undefined>((r) => setTimeout(() => r(undefined), 60_000))
    return Promise.race([reply, timeout])
  }

  async close(): Promise<void> {
    this.closing = true
    this.send({ cmd: 'exit' })
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 10_000)
    await this.exited
    clearTimeout(timer)
  }
}
