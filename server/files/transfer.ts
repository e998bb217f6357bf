import type { FileDeclarations } from '../../shared/files/file-messages'
import type { Schema } from '../../shared/schema/index'
import type { ServerConnection } from '../transport/server-connection'

export type FileSchema = Schema<FileDeclarations>
export type FileConn = ServerConnection<FileSchema>

export interface FileRelayOptions {
  /** Offers above this are refused ('too-large'). */
  maxFileBytes: number
  /** Bytes a sender may have in flight beyond what the slowest receiver acknowledged. */
  windowBytes: number
  /** Receivers that have not answered by then count as declined. */
  answerTimeoutMs: number
  /** A started transfer with no chunk and no ack for this long is dropped ('timeout'). */
  idleTimeoutMs: number
  /** Transfers one peer may have going as sender (offered or started). */
  maxTransfersPerSender: number
  /** Unanswered offers one peer may have waiting; more are refused for that receiver. */
  maxPendingOffersPerReceiver: number
  /** Transfers on the whole server. */
  maxTransfers: number
  /** A room offer reaches at most this many peers. */
  maxRoomReceivers: number
  /** Clock for timeouts (ms, monotonic). */
  now: () => number
  /** How often timeouts are checked. */
  sweepIntervalMs: number
}

export const DEFAULT_FILE_RELAY: FileRelayOptions = {
  maxFileBytes: 50 * 1024 * 1024,
  windowBytes: 256 * 1024,
  answerTimeoutMs: 60_000,
  idleTimeoutMs: 15_000,
  maxTransfersPerSender: 4,
  maxPendingOffersPerReceiver: 8,
  maxTransfers: 256,
  maxRoomReceivers: 32,
  now: () => performance.now(),
  sweepIntervalMs: 1000,
}

export interface Receiver {
  readonly peer: string
  /** The connection the offer went to: if the peer resumes on another one, this transfer is over for it. */
  readonly conn: FileConn
  state: 'pending' | 'accepted'
  /** Bytes this receiver confirmed. */
  acked: number
}

/** One transfer's relay state: counters and who is in it, never the file's bytes. */
export interface Transfer {
  readonly key: string
  readonly id: string
  readonly sender: string
  readonly senderConn: FileConn
  readonly size: number
  readonly receivers: Map<string, Receiver>
  readonly answerDeadline: number
  started: boolean
  /** Bytes received from the sender and passed on. */
  relayed: number
  /** The last `acked` sent to the sender in a `fileCredit`. */
  credited: number
  /** Receivers whose outgoing queue is full: credit waits until they drain. */
  readonly blocked: Set<Receiver>
  lastProgress: number
}

export const transferKey = (sender: string, transferId: string) => `${sender}\n${transferId}`

/** What the slowest receiver still in the transfer confirmed; the sender's window is measured from it. */
export function slowestAck(t: Transfer): number {
  let min = t.relayed
  for (const r of t.receivers.values()) if (r.state === 'accepted' && r.acked < min) min = r.acked
  return min
}

export function hasPending(t: Transfer): boolean {
  for (const r of t.receivers.values()) if (r.state === 'pending') return true
  return false
}
