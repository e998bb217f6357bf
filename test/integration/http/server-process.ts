import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { ChildConfig, ChildStats } from './server-child'

export interface ServerProcess {
  port: number
  readonly alive: boolean
  /** How the process ended, if it did: exit code or signal, and the tail of its stderr. */
  readonly exit: string | undefined
  stats(): Promise<ChildStats>
  stop(): Promise<void>
}

const CHILD = fileURLToPath(new URL('./server-child.ts', import.meta.url))

/** Starts server-child.ts in a new Node process and resolves once it listens. */
export function startServerProcess(config: ChildConfig): Promise<ServerProcess> {
  const proc: ChildProcess = fork(CHILD, [JSON.stringify(config)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] })
  let stderr = ''
  let exit: string | undefined
  proc.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)))
  proc.stdout!.resume()
  proc.on('exit', (code, signal) => (exit = `exit ${code ?? signal}: ${stderr}`))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server child did not start: ${stderr}`)), 20_000)
    proc.on('exit', () => reject(new Error(`server child ended before listening: ${stderr}`)))
    proc.on('message', function ready(m: { type: string; port?: number }) {
      if (m.type !== 'ready') return
      clearTimeout(timer)
      proc.off('message', ready)
      resolve({
        port: m.port!,
        get alive() {
          return exit === undefined
        },
        get exit() {
          return exit
        },
        stats: () =>
          new Promise((res, rej) => {
            if (exit !== undefined) return rej(new Error(`server child is gone: ${exit}`))
            proc.on('message', function reply(r: { type: string; stats?: ChildStats }) {
              if (r.type !== 'stats') return
              proc.off('message', reply)
              res(r.stats!)
            })
            proc.send({ type: 'stats' })
          }),
        stop: async () => {
          if (exit !== undefined) return
          const gone = new Promise((r) => proc.once('exit', r))
          proc.kill('SIGKILL')
          await gone
        },
      })
    })
  })
}
