import type { DataChannel } from 'node-datachannel'
import type { DataPipe } from '../../shared/transport/pipe'

/**
 * node-datachannel's DataChannel as a DataPipe. Frames that arrive before the link attaches its
 * handler (the client may speak the moment the channel opens) are kept and replayed.
 */
export class DataChannelPipe implements DataPipe {
  private handler: ((f: Uint8Array | string) => void) | undefined
  private early: (Uint8Array | string)[] = []

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

  /** Sends are dropped once the channel has closed: the disconnect event ends the link. */
  send(bytes: Uint8Array): void {
    if (!this.dc.isOpen()) return
    try {
      this.dc.sendMessageBinary(bytes as Buffer)
    } catch {
      // Failed under us (the peer connection is going): as dropped.
    }
  }

  bufferedAmount(): number {
    try {
      return this.dc.bufferedAmount()
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
