import { fileMessages, MAX_FILE_CHUNK_BYTES, type FileCancelReason, type FileDeclarations } from '../../shared/files/file-messages'
import { requireMessages } from '../../shared/schema/require'
import { sanitizeFileName } from '../../shared/files/sanitize-name'
import { sha256Hex } from '../../shared/files/sha256'
import type { Payload, Schema } from '../../shared/schema/index'
import { Emitter } from '../../shared/transport/emitter'
import type { GameClient } from '../transport/game-client'
import { Incoming } from './incoming'
import { Outgoing } from './outgoing'
import { DEFAULT_FILE_CLIENT, type FileClientEvents, type FileClientOptions, type OutgoingFile } from './types'

type FileSchema = Schema<FileDeclarations>
type Msg<N extends keyof FileDeclarations & string> = Payload<FileSchema, N>
const key = (from: string, transferId: string) => `${from}\n${transferId}`

/**
 * Sends and receives files through the server's FileRelay. Create it after `client.connect()`.
 * Receiving: listen to `offer` and call `accept()` or `decline()` (with no listener, offers are
 * declined); the file arrives as `complete` only if its SHA-256 matches the offer.
 */
export class FileClient<S extends Schema<FileDeclarations>> {
  readonly events = new Emitter<FileClientEvents>()
  readonly options: FileClientOptions
  private readonly client: GameClient<FileSchema>
  private outgoing = new Map<string, Outgoing>()
  private incoming = new Map<string, Incoming>()
  private unsubscribe: (() => void)[]

  constructor(client: GameClient<S>, options: Partial<FileClientOptions> = {}) {
    requireMessages(client.schema, fileMessages, 'FileClient')
    // Checked above: the app's schema declares these messages exactly as fileMessages does.
    this.client = client as unknown as GameClient<FileSchema>
    this.options = { ...DEFAULT_FILE_CLIENT, ...options }
    this.options.chunkBytes = Math.max(1024, Math.min(MAX_FILE_CHUNK_BYTES, this.options.chunkBytes))
    const c = this.client
    this.unsubscribe = [
      c.on('fileIncoming', (d) => this.onIncoming(d)),
      c.on('fileStart', (d) => this.outgoing.get(d.transferId)?.start(d.window)),
      c.on('fileCredit', (d) => this.onCredit(d)),
      c.on('filePeer', (d) => this.outgoing.has(d.transferId) && this.events.emit('peer', d)),
      c.on('fileData', (d) => void this.onData(d)),
      c.on('fileDone', (d) => this.onDone(d)),
      c.on('fileCancelled', (d) => this.onCancelled(d)),
      c.events.on('disconnect', () => this.dropAll()),
    ]
  }

  /**
   * Offers a file to one peer or to everyone in our room; returns its transfer id at once (the
   * offer leaves after hashing). Follow it with `peer`, `progress`, `sent` or `cancelled`.
   */
  send(file: OutgoingFile, to: string): string {
    const transferId = randomId()
    const size = file.bytes.byteLength
    if (size === 0 || size > this.options.maxFileBytes) {
      const reason: FileCancelReason = size === 0 ? 'invalid' : 'too-large'
      queueMicrotask(() => this.events.emit('cancelled', { transferId, direction: 'send', peer: to, reason }))
      return transferId
    }
    const out = new Outgoing(
      transferId,
      to,
      file.bytes,
      this.options.chunkBytes,
      (offset, data) => this.client.send('fileChunk', { transferId, offset, data }),
      () => this.client.drained(),
    )
    this.outgoing.set(transferId, out)
    void sha256Hex(file.bytes).then((sha256) => {
      if (this.outgoing.get(transferId) !== out) return // cancelled while hashing
      out.state = 'offered'
      const name = sanitizeFileName(file.name)
      this.client.send('fileOffer', { transferId, to, name, size, sha256, mime: file.mime ?? 'application/octet-stream' })
    })
    return transferId
  }

  /** Cancels our transfer, or one we receive (`from` tells which, if two senders used the same id). */
  cancel(transferId: string, from?: string): void {
    const out = from === undefined ? this.outgoing.get(transferId) : undefined
    if (out) {
      this.finishOutgoing(out)
      if (out.state !== 'hashing') this.client.send('fileCancel', { transferId })
      return this.events.emit('cancelled', { transferId, direction: 'send', peer: out.to, reason: 'cancelled' })
    }
    const inc = from === undefined ? [...this.incoming.values()].find((i) => i.transferId === transferId) : this.incoming.get(key(from, transferId))
    if (!inc) return
    this.incoming.delete(key(inc.from, transferId))
    this.client.send('fileCancel', { transferId, sender: inc.from })
    this.events.emit('cancelled', { transferId, direction: 'receive', peer: inc.from, reason: 'cancelled' })
  }

  /** Transfers in progress or waiting for an answer, both ways. */
  get activeTransfers(): number {
    return this.outgoing.size + this.incoming.size
  }

  dispose(): void {
    for (const off of this.unsubscribe) off()
    this.dropAll()
  }

  // ---- receiving --------------------------------------------------------------------------------

  private onIncoming(d: Msg<'fileIncoming'>): void {
    const k = key(d.from, d.transferId)
    if (this.incoming.has(k)) return
    const inc = new Incoming(d.from, d.transferId, sanitizeFileName(d.name), d.size, d.sha256, d.mime)
    const answer = (accept: boolean) => {
      if (this.incoming.get(k) !== inc || inc.state !== 'offered') return
      if (accept) inc.accept()
      else this.incoming.delete(k)
      this.client.send('fileAnswer', { sender: d.from, transferId: d.transferId, accept })
    }
    this.incoming.set(k, inc)
    if (d.size > this.options.maxFileBytes || !this.events.has('offer')) return answer(false)
    this.events.emit('offer', {
      transferId: d.transferId,
      from: d.from,
      fromName: d.fromName,
      name: inc.name,
      size: d.size,
      sha256: d.sha256,
      mime: d.mime,
      toRoom: d.toRoom,
      accept: () => answer(true),
      decline: () => answer(false),
    })
  }

  private async onData(d: Msg<'fileData'>): Promise<void> {
    const k = key(d.sender, d.transferId)
    const inc = this.incoming.get(k)
    if (!inc) return // chunks still in flight after we cancelled
    if (!inc.write(d.offset, d.data)) return this.abortIncoming(inc, 'protocol', `chunk at ${d.offset} does not follow ${inc.received} of ${inc.size}`)
    this.events.emit('progress', { transferId: d.transferId, direction: 'receive', peer: d.sender, bytes: inc.received, size: inc.size })
    if (!inc.complete) return void this.client.send('fileAck', { sender: d.sender, transferId: d.transferId, bytes: inc.received })
    // The last ack waits for the hash: the sender's `sent` then means "arrived intact".
    const sha256 = await sha256Hex(inc.buffer!)
    if (this.incoming.get(k) !== inc) return
    if (sha256 !== inc.sha256) return this.abortIncoming(inc, 'hash-mismatch', `SHA-256 ${sha256} does not match the offer's ${inc.sha256}`)
    this.incoming.delete(k)
    this.client.send('fileAck', { sender: d.sender, transferId: d.transferId, bytes: inc.size })
    this.events.emit('complete', { transferId: d.transferId, from: d.sender, name: inc.name, mime: inc.mime, bytes: inc.buffer!, sha256, verified: true })
  }

  private abortIncoming(inc: Incoming, reason: FileCancelReason, message: string): void {
    this.incoming.delete(key(inc.from, inc.transferId))
    this.client.send('fileCancel', { transferId: inc.transferId, sender: inc.from })
    this.events.emit('error', { transferId: inc.transferId, message })
    this.events.emit('cancelled', { transferId: inc.transferId, direction: 'receive', peer: inc.from, reason })
  }

  // ---- sending ----------------------------------------------------------------------------------

  private onCredit(d: Msg<'fileCredit'>): void {
    const out = this.outgoing.get(d.transferId)
    if (out?.credit(d.acked)) this.events.emit('progress', { transferId: d.transferId, direction: 'send', peer: out.to, bytes: out.acked, size: out.bytes.byteLength })
  }

  private onDone(d: Msg<'fileDone'>): void {
    const out = this.outgoing.get(d.transferId)
    if (!out) return
    this.finishOutgoing(out)
    const size = out.bytes.byteLength
    this.events.emit('progress', { transferId: d.transferId, direction: 'send', peer: out.to, bytes: size, size })
    this.events.emit('sent', { transferId: d.transferId, to: out.to })
  }

  private onCancelled(d: Msg<'fileCancelled'>): void {
    if (d.sender === undefined) {
      const out = this.outgoing.get(d.transferId)
      if (!out) return
      this.finishOutgoing(out)
      return this.events.emit('cancelled', { transferId: d.transferId, direction: 'send', peer: out.to, reason: d.reason })
    }
    if (!this.incoming.delete(key(d.sender, d.transferId))) return
    this.events.emit('cancelled', { transferId: d.transferId, direction: 'receive', peer: d.sender, reason: d.reason })
  }

  private finishOutgoing(out: Outgoing): void {
    out.done = true
    this.outgoing.delete(out.transferId)
  }

  /** The connection is gone: every transfer with it. */
  private dropAll(): void {
    for (const out of [...this.outgoing.values()]) {
      this.finishOutgoing(out)
      this.events.emit('cancelled', { transferId: out.transferId, direction: 'send', peer: out.to, reason: 'cancelled' })
    }
    for (const inc of [...this.incoming.values()]) this.events.emit('cancelled', { transferId: inc.transferId, direction: 'receive', peer: inc.from, reason: 'cancelled' })
    this.incoming.clear()
  }
}

function randomId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16))
  let id = ''
  for (const b of bytes) id += b.toString(16).padStart(2, '0')
  return id
}
