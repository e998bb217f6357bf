/**
 * The netcode load bench's child processes: one request at a time over Node's IPC channel. Its own
 * small helper (bench/isolated.ts belongs to the transport benches and knows only their setups).
 */
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export type Reply = { type: 'reply'; ok: true; result: unknown } | { type: 'reply'; ok: false; error: string }
export type FromChild = { type: 'ready' } | { type: 'log'; line: string } | Reply

const TIMEOUT_MS = 120_000
const repoRoot = fileURLToPath(new URL('..', import.meta.url))

export class BenchChild<Req extends { cmd: string }> {
  private pending: ((m: FromChild) => void) | undefined
  private readonly exit: Promise<void>

  private constructor(private readonly child: ChildProcess) {
    this.exit = new Promise((resolve) => child.once('exit', () => resolve()))
    child.on('message', (m: FromChild) => {
      if (m.type === 'log') return console.log(m.line)
      const p = this.pending
      this.pending = undefined
      p?.(m)
    })
    child.on('exit', (code) => this.pending?.({ type: 'reply', ok: false, error: `child exited with ${code}` }))
  }

  static async start<Req extends { cmd: string }>(file: string, arg: unknown): Promise<BenchChild<Req>> {
    const child = fork(fileURLToPath(new URL(file, import.meta.url)), [JSON.stringify(arg)], {
      cwd: repoRoot,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    const c = new BenchChild<Req>(child)
    await c.next()
    return c
  }

  async request<T>(req: Req): Promise<T> {
    this.child.send(req)
    const m = await this.next()
    if (m.type !== 'reply') throw new Error(`unexpected ${m.type}`)
    if (!m.ok) throw new Error(m.error)
    return m.result as T
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return
    this.child.send({ cmd: 'exit' })
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000)
    await this.exit
    clearTimeout(timer)
  }

  private next(): Promise<FromChild> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = undefined
        this.child.kill('SIGKILL')
        reject(new Error(`bench child: no answer within ${TIMEOUT_MS} ms`))
      }, TIMEOUT_MS)
      this.pending = (m) => {
        clearTimeout(timer)
        if (m.type === 'reply' && !m.ok && m.error.startsWith('child exited')) reject(new Error(m.error))
        else resolve(m)
      }
    })
  }
}

/** The child's side: answers each request with `handle`'s result; `exit` ends the process. */
export function serveRequests<Req extends { cmd: string }>(handle: (req: Req) => Promise<unknown>, close: () => Promise<void>): void {
  const send = (m: FromChild, then?: () => void) => void process.send!(m, undefined, {}, then)
  process.on('message', (req: Req) => {
    if (req.cmd === 'exit') {
      // WebRTC's native threads and geckos' polling timers would keep the process alive.
      void close().finally(() => process.exit(0))
      return
    }
    handle(req).then(
      (result) => send({ type: 'reply', ok: true, result }),
      (err: unknown) => send({ type: 'reply', ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
    )
  })
  process.on('unhandledRejection', (err) => send({ type: 'log', line: `  warning (netcode child): unhandled rejection: ${String(err)}` }))
  send({ type: 'ready' })
}
