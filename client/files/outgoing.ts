/**
 * One file we send: offered, then pushed within the window the server granted, each `fileCredit`
 * (the slowest receiver's confirmed bytes) opening it again.
 */
export class Outgoing {
  state: 'hashing' | 'offered' | 'sending' = 'hashing'
  window = 0
  sent = 0
  acked = 0
  private pumping = false
  done = false

  constructor(
    readonly transferId: string,
    readonly to: string,
    readonly bytes: Uint8Array,
    private readonly chunkBytes: number,
    /** Sends one chunk; false when the link's queue is backing up. */
    private readonly sendChunk: (offset: number, data: Uint8Array) => boolean,
    private readonly drained: () => Promise<void>,
  ) {}

  start(window: number): void {
    this.state = 'sending'
    this.window = window
    void this.pump()
  }

  /** Returns true when the confirmed count moved. */
  credit(acked: number): boolean {
    if (acked <= this.acked) return false
    this.acked = Math.min(acked, this.sent)
    void this.pump()
    return true
  }

  /** Sends while inside the window; waits for the link to drain when our own queue fills. */
  private async pump(): Promise<void> {
    if (this.pumping || this.state !== 'sending') return
    this.pumping = true
    try {
      const size = this.bytes.byteLength
      while (!this.done && this.sent < size && this.sent - this.acked < this.window) {
        const end = Math.min(size, this.sent + this.chunkBytes)
        const ok = this.sendChunk(this.sent, this.bytes.subarray(this.sent, end))
        this.sent = end
        if (!ok) await this.drained()
      }
    } finally {
      this.pumping = false
    }
  }
}
