/** Messages between the bots parent (cli / soak) and its bot processes (child.ts), over Node IPC. */
import type { BotPlan } from './bot'
import type { MeterSample } from './meter'

/** Every bot's plan but its index (told with `add`) and its server (picked from `urls` by room), and how fast to start them. */
export interface ChildConfig extends Omit<BotPlan, 'index' | 'url'> {
  /** Server origins: room k's bots play on `urls[k % urls.length]` (one origin, or a cluster's nodes). */
  urls: string[]
  /** New bots per second in this process. */
  ramp: number
}

export type ToChild =
  /** Start bots with these global indices (at the ramp rate). */
  | { cmd: 'add'; indices: number[] }
  /** The oldest `count` playing bots leave the lobby and disconnect. */
  | { cmd: 'leave'; count: number }
  /** Every bot leaves; a last sample, then `done`, then the process exits. */
  | { cmd: 'stop' }

export interface BotCounts {
  /** Asked for, not started yet (ramp). */
  queued: number
  connecting: number
  playing: number
  failed: number
  /** Left on purpose. */
  closed: number
}

/** Means over playing bots of their links' gauges; bytes summed. */
export interface LinkGauges {
  bots: number
  jitterMs: number
  lossIn: number
  lossOut: number
  bytesInPerSec: number
  bytesOutPerSec: number
}

export type FromChild =
  | { type: 'ready' }
  | { type: 'sample'; counts: BotCounts; meter: MeterSample; gauges: LinkGauges }
  | { type: 'done' }
