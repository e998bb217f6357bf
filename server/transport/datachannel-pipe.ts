import type { DataChannel } from 'node-datachannel'
import type { DataPipe } from '../../shared/transport/pipe'

/**
 * node-datachannel's DataChannel as a DataPipe. Frames that arrive before the link attaches its
 * handler (the client may speak the moment the channel opens) are kept and replayed.
 */
export class DataChannelPipe implements DataPipe {
  /** libdatachannel copies the message inside `send`, before it returns. */
  readonly copiesOnSend = true
  private handler: ((f: Uint8Array | string) => void) | undefined
  private early: (Uint8Array | string)[] = []
  /**
   * The last send was queued by the channel (libdatachannel's send returns true only when the whole
   * queue was flushed and the message went out). Until then nothing can be buffered on this channel
   * (only our sends add to it), so bufferedAmount() needs no native call per send.
   */
  private queued = false
  /** A send threw and the channel is closed: it never reopens. */
  private dead = false

  constructor(private readonly dc: DataChannel) {
    dc.onMessage((msg) => {
      const frame = typeof msg === 'string' ? msg : new Uint8Array((msg as Buffer).buffer, (msg as Buffer).byteOffset, (msg as Buffer).byteLength)
      if (this.handler) this.handler(frame)
      else if (this.early.length < 64) this.early.push(frame)
    })
  }

  get maxMessageSize(): number {
    try {
      return this.dc.maxMessageSize()
    } catch {
      return 65536
    }
  }

  /** Sends are dropped once the channel has closed (a send throws then): the disconnect event ends the link. */
  send(bytes: Uint8Array): void {
    if (this.dead) return
    try {
      this.queued = !this.dc.sendMessageBinary(bytes as Buffer)
    } catch {
      // As dropped. Closed under us (the peer connection is going): so is everything after.
      this.queued = false
      try {
        this.dead = !this.dc.isOpen()
      } catch {
        this.dead = true
      }
    }
  }

  bufferedAmount(): number {
    if (!this.queued) return 0
    try {
      const buffered = this.dc.bufferedAmount()
      if (buffered === 0) this.queued = false
      return buffered
    } catch {
      return 0
    }
  }

  onBufferedAmountLow(threshold: number, onLow: () => void): void {
    this.dc.setBufferedAmountLowThreshold(threshold)
    let fired = false
    this.dc.onBufferedAmountLow(() => {
      if (fired) return
      fired = true
      onLow()
    })
    if (this.bufferedAmount() <= threshold && !fired) {
      fired = true
      queueMicrotask(onLow)
    }
  }

  /** Early frames are replayed on the next microtask, once the caller has finished wiring its handlers. */
  onMessage(handler: (f: Uint8Array | string) => void): void {
    queueMicrotask(() => {
      for (const f of this.early) handler(f)
      this.early = []
      this.handler = handler
    })
  }

  close(): void {
    try {
      this.dc.close()
    } catch {
      // already closed
    }
  }
}
