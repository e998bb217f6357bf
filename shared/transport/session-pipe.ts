import type { DataPipe } from './pipe'

/**
 * A DataPipe whose channel underneath can be replaced: the link keeps talking to this one while a
 * session resume swaps in the channels of a new connection. Detached (between connections) it sends
 * nothing and hears nothing; frames from a replaced channel are ignored, so a late frame from the
 * old connection cannot be counted twice.
 */
export class SwitchablePipe implements DataPipe {
  private current: DataPipe | undefined
  private handler: ((frame: Uint8Array | string) => void) | undefined
  private low: { threshold: number; onLow: () => void } | undefined

  constructor(initial: DataPipe) {
    this.attach(initial)
  }

  get attached(): boolean {
    return this.current !== undefined
  }

  get maxMessageSize(): number {
    return this.current?.maxMessageSize ?? 65536
  }

  /** Detached, a send goes nowhere, so nothing is kept either. */
  get copiesOnSend(): boolean {
    return this.current ? this.current.copiesOnSend === true : true
  }

  /** A channel dying under us may throw on send: the frame is as good as lost, and the session replays it. */
  send(bytes: Uint8Array): void {
    try {
      this.current?.send(bytes)
    } catch {
      // the disconnect (or the heartbeat) suspends the session
    }
  }

  bufferedAmount(): number {
    return this.current?.bufferedAmount() ?? 0
  }

  onBufferedAmountLow(threshold: number, onLow: () => void): void {
    const entry = { threshold, onLow }
    this.low = entry
    this.current?.onBufferedAmountLow(threshold, () => this.fireLow(entry))
  }

  onMessage(handler: (frame: Uint8Array | string) => void): void {
    this.handler = handler
    if (this.current) this.listen(this.current)
  }

  /** Stops using the current channel (the connection is gone). */
  detach(): void {
    this.current = undefined
  }

  /** Uses `pipe` from now on. A waiter for "buffer low" moves to it (and fires once it is low). */
  attach(pipe: DataPipe): void {
    this.current = pipe
    if (this.handler) this.listen(pipe)
    const waiting = this.low
    if (waiting) pipe.onBufferedAmountLow(waiting.threshold, () => this.fireLow(waiting))
  }

  private listen(pipe: DataPipe): void {
    pipe.onMessage((frame) => {
      if (this.current === pipe) this.handler?.(frame)
    })
  }

  /** Each waiter fires once, whichever channel reports low first. */
  private fireLow(entry: { onLow: () => void }): void {
    if (this.low !== entry) return
    this.low = undefined
    entry.onLow()
  }
}
