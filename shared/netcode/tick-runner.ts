import type { Clock } from '../transport/clock'
import type { TickLoop } from './tick-loop'

/**
 * The thin timer around a pure TickLoop: wakes when the next tick is due and calls `advance`.
 * Timers fire late, never early by design of the loop (it just runs nothing if woken early).
 * With `realClock` on a server; with `ManualClock` in tests.
 */
export function runTickLoop(loop: TickLoop, clock: Clock): { stop(): void } {
  let handle: unknown
  let stopped = false
  const wake = (): void => {
    if (stopped) return
    loop.advance(clock.now())
    const next = loop.nextTickAt ?? clock.now()
    handle = clock.setTimeout(wake, Math.max(0, next - clock.now()))
  }
  wake()
  return {
    stop() {
      stopped = true
      clock.clearTimeout(handle)
    },
  }
}
