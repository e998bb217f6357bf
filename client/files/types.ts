import type { FileCancelReason, FilePeerState } from '../../shared/files/file-messages'

export interface FileClientOptions {
  /** Offers above this are declined without asking, and `send` refuses such files. */
  maxFileBytes: number
  /** Bytes per `fileChunk` (at most MAX_FILE_CHUNK_BYTES). */
  chunkBytes: number
}

export const DEFAULT_FILE_CLIENT: FileClientOptions = {
  maxFileBytes: 50 * 1024 * 1024,
  chunkBytes: 32 * 1024,
}

export interface OutgoingFile {
  name: string
  bytes: Uint8Array
  mime?: string
}

/** An offer waiting for the user: nothing moves until `accept()`. */
export interface FileOffer {
  readonly transferId: string
  readonly from: string
  readonly fromName: string
  /** Already sanitised (by the server, and again here). */
  readonly name: string
  readonly size: number
  readonly sha256: string
  readonly mime: string
  readonly toRoom: boolean
  accept(): void
  decline(): void
}

export interface FileProgress {
  readonly transferId: string
  readonly direction: 'send' | 'receive'
  /** The other end: the sender when receiving; the target (a peer id or 'room') when sending. */
  readonly peer: string
  /** Receiving: bytes arrived. Sending: bytes the slowest receiver confirmed. */
  readonly bytes: number
  readonly size: number
}

export interface ReceivedFile {
  readonly transferId: string
  readonly from: string
  readonly name: string
  readonly mime: string
  readonly bytes: Uint8Array
  readonly sha256: string
  /** Always true: a file whose hash does not match is never delivered. */
  readonly verified: true
}

export interface FileCancelled {
  readonly transferId: string
  readonly direction: 'send' | 'receive'
  readonly peer: string
  readonly reason: FileCancelReason
}

export interface FileClientEvents {
  offer: [FileOffer]
  progress: [FileProgress]
  /** A file arrived whole and matched its SHA-256. */
  complete: [ReceivedFile]
  /** Every receiver that accepted holds our file. */
  sent: [{ transferId: string; to: string }]
  /** One receiver of our transfer accepted, declined, cancelled, left or finished. */
  peer: [{ transferId: string; peer: string; state: FilePeerState }]
  cancelled: [FileCancelled]
  error: [{ transferId: string; message: string }]
}
