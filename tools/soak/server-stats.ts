/** What the soak watches in the server process: memory, connection maps, descriptors, event-loop lag. */
import { readdirSync } from 'node:fs'
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks'

export interface ServerSample {
  /** ms since the server process started. */
  at: number
  rssMb: number
  heapUsedMb: number
  /** GameServer.connections: accepted connections. */
  connections: number
  /** geckos' own map of peer connections (handshaking ones included). */
  peerConnections: number
  lobbyPeers: number
  rooms: number
  /** Open file descriptors (/proc/self/fd). */
  fds: number
  /** Event-loop delay (beyond the monitor's period) over the last interval, ms. */
  lagP99Ms: number
  lagMaxMs: number
}

export interface MapSizes {
  connections: number
  peerConnections: number
  lobbyPeers: number
  rooms: number
}

const MB = 1024 * 1024
const NS_PER_MS = 1e6
/**
 * The monitor's timer period. Its histogram records the whole time between two of its timer
 * callbacks (an idle loop reads ~10 ms, not ~0), so the period is subtracted to get the delay.
 */
const RESOLUTION_MS = 10
const delayMs = (ns: number) => round(Math.max(0, ns / NS_PER_MS - RESOLUTION_MS))

export class ServerStats {
  private readonly interval: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
  /** Since the last `resetLag` (the soak's warm-up end). */
  private readonly whole: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
  private readonly t0 = performance.now()

  constructor(private readonly sizes: () => MapSizes) {
    this.interval.enable()
    this.whole.enable()
  }

  sample(): ServerSample {
    const mem = process.memoryUsage()
    const s: ServerSample = {
      at: Math.round(performance.now() - this.t0),
      rssMb: round(mem.rss / MB),
      heapUsedMb: round(mem.heapUsed / MB),
      ...this.sizes(),
      fds: openFds(),
      lagP99Ms: delayMs(this.interval.percentile(99)),
      lagMaxMs: delayMs(this.interval.max),
    }
    this.interval.reset()
    return s
  }

  /** p99 and max of the event-loop delay since the last reset. */
  lag(): { p99Ms: number; maxMs: number; meanMs: number } {
    return { p99Ms: delayMs(this.whole.percentile(99)), maxMs: delayMs(this.whole.max), meanMs: delayMs(this.whole.mean) }
  }

  resetLag(): void {
    this.whole.reset()
  }
}

function openFds(): number {
  try {
    return readdirSync('/proc/self/fd').length
  } catch {
    return -1 // not Linux
  }
}

const round = (x: number) => Math.round(x * 100) / 100
