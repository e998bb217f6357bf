/**
 * What the link needs from one data channel: the server adapts node-datachannel's DataChannel, the
 * client the browser's (or the Node polyfill's) RTCDataChannel, and tests an in-memory pair.
 */
export interface DataPipe {
  send(bytes: Uint8Array): void
  /** Bytes accepted by send() but not yet handed to the network. */
  bufferedAmount(): number
  /** Calls `onLow` once bufferedAmount falls to `threshold` or below. */
  onBufferedAmountLow(threshold: number, onLow: () => void): void
  /** Binary frames arrive as bytes; text frames (which we never send) as strings. */
  onMessage(handler: (frame: Uint8Array | string) => void): void
  /** Largest message the channel accepts. */
  readonly maxMessageSize: number
  /**
   * `send` is done with the bytes when it returns (it copied them): the caller may reuse its buffer
   * for the next message. Unset: the pipe may keep a reference, so each send needs bytes of its own.
   */
  readonly copiesOnSend?: boolean
}
