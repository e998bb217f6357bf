import type { DataPipe } from '../../shared/transport/pipe'

/** A browser RTCDataChannel (or node-datachannel's polyfill of it) as a DataPipe. */
export class RtcPipe implements DataPipe {
  constructor(private readonly dc: RTCDataChannel) {
    dc.binaryType = 'arraybuffer'
  }

  get maxMessageSize(): number {
    return 65536
  }

  /** Sends are dropped once the channel has closed: the disconnect event ends the link. */
  send(bytes: Uint8Array): void {
    if (this.dc.readyState !== 'open') return
    try {
      this.dc.send(bytes as Uint8Array<ArrayBuffer>)
    } catch {
      // Closed under us (readyState lags behind a peer connection torn down): as dropped; the session replays it.
    }
  }

  bufferedAmount(): number {
    return this.dc.bufferedAmount
  }

  onBufferedAmountLow(threshold: number, onLow: () => void): void {
    this.dc.bufferedAmountLowThreshold = threshold
    let fired = false
    this.dc.onbufferedamountlow = () => {
      if (fired) return
      fired = true
      onLow()
    }
    if (this.dc.bufferedAmount <= threshold) {
      fired = true
      queueMicrotask(onLow)
    }
  }

  onMessage(handler: (f: Uint8Array | string) => void): void {
    this.dc.onmessage = (ev: MessageEvent) => handler(typeof ev.data === 'string' ? ev.data : new Uint8Array(ev.data as ArrayBuffer))
  }

  close(): void {
    this.dc.close()
  }
}
