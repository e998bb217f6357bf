/** One file we receive: written in place into a buffer of the announced size, checked at the end. */
export class Incoming {
  state: 'offered' | 'receiving' = 'offered'
  buffer: Uint8Array | undefined
  received = 0

  constructor(
    readonly from: string,
    readonly transferId: string,
    readonly name: string,
    readonly size: number,
    readonly sha256: string,
    readonly mime: string,
  ) {}

  accept(): void {
    this.state = 'receiving'
    this.buffer = new Uint8Array(this.size)
  }

  /** Stores a chunk; false if it is not the next one or runs past the announced size. */
  write(offset: number, data: Uint8Array): boolean {
    if (this.state !== 'receiving' || !this.buffer || offset !== this.received || offset + data.byteLength > this.size) return false
    this.buffer.set(data, offset)
    this.received += data.byteLength
    return true
  }

  get complete(): boolean {
    return this.received === this.size
  }
}
