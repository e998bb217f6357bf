/** Running commands for the package test: bounded in time, output kept for the failure message. */
import { spawn, type ChildProcess } from 'node:child_process'
import net from 'node:net'

export interface RunResult {
  code: number | null
  output: string
}

/** Runs a command to its end (or kills it after `timeoutMs`); never throws on a non-zero exit. */
export function run(cmd: string, args: string[], options: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    const timer = setTimeout(() => {
      killGroup(child)
      output += `\n[killed after ${options.timeoutMs} ms]`
    }, options.timeoutMs)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
  })
}

/** Runs a command and fails with its output unless it exits 0. */
export async function runOk(cmd: string, args: string[], options: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv }): Promise<string> {
  const result = await run(cmd, args, options)
  if (result.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${result.code}:\n${result.output.slice(-6000)}`)
  return result.output
}

/** A long-running command (a server, a bot): its output so far, and a way to wait for a line. */
export class Background {
  output = ''
  private readonly child: ChildProcess

  constructor(cmd: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
    this.child = spawn(cmd, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    this.child.stdout!.on('data', (d: Buffer) => (this.output += d.toString()))
    this.child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()))
  }

  /** Resolves with the first line matching `pattern`, checked until `timeoutMs`. */
  async waitFor(pattern: RegExp, timeoutMs: number, from = 0): Promise<RegExpMatchArray> {
    const end = Date.now() + timeoutMs
    for (;;) {
      const match = this.output.slice(from).match(pattern)
      if (match) return match
      if (this.child.exitCode !== null || Date.now() > end) throw new Error(`no ${pattern} in output (exit ${this.child.exitCode}):\n${this.output.slice(-4000)}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  stop(): void {
    killGroup(this.child)
  }
}

/** npm, sh and node each start their own child: end the whole process group we started. */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return
  try {
    process.kill(-child.pid, 'SIGTERM')
  } catch {
    // already gone
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}
