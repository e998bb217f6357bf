import nodeDataChannel, { type DataChannel, type PeerConnection } from 'node-datachannel'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DataChannelPipe } from '../../../server/transport/datachannel-pipe'


/**
 * DataChannelPipe asks libdatachannel for the buffered amount only while a send of its own may be
 * queued (a send that returns true flushed the whole queue). Checked against the real channel, with
 * a reliable channel on the same association flooded so unreliable sends do get queued.
 */
describe('DataChannelPipe over real node-datachannel channels', () => {
  let a: PeerConnection
  let b: PeerConnection
  let unreliable: DataChannel
  let reliable: DataChannel
  const remote: DataChannel[] = []
  let received = 0

  beforeAll(async () => {
    a = new nodeDataChannel.PeerConnection('pipe-a', { iceServers: [], bindAddress: '127.0.0.1' })
    b = new nodeDataChannel.PeerConnection('pipe-b', { iceServers: [], bindAddress: '127.0.0.1' })
    a.onLocalDescription((sdp, type) => b.setRemoteDescription(sdp, type))
    a.onLocalCandidate((c, mid) => b.addRemoteCandidate(c, mid))
    b.onLocalDescription((sdp, type) => a.setRemoteDescription(sdp, type))
    b.onLocalCandidate((c, mid) => a.addRemoteCandidate(c, mid))
    b.onDataChannel((dc) => {
      remote.push(dc)
      dc.onMessage(() => received++)
    })
    unreliable = a.createDataChannel('u', { unordered: true, maxRetransmits: 0 })
    reliable = a.createDataChannel('r')
    await Promise.all([unreliable, reliable].map((dc) => new Promise<void>((resolve) => dc.onOpen(() => resolve()))))
  }, 20_000)

  afterAll(() => {
    for (const dc of [...remote, unreliable, reliable]) dc?.close()
    a?.close()
    b?.close()
  })

  it('reports what the channel reports, idle and while sends are queued', async () => {
    const pipe = new DataChannelPipe(unreliable)
    const frame = new Uint8Array(1000)
    let queuedSeen = 0
    // Bounded: until the unreliable channel has been seen queuing in a few rounds (usually the first).
    for (let round = 0; round < 200 && (round < 5 || queuedSeen === 0); round++) {
      for (let i = 0; i < 2000 && reliable.bufferedAmount() < 2_000_000; i++) reliable.sendMessageBinary(Buffer.alloc(1000))
      for (let i = 0; i < 50; i++) {
        pipe.send(frame)
        const native = unreliable.bufferedAmount()
        expect(pipe.bufferedAmount()).toBe(native)
        if (native > 0) queuedSeen++
      }
      await new Promise((r) => setTimeout(r, 5))
      expect(pipe.bufferedAmount()).toBe(unreliable.bufferedAmount())
    }
    // The flood did queue unreliable sends, so both branches were checked.
    expect(queuedSeen).toBeGreaterThan(0)
    expect(received).toBeGreaterThan(0)
  }, 30_000)

  it('drops a send made before the connection is up, and sends once the channel is open', async () => {
    // As the server's reliable channel: created with the peer connection, before ICE and SCTP exist.
    const c = new nodeDataChannel.PeerConnection('pipe-c', { iceServers: [], bindAddress: '127.0.0.1' })
    const d = new nodeDataChannel.PeerConnection('pipe-d', { iceServers: [], bindAddress: '127.0.0.1' })
    const far: DataChannel[] = []
    let got = 0
    d.onDataChannel((dc) => {
      far.push(dc)
      dc.onMessage(() => got++)
    })
    c.onLocalDescription((sdp, type) => d.setRemoteDescription(sdp, type))
    c.onLocalCandidate((cand, mid) => d.addRemoteCandidate(cand, mid))
    d.onLocalDescription((sdp, type) => c.setRemoteDescription(sdp, type))
    d.onLocalCandidate((cand, mid) => c.addRemoteCandidate(cand, mid))
    // Creating the channel starts the negotiation; the send below runs before any of it can complete.
    const dc = c.createDataChannel('early')
    const opened = new Promise<void>((resolve) => dc.onOpen(() => resolve()))
    const pipe = new DataChannelPipe(dc)
    expect(() => pipe.send(new Uint8Array(10))).not.toThrow()
    await opened
    for (let i = 0; i < 20 && got === 0; i++) {
      pipe.send(new Uint8Array(10))
      await new Promise((r) => setTimeout(r, 50))
    }
    expect(got).toBeGreaterThan(0)
    for (const x of [...far, dc]) x.close()
    c.close()
    d.close()
  }, 20_000)

  it('drops sends once the channel has closed, without throwing', async () => {
    const dc = a.createDataChannel('closing', { unordered: true, maxRetransmits: 0 })
    await new Promise<void>((resolve) => dc.onOpen(() => resolve()))
    const pipe = new DataChannelPipe(dc)
    pipe.send(new Uint8Array(10))
    dc.close()
    expect(() => {
      for (let i = 0; i < 5; i++) pipe.send(new Uint8Array(10))
    }).not.toThrow()
    expect(pipe.bufferedAmount()).toBe(0)
  })
})
