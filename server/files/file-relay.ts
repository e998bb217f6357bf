import { fileMessages, MAX_FILE_CHUNK_BYTES, MIME_TYPE, SHA256_HEX, TRANSFER_ID, type FileCancelReason, type FileDeclarations } from '../../shared/files/file-messages'
import { requireMessages } from '../../shared/schema/require'
import { sanitizeFileName } from '../../shared/files/sanitize-name'
import { encodeMessage, type Payload, type Schema } from '../../shared/schema/index'
import type { PeerDirectory } from '../lobby/directory'
import type { GameServer } from '../transport/game-server'
import { DEFAULT_FILE_RELAY, hasPending, slowestAck, transferKey, type FileConn, type FileRelayOptions, type FileSchema, type Receiver, type Transfer } from './transfer'

export interface FileRelayStats {
  offered: number
  completed: number
  bytesRelayed: number
  /** Transfers that ended early, by reason. */
  cancelled: Partial<Record<FileCancelReason, number>>
  /** Messages ignored: unknown transfer, not a peer, out of turn. */
  ignored: number
}

type Msg<N extends keyof FileDeclarations & string> = Payload<FileSchema, N>

/**
 * Relays files between peers without keeping them: each chunk is passed on as it arrives, and the
 * sender may only run `windowBytes` ahead of the slowest receiver's acknowledgements (credit flow
 * control), so one transfer holds at most a window per receiver in the server's queues and chat or
 * game messages on the same connection wait behind at most that much.
 */
export class FileRelay<S extends Schema<FileDeclarations>> {
  readonly options: FileRelayOptions
  readonly stats: FileRelayStats = { offered: 0, completed: 0, bytesRelayed: 0, cancelled: {}, ignored: 0 }
  private readonly server: GameServer<FileSchema>
  private transfers = new Map<string, Transfer>()
  private watched = new WeakSet<FileConn>()
  private unsubscribe: (() => void)[] = []
  private sweeper: ReturnType<typeof setInterval>

  constructor(
    server: GameServer<S>,
    private readonly directory: PeerDirectory,
    options: Partial<FileRelayOptions> = {},
  ) {
    requireMessages(server.schema, fileMessages, 'FileRelay')
    // Checked above: the app's schema declares these messages exactly as fileMessages does.
    this.server = server as unknown as GameServer<FileSchema>
    this.options = { ...DEFAULT_FILE_RELAY, ...options }
    const s = this.server
    this.unsubscribe.push(
      s.on('fileOffer', (d, c) => this.withPeer(c, (p) => this.offer(d, c, p))),
      s.on('fileAnswer', (d, c) => this.withPeer(c, (p) => this.answer(d, p))),
      s.on('fileChunk', (d, c) => this.withPeer(c, (p) => this.chunk(d, p))),
      s.on('fileAck', (d, c) => this.withPeer(c, (p) => this.ack(d, p))),
      s.on('fileCancel', (d, c) => this.withPeer(c, (p) => this.cancel(d, p))),
      directory.onPeerLeft((peer) => this.gone((t) => t.sender === peer, (r) => r.peer === peer)),
    )
    this.sweeper = setInterval(() => this.sweep(), this.options.sweepIntervalMs)
    this.sweeper.unref?.()
  }

  /** Transfers offered or running; 0 once every one finished, was declined or cancelled. */
  get activeTransfers(): number {
    return this.transfers.size
  }

  close(): void {
    clearInterval(this.sweeper)
    for (const off of this.unsubscribe) off()
    for (const t of [...this.transfers.values()]) this.end(t, 'cancelled')
  }

  // ---- handlers ---------------------------------------------------------------------------------

  private offer(d: Msg<'fileOffer'>, conn: FileConn, sender: string): void {
    const refuse = (reason: FileCancelReason) => {
      this.count(reason)
      conn.send('fileCancelled', { transferId: d.transferId, reason })
    }
    const o = this.options
    if (!TRANSFER_ID.test(d.transferId) || !SHA256_HEX.test(d.sha256) || d.size === 0) return refuse('invalid')
    if (d.size > o.maxFileBytes) return refuse('too-large')
    const key = transferKey(sender, d.transferId)
    if (this.transfers.has(key)) return refuse('invalid')
    if (this.transfers.size >= o.maxTransfers || this.sendingCount(sender) >= o.maxTransfersPerSender) return refuse('busy')
    const targets = (d.to === 'room' ? this.roomPeers(sender) : [d.to]).filter((p) => p !== sender && this.pendingOffers(p) < o.maxPendingOffersPerReceiver)
    const now = o.now()
    const t: Transfer = {
      key,
      id: d.transferId,
      sender,
      senderConn: conn,
      size: d.size,
      receivers: new Map(),
      answerDeadline: now + o.answerTimeoutMs,
      started: false,
      relayed: 0,
      credited: 0,
      blocked: new Set(),
      lastProgress: now,
    }
    for (const peer of targets.slice(0, o.maxRoomReceivers)) {
      const rc = this.connOf(peer)
      if (rc) t.receivers.set(peer, { peer, conn: rc, state: 'pending', acked: 0 })
    }
    if (t.receivers.size === 0) return refuse(d.to === 'room' ? 'no-receivers' : this.connOf(d.to) ? 'busy' : this.directory.hostedElsewhere?.(d.to) ? 'other-node' : 'no-receivers')
    this.transfers.set(key, t)
    this.stats.offered++
    // The name is cleaned here too, so clients of any make never see a hostile one.
    const incoming: Msg<'fileIncoming'> = {
      from: sender,
      fromName: (this.directory.nameOf(sender) ?? sender).slice(0, 64),
      transferId: d.transferId,
      name: sanitizeFileName(d.name),
      size: d.size,
      sha256: d.sha256,
      mime: MIME_TYPE.test(d.mime) ? d.mime.toLowerCase() : 'application/octet-stream',
      toRoom: d.to === 'room',
    }
    this.watch(conn)
    for (const r of t.receivers.values()) {
      this.watch(r.conn)
      r.conn.send('fileIncoming', incoming)
    }
  }

  private answer(d: Msg<'fileAnswer'>, peer: string): void {
    const t = this.transfers.get(transferKey(d.sender, d.transferId))
    const r = t?.receivers.get(peer)
    if (!t || !r || r.state !== 'pending') return void this.stats.ignored++
    if (d.accept) r.state = 'accepted'
    else t.receivers.delete(peer)
    t.senderConn.send('filePeer', { transferId: t.id, peer, state: d.accept ? 'accepted' : 'declined' })
    this.maybeStart(t)
  }

  private chunk(d: Msg<'fileChunk'>, sender: string): void {
    const t = this.transfers.get(transferKey(sender, d.transferId))
    if (!t) return void this.stats.ignored++ // e.g. chunks still in flight after a cancel
    const n = d.data.byteLength
    const inFlight = t.relayed + n - slowestAck(t)
    // Out of turn, out of order, past the size or past the window: a broken or hostile sender.
    if (!t.started || d.offset !== t.relayed || n === 0 || t.relayed + n > t.size || inFlight > this.options.windowBytes + MAX_FILE_CHUNK_BYTES)
      return this.end(t, 'protocol', true)
    t.relayed += n
    t.lastProgress = this.options.now()
    this.stats.bytesRelayed += n
    const spec = this.server.schema.byName.get('fileData')!
    const encoded = encodeMessage(spec, { sender, transferId: t.id, offset: d.offset, data: d.data })
    for (const r of t.receivers.values()) {
      if (r.state !== 'accepted' || r.conn.sendEncoded(spec, encoded) || t.blocked.has(r)) continue
      // The receiver's queue is backing up: hold the sender's credit until it drains.
      t.blocked.add(r)
      void r.conn.drained().then(() => {
        t.blocked.delete(r)
        this.credit(t)
      })
    }
  }

  private ack(d: Msg<'fileAck'>, peer: string): void {
    const t = this.transfers.get(transferKey(d.sender, d.transferId))
    const r = t?.receivers.get(peer)
    if (!t || !r || r.state !== 'accepted') return void this.stats.ignored++
    if (d.bytes < r.acked || d.bytes > t.relayed) return this.dropReceiver(t, r, 'cancelled', true)
    r.acked = d.bytes
    t.lastProgress = this.options.now()
    if (d.bytes === t.size) {
      t.receivers.delete(peer)
      t.blocked.delete(r)
      t.senderConn.send('filePeer', { transferId: t.id, peer, state: 'done' })
      if (t.receivers.size === 0) {
        this.transfers.delete(t.key)
        this.stats.completed++
        return void t.senderConn.send('fileDone', { transferId: t.id })
      }
    }
    this.credit(t)
  }

  private cancel(d: Msg<'fileCancel'>, peer: string): void {
    if (d.sender === undefined) {
      const t = this.transfers.get(transferKey(peer, d.transferId))
      return t ? this.end(t, 'cancelled', false) : void this.stats.ignored++
    }
    const t = this.transfers.get(transferKey(d.sender, d.transferId))
    const r = t?.receivers.get(peer)
    if (!t || !r) return void this.stats.ignored++
    this.dropReceiver(t, r, r.state === 'pending' ? 'declined' : 'cancelled', false)
  }

  // ---- state changes ----------------------------------------------------------------------------

  /** Starts once nobody is left to answer; with nobody accepting, the offer was declined. */
  private maybeStart(t: Transfer): void {
    if (t.started || hasPending(t)) return
    if (t.receivers.size === 0) return this.end(t, 'declined')
    t.started = true
    t.lastProgress = this.options.now()
    t.senderConn.send('fileStart', { transferId: t.id, receivers: t.receivers.size, window: this.options.windowBytes })
  }

  /** Sends the sender the slowest receiver's progress when it moved and nobody's queue is full. */
  private credit(t: Transfer): void {
    if (!this.transfers.has(t.key) || t.blocked.size > 0) return
    const acked = slowestAck(t)
    if (acked <= t.credited) return
    t.credited = acked
    t.senderConn.send('fileCredit', { transferId: t.id, acked })
  }

  /** One receiver is out (declined, cancelled, left); the transfer goes on for the others. */
  private dropReceiver(t: Transfer, r: Receiver, why: 'declined' | 'cancelled' | 'left', tellReceiver: boolean): void {
    t.receivers.delete(r.peer)
    t.blocked.delete(r)
    if (tellReceiver) r.conn.send('fileCancelled', { transferId: t.id, sender: t.sender, reason: why === 'left' ? 'peer-left' : 'protocol' })
    t.senderConn.send('filePeer', { transferId: t.id, peer: r.peer, state: why })
    if (!t.started) return this.maybeStart(t)
    if (t.receivers.size === 0) return this.end(t, why === 'left' ? 'peer-left' : 'cancelled')
    this.credit(t)
  }

  /** Forgets a transfer and tells whoever is still in it (the sender only if it did not cause the end itself). */
  private end(t: Transfer, reason: FileCancelReason, tellSender = true): void {
    if (!this.transfers.delete(t.key)) return
    this.count(reason)
    if (tellSender) t.senderConn.send('fileCancelled', { transferId: t.id, reason })
    for (const r of t.receivers.values()) r.conn.send('fileCancelled', { transferId: t.id, sender: t.sender, reason })
  }

  /** A sender or receiver went away (left the lobby, or its connection closed). */
  private gone(isSender: (t: Transfer) => boolean, isReceiver: (r: Receiver) => boolean): void {
    for (const t of [...this.transfers.values()]) {
      if (isSender(t)) {
        this.end(t, 'peer-left', false)
        continue
      }
      for (const r of [...t.receivers.values()]) if (isReceiver(r) && this.transfers.has(t.key)) this.dropReceiver(t, r, 'left', false)
    }
  }

  private sweep(): void {
    const now = this.options.now()
    for (const t of [...this.transfers.values()]) {
      if (t.started && now - t.lastProgress > this.options.idleTimeoutMs) this.end(t, 'timeout')
      else if (!t.started && now > t.answerDeadline)
        for (const r of [...t.receivers.values()]) {
          if (r.state !== 'pending' || !this.transfers.has(t.key)) continue
          r.conn.send('fileCancelled', { transferId: t.id, sender: t.sender, reason: 'timeout' })
          this.dropReceiver(t, r, 'declined', false)
        }
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private withPeer(conn: FileConn, fn: (peer: string) => void): void {
    const peer = this.directory.peerIdOf(conn)
    if (peer === undefined) return void this.stats.ignored++
    fn(peer)
  }

  private connOf(peer: string): FileConn | undefined {
    const conn = this.directory.connectionOf(peer)
    return conn && !conn.closed ? (conn as unknown as FileConn) : undefined
  }

  /** Peers in the sender's room, found through the server's connections (the directory lists no rooms). */
  private roomPeers(sender: string): string[] {
    const room = this.directory.roomOf(sender)
    if (room === undefined) return []
    const peers: string[] = []
    for (const conn of this.server.connections.values()) {
      const peer = this.directory.peerIdOf(conn)
      if (peer !== undefined && this.directory.roomOf(peer) === room) peers.push(peer)
    }
    return peers
  }

  private watch(conn: FileConn): void {
    if (this.watched.has(conn)) return
    this.watched.add(conn)
    conn.events.on('close', () => this.gone((t) => t.senderConn === conn, (r) => r.conn === conn))
  }

  private sendingCount(peer: string): number {
    let n = 0
    for (const t of this.transfers.values()) if (t.sender === peer) n++
    return n
  }

  private pendingOffers(peer: string): number {
    let n = 0
    for (const t of this.transfers.values()) if (t.receivers.get(peer)?.state === 'pending') n++
    return n
  }

  private count(reason: FileCancelReason): void {
    this.stats.cancelled[reason] = (this.stats.cancelled[reason] ?? 0) + 1
  }
}
