import geckos from '@geckos.io/client'
import { engineSchema, PROTOCOL_VERSION } from '../../shared/protocol/engine'
import { encodeMessage, HEADROOM } from '../../shared/schema/index'

/**
 * A hostile client: speaks WebRTC to our server like GameClient does, but sends whatever bytes a
 * test gives it, on either channel, bypassing every check our own client would make.
 */
export class RawClient {
  private unreliable!: RTCDataChannel
  private reliable!: RTCDataChannel
  private peer!: RTCPeerConnection
  private seq = 0
  closed = false
  /** Everything the server sent on the reliable channel (chunks as they arrived). */
  received: Uint8Array[] = []

  static async connect(url: string, options: { hello?: { fingerprint: string } } = {}): Promise<RawClient> {
    const c = new RawClient()
    const u = new URL(url)
    const channel = geckos({ url: `${u.protocol}//${u.hostname}`, port: Number(u.port) })
    await new Promise<void>((resolve, reject) => void channel.onConnect((err) => (err ? reject(err) : resolve())))
    const internals = channel as unknown as { peerConnection: { localPeerConnection: RTCPeerConnection }; connectionsManager: { dataChannel: RTCDataChannel } }
    c.peer = internals.peerConnection.localPeerConnection
    c.unreliable = internals.connectionsManager.dataChannel
    c.reliable = internals.peerConnection.localPeerConnection.createDataChannel('reliable', { negotiated: true, id: 100 })
    c.reliable.binaryType = 'arraybuffer'
    if (c.reliable.readyState !== 'open') await new Promise((r) => c.reliable.addEventListener('open', r, { once: true }))
    c.reliable.onmessage = (ev: MessageEvent) => c.received.push(new Uint8Array(ev.data as ArrayBuffer))
    channel.onDisconnect(() => (c.closed = true))
    if (options.hello) {
      const hello = encodeMessage(engineSchema.byName.get('hello')!, { protocol: PROTOCOL_VERSION, fingerprint: options.hello.fingerprint })
      c.sendReliableFrame(hello.subarray(HEADROOM))
    }
    return c
  }

  /** `frame` = `[id][payload]`; a sequence number is put in front. */
  sendUnreliableFrame(frame: Uint8Array): void {
    const bytes = new Uint8Array(frame.byteLength + 2)
    bytes[0] = this.seq & 0xff
    bytes[1] = this.seq >> 8
    this.seq = (this.seq + 1) & 0xffff
    bytes.set(frame, 2)
    this.sendRawUnreliable(bytes)
  }

  /** `frame` = `[id][payload]`, sent whole (fragment flag 0). */
  sendReliableFrame(frame: Uint8Array): void {
    const bytes = new Uint8Array(frame.byteLength + 1)
    bytes.set(frame, 1)
    this.sendRawReliable(bytes)
  }

  sendRawUnreliable(bytes: Uint8Array | string): void {
    if (this.unreliable.readyState === 'open') this.unreliable.send(bytes as string)
  }

  sendRawReliable(bytes: Uint8Array | string): void {
    if (this.reliable.readyState === 'open') this.reliable.send(bytes as string)
  }

  /** Bytes accepted by send() on both channels but not yet on the wire. */
  bufferedAmount(): number {
    return this.unreliable.bufferedAmount + this.reliable.bufferedAmount
  }

  /** Closes the peer connection (the server notices through its own disconnect detection). */
  close(): void {
    this.closed = true
    try {
      this.peer.close()
    } catch {
      // already closed
    }
  }
}
