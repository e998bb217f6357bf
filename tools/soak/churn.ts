/**
 * Players coming and going: bot processes (each a room of bots) join, bots leave on their own, whole
 * processes leave politely or are SIGKILLed, as players close tabs and machines crash.
 */
import { BotFleet, type BotProcess } from '../bots/fleet'

export interface ChurnOptions {
  /** Bots per room; a new process brings one room. */
  roomSize: number
  minBots: number
  maxBots: number
  maxProcs: number
}

export class Churn {
  readonly tally = { joined: 0, left: 0, killed: 0, processes: 0 }
  private nextIndex = 0

  constructor(
    readonly fleet: BotFleet,
    private readonly o: ChurnOptions,
  ) {}

  /** Bots in live processes that are playing or on their way. */
  population(): number {
    const c = this.fleet.liveCounts()
    return c.queued + c.connecting + c.playing
  }

  /** One random change, kept between minBots and maxBots; returns what it did. */
  async step(): Promise<string> {
    const pop = this.population()
    const live = this.fleet.procs.filter((p) => p.alive)
    const r = Math.random()
    if (pop < this.o.minBots || live.length === 0) return this.spawn()
    if (pop + this.o.roomSize > this.o.maxBots) return r < 0.4 ? this.kill(pick(live)) : r < 0.7 ? this.stop(pick(live)) : this.leaveSome(pick(live))
    if (live.length >= this.o.maxProcs) return r < 0.3 ? this.kill(pick(live)) : r < 0.6 ? this.stop(pick(live)) : this.addRoom(pick(live))
    // Starting a bot process costs a second or two of CPU (tsx) on the cores the server shares: most
    // churn happens inside running processes; whole processes come, go and die less often.
    if (r < 0.15) return this.spawn()
    if (r < 0.3) return this.kill(pick(live))
    if (r < 0.45) return this.stop(pick(live))
    if (r < 0.7) return this.leaveSome(pick(live))
    return this.addRoom(pick(live))
  }

  async spawn(): Promise<string> {
    const p = await this.fleet.spawn()
    this.tally.processes++
    return this.addRoom(p)
  }

  /** Every bot process leaves politely (lobby leave, then close) and exits. */
  async stopAll(): Promise<void> {
    for (const p of this.fleet.procs.filter((x) => x.alive)) this.tally.left += p.counts.playing
    await this.fleet.stop()
  }

  private addRoom(p: BotProcess): string {
    const indices = Array.from({ length: this.o.roomSize }, () => this.nextIndex++)
    p.send({ cmd: 'add', indices })
    this.tally.joined += indices.length
    return `+${indices.length} bots (process ${p.proc.pid})`
  }

  private async kill(p: BotProcess): Promise<string> {
    const n = p.counts.playing + p.counts.connecting
    this.tally.killed += n
    await this.fleet.kill(p)
    return `SIGKILL process ${p.proc.pid} (${n} bots)`
  }

  private async stop(p: BotProcess): Promise<string> {
    const n = p.counts.playing
    this.tally.left += n
    await this.fleet.stopOne(p)
    return `process ${p.proc.pid} leaves (${n} bots)`
  }

  private leaveSome(p: BotProcess): string {
    const n = Math.min(p.counts.playing, 1 + Math.floor(Math.random() * 2))
    p.send({ cmd: 'leave', count: n })
    this.tally.left += n
    return `-${n} bots leave (process ${p.proc.pid})`
  }
}

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!
