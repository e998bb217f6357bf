/** The parent's handle on a child run inside a namespace: its JSON lines on stdout, commands on stdin. */
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { createInterface } from 'node:readline'
import { parseObject } from './child-protocol'

export interface NetnsChild {
  readonly pid: number
  /** Next stdout line (any text); rejects on timeout or when the child exits first. */
  readLine(timeoutMs: number): Promise<string>
  /** Skips lines until a JSON object whose `type` is `type`; rejects on timeout or child exit. */
  readJson<T extends { type: string }>(type: T['type'], timeoutMs: number): Promise<T>
  /** Writes one JSON line to the child's stdin. */
  send(message: unknown): void
  /** Exit code (null if killed by a signal). */
  readonly exited: Promise<number | null>
  /** The last lines the child wrote to stderr (for failure messages). */
  stderrTail(): string
  kill(): Promise<void>
}

/** Wraps a spawned child: its stdout read as lines, its stderr kept as a tail, a kill that waits for the exit. */
export function wrapChild(proc: ChildProcessWithoutNullStreams): NetnsChild {
  const lines: string[] = []
  const waiters: { resolve: (l: string) => void; reject: (e: Error) => void }[] = []
  const stderr: string[] = []
  let exitCode: number | null | undefined
  const exited = new Promise<number | null>((resolve) => {
    // 'close', not 'exit': stdout may still hold the last lines when the process has exited.
    proc.once('close', (code) => {
      exitCode = code
      for (const w of waiters.splice(0)) w.reject(new Error(`child exited (${code}) before the expected line; stderr:\n${tail()}`))
      resolve(code)
    })
    proc.once('error', (err) => {
      stderr.push(String(err))
      exitCode = null
      for (const w of waiters.splice(0)) w.reject(err)
      resolve(null)
    })
  })
  createInterface({ input: proc.stdout }).on('line', (line) => {
    const w = waiters.shift()
    if (w) w.resolve(line)
    else lines.push(line)
  })
  createInterface({ input: proc.stderr }).on('line', (line) => {
    stderr.push(line)
    if (stderr.length > 60) stderr.shift()
    if (process.env.NETNS_VERBOSE) process.stderr.write(`[netns ${proc.pid}] ${line}\n`)
  })
  proc.stdin.on('error', () => undefined) // writes racing the child's exit
  const tail = () => stderr.join('\n')

  const readLine = (timeoutMs: number): Promise<string> => {
    const ready = lines.shift()
    if (ready !== undefined) return Promise.resolve(ready)
    if (exitCode !== undefined) return Promise.reject(new Error(`child already exited (${exitCode}); stderr:\n${tail()}`))
    return new Promise((resolve, reject) => {
      const w = {
        resolve: (l: string) => {
          clearTimeout(timer)
          resolve(l)
        },
        reject: (e: Error) => {
          clearTimeout(timer)
          reject(e)
        },
      }
      const timer = setTimeout(() => {
        const at = waiters.indexOf(w)
        if (at >= 0) waiters.splice(at, 1)
        reject(new Error(`no line from the child within ${timeoutMs} ms; stderr:\n${tail()}`))
      }, timeoutMs)
      waiters.push(w)
    })
  }

  return {
    pid: proc.pid ?? -1,
    readLine,
    async readJson<T extends { type: string }>(type: T['type'], timeoutMs: number): Promise<T> {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const line = await readLine(Math.max(1, deadline - Date.now()))
        const msg = parseObject(line)
        if (msg && msg.type === type) return msg as T
        if (msg && msg.type === 'error') throw new Error(`child reported: ${String(msg.message)}\n${tail()}`)
      }
    },
    send(message) {
      if (exitCode === undefined) proc.stdin.write(`${JSON.stringify(message)}\n`)
    },
    exited,
    stderrTail: tail,
    async kill() {
      if (exitCode !== undefined) return
      proc.kill('SIGTERM')
      const timer = setTimeout(() => proc.kill('SIGKILL'), 3000)
      await exited
      clearTimeout(timer)
    },
  }
}
