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

  /**
   * A send the channel refuses (not open yet, or closed: it throws then) is dropped; the disconnect
   * event ends the link. No isOpen() call per send: the throw is the check, and it is rare.
   */
  send(bytes: Uint8Array): void {
    try {
      this.queued = !this.dc.sendMessageBinary(bytes as Buffer)
    } catch {
      // Not open yet (created before the connection was up) or closed under us: as dropped.
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
