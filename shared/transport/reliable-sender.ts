import type { DataPipe } from './pipe'

export interface ReliableSenderOptions {
  /** Keep at most this much in the channel's own buffer; the rest waits in our queue. */
  channelHighWater: number
  /** Our queue may hold this much; a send beyond it drops the peer as a slow consumer. */
  maxQueuedBytes: number
}

/**
 * 64 KiB in the channel keeps bulk transfers at full speed on loopback while bounding how much
 * reliable data an unreliable message can queue behind inside SCTP: under 20% real loss, 256 KiB
 * held pings back for seconds (measured by the netns test), 32 KiB for about one.
 */
export const DEFAULT_RELIABLE_SENDER: ReliableSenderOptions = {
  channelHighWater: 64 * 1024,
  // Per connection: ~4 s of a 1 MB/s stream. A peer further behind is dropped, not buffered for.
  maxQueuedBytes: 4 * 1024 * 1024,
}

/**
 * Feeds chunks to the ordered, reliable channel without flooding it: at most `channelHighWater`
 * bytes sit in the channel's buffer (so unreliable state is not stuck behind bulk data in SCTP),
 * the rest wait here and move on when the channel reports its buffer low.
 */
export class ReliableSender {
  private queue: Uint8Array[] = []
  private head = 0
  private queuedBytes = 0
  private waitingForLow = false
  private drainWaiters: (() => void)[] = []
  private handedOver = 0

  constructor(
    private readonly pipe: DataPipe,
    private readonly options: ReliableSenderOptions = DEFAULT_RELIABLE_SENDER,
    /** Told every change of our queue's size (a server-wide budget adds them up). */
    private readonly account: (delta: number) => void = () => undefined,
  ) {}

  /** Bytes waiting in our queue (not yet handed to the channel). */
  get queuedByteCount(): number {
    return this.queuedBytes
  }

  /** Bytes that have left the channel's buffer so far: grows while the peer keeps reading. */
  get movedBytes(): number {
    return this.handedOver - this.pipe.bufferedAmount()
  }

  /** Bytes not yet on the wire: our queue plus the channel's buffer. */
  get pendingBytes(): number {
    return this.queuedBytes + this.pipe.bufferedAmount()
  }

  /** Whether `bytes` more would still fit under the queue cap. */
  canAccept(bytes: number): boolean {
    return this.queuedBytes + bytes <= this.options.maxQueuedBytes
  }

  /** Queues chunks (all of one message) and pumps. Returns false when the caller should wait for `drained()`. */
  enqueue(chunks: Iterable<Uint8Array>): boolean {
    const before = this.queuedBytes
    for (const c of chunks) {
      this.queue.push(c)
      this.queuedBytes += c.byteLength
    }
    this.account(this.queuedBytes - before)
    this.pump()
    return this.queuedBytes === 0
  }

  /** Resolves when our queue is empty (the channel may still hold up to its high water). */
  drained(): Promise<void> {
    if (this.queuedBytes === 0) return Promise.resolve()
    return new Promise((resolve) => this.drainWaiters.push(resolve))
  }

  /** Drops everything queued (on close). */
  clear(): void {
    this.queue = []
    this.head = 0
    this.account(-this.queuedBytes)
    this.queuedBytes = 0
    this.flushWaiters()
  }

  private pump(): void {
    const high = this.options.channelHighWater
    const before = this.queuedBytes
    while (this.head < this.queue.length && this.pipe.bufferedAmount() < high) {
      const chunk = this.queue[this.head]!
      this.queue[this.head++] = EMPTY
      this.queuedBytes -= chunk.byteLength
      this.handedOver += chunk.byteLength
      this.pipe.send(chunk)
    }
    if (this.queuedBytes !== before) this.account(this.queuedBytes - before)
    if (this.head === this.queue.length) {
      this.queue = []
      this.head = 0
      this.flushWaiters()
    } else if (this.head > 1024) {
      this.queue = this.queue.slice(this.head)
      this.head = 0
    }
    if (this.queuedBytes > 0 && !this.waitingForLow) {
      this.waitingForLow = true
      this.pipe.onBufferedAmountLow(high / 4, () => {
        this.waitingForLow = false
        this.pump()
      })
    }
  }

  private flushWaiters(): void {
    const w = this.drainWaiters
    this.drainWaiters = []
    for (const resolve of w) resolve()
  }
}

const EMPTY = new Uint8Array(0)
