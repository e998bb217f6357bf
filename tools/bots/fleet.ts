/** The parent's handle on its bot processes: forks them, sends commands, pools what they report. */
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { BotCounts, ChildConfig, FromChild, LinkGauges, ToChild } from './ipc'
import type { MeterSample } from './meter'

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
const childFile = fileURLToPath(new URL('./child.ts', import.meta.url))

export interface ChildSample {
  meter: MeterSample
  gauges: LinkGauges
}

class BotProcess {
  counts: BotCounts = { queued: 0, connecting: 0, playing: 0, failed: 0, closed: 0 }
  done = false
  readonly exited: Promise<void>

  constructor(
    readonly proc: ChildProcess,
    onSample: (s: ChildSample) => void,
  ) {
    this.exited = new Promise((resolve) => proc.once('exit', () => resolve()))
    proc.on('message', (m: FromChild) => {
      if (m.type === 'sample') {
        this.counts = m.counts
        onSample({ meter: m.meter, gauges: m.gauges })
      } else if (m.type === 'done') this.done = true
    })
  }

  get alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null
  }

  send(m: ToChild): void {
    if (this.proc.connected) this.proc.send(m)
  }
}

export class BotFleet {
  readonly procs: BotProcess[] = []

  /** `onSample` gets every process's report, about one per process per second. */
  constructor(
    private readonly config: ChildConfig,
    private readonly onSample: (s: ChildSample) => void,
  ) {}

  /** Forks one more bot process; resolves once it is ready for commands. */
  async spawn(): Promise<BotProcess> {
    const proc = fork(childFile, [JSON.stringify(this.config)], {
      cwd: repoRoot,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    const p = new BotProcess(proc, this.onSample)
    this.procs.push(p)
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('bot process not ready within 60 s')), 60_000)
      proc.on('message', (m: FromChild) => m.type === 'ready' && (clearTimeout(timer), resolve()))
      proc.once('exit', (code) => (clearTimeout(timer), reject(new Error(`bot process exited with ${code} before it was ready`))))
    })
    return p
  }

  /** Counts summed over processes (killed ones keep their last report). */
  counts(): BotCounts {
    const c: BotCounts = { queued: 0, connecting: 0, playing: 0, failed: 0, closed: 0 }
    for (const p of this.procs) for (const k of Object.keys(c) as (keyof BotCounts)[]) c[k] += p.counts[k]
    return c
  }

  /** Counts of the processes still running: their bots are the ones the server should know. */
  liveCounts(): BotCounts {
    const c: BotCounts = { queued: 0, connecting: 0, playing: 0, failed: 0, closed: 0 }
    for (const p of this.procs.filter((x) => x.alive)) for (const k of Object.keys(c) as (keyof BotCounts)[]) c[k] += p.counts[k]
    return c
  }

  /** One process stops its bots (they leave the lobby) and exits. */
  async stopOne(p: BotProcess, timeoutMs = 20_000): Promise<void> {
    p.send({ cmd: 'stop' })
    const timer = setTimeout(() => p.proc.kill('SIGKILL'), timeoutMs)
    await p.exited
    clearTimeout(timer)
  }

  /** Every process stops its bots (they leave the lobby), reports once more and exits; bounded. */
  async stop(timeoutMs = 20_000): Promise<void> {
    await Promise.all(this.procs.filter((p) => p.alive).map((p) => this.stopOne(p, timeoutMs)))
  }

  /** SIGKILL: the bots vanish without a word, as a crashed player's machine would. */
  async kill(p: BotProcess): Promise<void> {
    p.proc.kill('SIGKILL')
    await p.exited
  }
}
export type { BotProcess }
