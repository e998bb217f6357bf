import type { DataPipe } from './pipe'

/**
 * Two connected in-memory pipes: what one sends, the other receives on the next microtask.
 * For unit tests of everything above the channel (and for bots that run in-process).
 */
export function memoryPipePair(maxMessageSize = 256 * 1024): [DataPipe, DataPipe] {
  const a = new MemoryPipe(maxMessageSize)
  const b = new MemoryPipe(maxMessageSize)
  a.peer = b
  b.peer = a
  return [a, b]
}

class MemoryPipe implements DataPipe {
  /** send() delivers a copy. */
  readonly copiesOnSend = true
  peer: MemoryPipe | undefined
  private handler: ((f: Uint8Array | string) => void) | undefined
  private buffered = 0
  private lowWaiters: { threshold: number; fn: () => void }[] = []

  constructor(readonly maxMessageSize: number) {}

  send(bytes: Uint8Array): void {
    if (bytes.byteLength > this.maxMessageSize) throw new RangeError('message larger than maxMessageSize')
    const copy = bytes.slice()
    this.buffered += copy.byteLength
    queueMicrotask(() => {
      this.buffered -= copy.byteLength
      this.peer?.handler?.(copy)
      const ready = this.lowWaiters.filter((w) => this.buffered <= w.threshold)
      this.lowWaiters = this.lowWaiters.filter((w) => this.buffered > w.threshold)
      for (const w of ready) w.fn()
    })
  }

  /** Lets a test inject raw frames, as a hostile peer would. */
  sendText(text: string): void {
    queueMicrotask(() => this.peer?.handler?.(text))
  }

  bufferedAmount(): number {
    return this.buffered
  }

  onBufferedAmountLow(threshold: number, onLow: () => void): void {
    if (this.buffered <= threshold) queueMicrotask(onLow)
    else this.lowWaiters.push({ threshold, fn: onLow })
  }

  onMessage(handler: (f: Uint8Array | string) => void): void {
    this.handler = handler
  }
}
