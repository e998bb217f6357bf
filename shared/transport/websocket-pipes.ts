import type { DataPipe } from './pipe'

/**
 * What both ends' WebSockets share: the browser's, and the `ws` package's in Node (server side and
 * Node clients), with `binaryType = 'arraybuffer'`.
 */
export interface SocketLike {
  send(data: Uint8Array<ArrayBuffer>): void
  readonly bufferedAmount: number
  readonly readyState: number
}

/** First byte of every WebSocket frame: which of the two channels it belongs to. */
export const enum SocketChannel {
  Unreliable = 0,
  Reliable = 1,
}

const OPEN = 1
const POLL_MS = 5
const EARLY_FRAMES = 64
/** One WebSocket frame; reliable messages are already cut into chunks far smaller than this. */
export const SOCKET_MAX_MESSAGE = 64 * 1024

/**
 * Both channels of a Link over one WebSocket (the fallback where UDP is blocked). TCP delivers
 * everything in order, so the reliable pipe is a plain send. The unreliable pipe must not let state
 * pile up behind a slow socket: while the socket's buffer holds data, a newer unreliable frame of a
 * message replaces the older unsent one of the same message (latest wins), and the survivors go out
 * once the buffer has drained.
 */
export class WebSocketPipes {
  readonly unreliable: DataPipe
  readonly reliable: DataPipe
  /** Unreliable frames replaced by a newer one before they could be sent. */
  superseded = 0
  private handlers: [((f: Uint8Array | string) => void) | undefined, ((f: Uint8Array | string) => void) | undefined] = [undefined, undefined]
  private early: [SocketChannel, Uint8Array][] = []
  /** Latest unsent unreliable frame per message id (frame[2]; the first two bytes are the sequence). */
  private pending = new Map<number, Uint8Array>()
  private flushTimer: ReturnType<typeof setTimeout> | undefined
  private closed = false

  constructor(private readonly socket: SocketLike) {
    const pipes = this
    this.unreliable = {
      maxMessageSize: SOCKET_MAX_MESSAGE,
      send: (bytes) => pipes.sendUnreliable(bytes),
      bufferedAmount: () => 0, // never refuse: replacement keeps it bounded
      onBufferedAmountLow: (_t, onLow) => queueMicrotask(onLow),
      onMessage: (h) => pipes.listen(SocketChannel.Unreliable, h),
    }
    this.reliable = {
      maxMessageSize: SOCKET_MAX_MESSAGE,
      send: (bytes) => pipes.sendTagged(SocketChannel.Reliable, bytes),
      bufferedAmount: () => socket.bufferedAmount,
      onBufferedAmountLow: (threshold, onLow) => pipes.whenBelow(threshold, onLow),
      onMessage: (h) => pipes.listen(SocketChannel.Reliable, h),
    }
  }

  /** Feed every frame the socket receives. Text frames and unknown tags go to the reliable side, which refuses them. */
  receive(data: ArrayBuffer | Uint8Array | string): void {
    if (this.closed) return
    if (typeof data === 'string') return this.deliver(SocketChannel.Reliable, data)
    const bytes = data instanceof Uint8Array ? data : new Uint8Array(data)
    if (bytes.byteLength === 0) return
    const channel = bytes[0] === SocketChannel.Unreliable ? SocketChannel.Unreliable : SocketChannel.Reliable
    if (bytes[0] !== SocketChannel.Unreliable && bytes[0] !== SocketChannel.Reliable) return this.deliver(channel, '')
    this.deliver(channel, bytes.subarray(1))
  }

  /** Stops the flush timer and drops what is pending. */
  close(): void {
    this.closed = true
    this.pending.clear()
    clearTimeout(this.flushTimer)
  }

  private deliver(channel: SocketChannel, frame: Uint8Array | string): void {
    const handler = this.handlers[channel]
    if (handler) handler(frame)
    else if (typeof frame !== 'string' && this.early.length < EARLY_FRAMES) this.early.push([channel, frame])
  }

  private listen(channel: SocketChannel, handler: (f: Uint8Array | string) => void): void {
    this.handlers[channel] = handler
    const mine = this.early.filter(([c]) => c === channel)
    this.early = this.early.filter(([c]) => c !== channel)
    for (const [, f] of mine) handler(f)
  }

  private sendTagged(channel: SocketChannel, bytes: Uint8Array): void {
    if (this.closed || this.socket.readyState !== OPEN) return
    const frame = new Uint8Array(bytes.byteLength + 1)
    frame[0] = channel
    frame.set(bytes, 1)
    this.socket.send(frame)
  }

  private sendUnreliable(bytes: Uint8Array): void {
    if (this.socket.bufferedAmount === 0 && this.pending.size === 0) return this.sendTagged(SocketChannel.Unreliable, bytes)
    const key = bytes[2] ?? 0
    if (this.pending.has(key)) this.superseded++
    this.pending.set(key, bytes.slice())
    this.scheduleFlush()
  }

  private scheduleFlush(): void {
    if (this.flushTimer !== undefined || this.closed) return
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined
      if (this.socket.bufferedAmount > 0) return this.scheduleFlush()
      const frames = [...this.pending.values()]
      this.pending.clear()
      for (const f of frames) this.sendTagged(SocketChannel.Unreliable, f)
    }, POLL_MS)
  }

  /** WebSockets have no "buffer low" event: poll until the socket's buffer is small enough. */
  private whenBelow(threshold: number, onLow: () => void): void {
    const check = () => {
      if (this.closed) return
      if (this.socket.bufferedAmount <= threshold) return onLow()
      setTimeout(check, POLL_MS)
    }
    check()
  }
}
