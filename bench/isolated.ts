/**
 * Network measurements run in child processes. geckos.io keeps process-wide state (one connection
 * event bus shared by every server; a server's close clears it and calls node-datachannel's global
 * cleanup), so two servers in one process disturb each other: each child holds exactly one server.
 * A child stays up between requests, so the parent can interleave rounds across children.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { ConnectKind } from './connect'
import type { RttKey } from './rtt'

/** What a child sets up when it starts. */
export type ChildSetup =
  | { kind: 'rtt'; group: 'baseline' | 'geckos' | 'ours' }
  | { kind: 'connect'; what: ConnectKind }
  | { kind: 'throughput' }

/** What the parent asks of a running child. */
export type ChildRequest = { cmd: 'round'; key: RttKey; warmup: number; count: number } | { cmd: 'run' } | { cmd: 'exit' }

export type ChildMessage = { type: 'ready' } | { type: 'log'; line: string } | { type: 'reply'; ok: true; result: unknown } | { type: 'reply'; ok: false; error: string }

const REQUEST_TIMEOUT_MS = 90_000
const repoRoot = fileURLToPath(new URL('..', import.meta.url))

export class IsolatedChild {
  private pending: { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> } | undefined
  private exited = false
  private readonly exit: Promise<void>

  private constructor(
    private readonly child: ChildProcess,
    private readonly name: string,
    log: (line: string) => void,
  ) {
    this.exit = new Promise((resolve) => child.once('exit', () => resolve()))
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'log') return log(m.line)
      const p = this.pending
      if (!p) return
      this.pending = undefined
      clearTimeout(p.timer)
      if (m.type === 'ready') p.resolve(undefined)
      else if (m.ok) p.resolve(m.result)
      else p.reject(new Error(`${name}: ${m.error}`))
    })
    child.on('exit', (code, signal) => {
      this.exited = true
      const p = this.pending
      this.pending = undefined
      if (p) {
        clearTimeout(p.timer)
        p.reject(new Error(`${name}: child exited (code ${code}, signal ${signal}) without answering`))
      }
    })
  }

  /** Forks `child.ts` with `setup`; resolves once the child reports it is ready. */
  static async start(setup: ChildSetup, log: (line: string) => void): Promise<IsolatedChild> {
    const child = fork(fileURLToPath(new URL('./child.ts', import.meta.url)), [JSON.stringify(setup)], {
      cwd: repoRoot,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    const c = new IsolatedChild(child, JSON.stringify(setup), log)
    try {
      await c.wait()
    } catch (err) {
      child.kill('SIGKILL')
      throw err
    }
    return c
  }

  request<T>(req: Exclude<ChildRequest, { cmd: 'exit' }>): Promise<T> {
    this.child.send(req)
    return this.wait() as Promise<T>
  }

  /** Asks the child to close its connections and exit; kills it if it does not. */
  async close(): Promise<void> {
    if (this.exited) return
    this.child.send({ cmd: 'exit' } satisfies ChildRequest)
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000)
    await this.exit
    clearTimeout(timer)
  }

  private wait(): Promise<unknown> {
    if (this.pending) return Promise.reject(new Error(`${this.name}: one request at a time`))
    if (this.exited) return Promise.reject(new Error(`${this.name}: child has exited`))
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = undefined
        this.child.kill('SIGKILL')
        reject(new Error(`${this.name}: no answer within ${REQUEST_TIMEOUT_MS} ms`))
      }, REQUEST_TIMEOUT_MS)
      this.pending = { resolve, reject, timer }
    })
  }
}

/** A one-shot measurement in a fresh child: set up, run, exit. */
export async function runIsolated<T>(setup: ChildSetup, log: (line: string) => void): Promise<T> {
  const child = await IsolatedChild.start(setup, log)
  try {
    return await child.request<T>({ cmd: 'run' })
  } finally {
    await child.close()
  }
}
