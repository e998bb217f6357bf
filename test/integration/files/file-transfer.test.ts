import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FileClient } from '../../../client/files/file-client'
import type { FileCancelled, FileOffer, FileProgress, ReceivedFile } from '../../../client/files/types'
import type { GameClient } from '../../../client/index'
import { FileRelay } from '../../../server/files/file-relay'
import { sleep, waitFor } from '../../support/real-net'
import { percentile, startApp, stopApp, type App, type AppSchema } from './support'

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
const bytes = (n: number, seed = 1) => new Uint8Array(n).map((_, i) => (i * 131 + seed * 7 + (i >> 13)) & 0xff)

interface Peer {
  client: GameClient<AppSchema>
  files: FileClient<AppSchema>
  id: string
  offers: FileOffer[]
  complete: ReceivedFile[]
  cancelled: FileCancelled[]
  progress: FileProgress[]
  sent: string[]
  /** Incoming fileData messages, counted below the FileClient: proves no data moved. */
  dataMessages: number
}

function peerOf(client: GameClient<AppSchema>, answer: 'accept' | 'decline' | 'wait'): Peer {
  const files = new FileClient(client)
  const p: Peer = { client, files, id: client.id, offers: [], complete: [], cancelled: [], progress: [], sent: [], dataMessages: 0 }
  files.events.on('offer', (o) => {
    p.offers.push(o)
    if (answer === 'accept') o.accept()
    if (answer === 'decline') o.decline()
  })
  files.events.on('complete', (f) => p.complete.push(f))
  files.events.on('cancelled', (c) => p.cancelled.push(c))
  files.events.on('progress', (e) => p.progress.push(e))
  files.events.on('sent', (s) => p.sent.push(s.transferId))
  client.on('fileData', () => p.dataMessages++)
  return p
}

describe('files relayed by the server', () => {
  let app: App
  let relay: FileRelay<AppSchema>
  let a: Peer, b: Peer, c: Peer, d: Peer

  beforeAll(async () => {
    app = await startApp(4)
    relay = new FileRelay(app.server, app.directory, { maxFileBytes: 8 * 1024 * 1024, idleTimeoutMs: 1000, sweepIntervalMs: 100 })
    const [ca, cb, cc, cd] = app.clients as [GameClient<AppSchema>, GameClient<AppSchema>, GameClient<AppSchema>, GameClient<AppSchema>]
    a = peerOf(ca, 'wait')
    b = peerOf(cb, 'accept')
    c = peerOf(cc, 'decline')
    d = peerOf(cd, 'accept')
    for (const p of [a, b, c]) app.directory.setRoom(p.id, 'r1')
    app.directory.setRoom(d.id, 'r2')
  })
  afterAll(async () => {
    relay?.close()
    await stopApp(app)
  })

  it('a 5 MB file arrives with a matching SHA-256 while chat keeps flowing', async () => {
    const file = bytes(5 * 1024 * 1024)
    const rtts: number[] = []
    for (const p of [a, b]) p.client.on('chat', (m) => rtts.push(performance.now() - m.sentAt))
    let seq = 0
    const chat = setInterval(() => {
      for (const p of [a, b]) p.client.send('chat', { seq: seq++, sentAt: performance.now(), text: 'still here' })
    }, 20)
    const start = performance.now()
    const id = a.files.send({ name: '../../etc/report\u202Egpj.exe', bytes: file, mime: 'application/pdf' }, b.id)
    await waitFor(() => b.complete.length === 1 && a.sent.includes(id), 15_000, 'file complete and acknowledged')
    const ms = performance.now() - start
    await sleep(100)
    clearInterval(chat)
    const got = b.complete[0]!
    expect(got.bytes.byteLength).toBe(file.byteLength)
    expect(got.sha256).toBe(sha(file))
    expect(sha(got.bytes)).toBe(sha(file))
    expect(got.verified).toBe(true)
    expect(got.name).toBe('reportgpj.exe')
    expect(got.mime).toBe('application/pdf')
    // Progress on both ends, ending at the full size.
    const recv = b.progress.filter((e) => e.transferId === id).map((e) => e.bytes)
    const sent = a.progress.filter((e) => e.transferId === id).map((e) => e.bytes)
    expect(recv.at(-1)).toBe(file.byteLength)
    expect(sent.at(-1)).toBe(file.byteLength)
    expect(recv.every((v, i) => i === 0 || v > recv[i - 1]!)).toBe(true)
    expect(relay.activeTransfers).toBe(0)
    rtts.sort((x, y) => x - y)
    const line = `5 MB in ${ms.toFixed(0)} ms (${((file.byteLength / ms) * 1000 / 1024 / 1024).toFixed(1)} MB/s); chat echoes during it: ${rtts.length}, p50 ${percentile(rtts, 50).toFixed(1)} ms, p99 ${percentile(rtts, 99).toFixed(1)} ms, max ${rtts.at(-1)!.toFixed(1)} ms`
    console.log(line)
    expect(rtts.length).toBeGreaterThan((ms / 20) * 2 * 0.5)
    expect(percentile(rtts, 99)).toBeLessThan(250)
  })

  it('three transfers into one peer at once leave its chat and game state flowing', async () => {
    const files = [bytes(2 * 1024 * 1024, 11), bytes(2 * 1024 * 1024, 12), bytes(2 * 1024 * 1024, 13)]
    const senders = [a, c, d]
    const rtts: number[] = []
    const stateAges: number[] = []
    b.client.on('chat', (m) => m.text === 'busy' && rtts.push(performance.now() - m.sentAt))
    b.client.on('state', (m) => stateAges.push(performance.now() - m.sentAt))
    const bConn = app.server.connections.get(b.id)!
    let seq = 0
    let states = 0
    const ticker = setInterval(() => {
      b.client.send('chat', { seq: seq++, sentAt: performance.now(), text: 'busy' })
      bConn.send('state', { seq: states++, sentAt: performance.now(), pad: new Uint8Array(200) })
    }, 33)
    const start = performance.now()
    const ids = senders.map((s, i) => s.files.send({ name: `part${i}.bin`, bytes: files[i]! }, b.id))
    await waitFor(() => ids.every((id, i) => senders[i]!.sent.includes(id)), 15_000, 'three transfers')
    const ms = performance.now() - start
    clearInterval(ticker)
    await sleep(100)
    for (const [i, id] of ids.entries()) expect(b.complete.find((f) => f.transferId === id)?.sha256).toBe(sha(files[i]!))
    rtts.sort((x, y) => x - y)
    stateAges.sort((x, y) => x - y)
    console.log(
      `3 x 2 MB into one peer in ${ms.toFixed(0)} ms; its chat echoes: ${rtts.length}, p99 ${percentile(rtts, 99).toFixed(1)} ms; ` +
        `state at 30 Hz: ${stateAges.length}/${states} arrived, age p99 ${percentile(stateAges, 99).toFixed(1)} ms`,
    )
    expect(percentile(rtts, 99)).toBeLessThan(250)
    expect(stateAges.length).toBeGreaterThanOrEqual(states * 0.9)
    expect(relay.activeTransfers).toBe(0)
  })

  it('a room offer reaches the room only; a decline there leaves the others going', async () => {
    const file = bytes(300_000, 2)
    const id = a.files.send({ name: 'map.bin', bytes: file }, 'room')
    const peerStates: string[] = []
    a.files.events.on('peer', (e) => e.transferId === id && peerStates.push(`${e.peer === b.id ? 'b' : e.peer === c.id ? 'c' : '?'}:${e.state}`))
    await waitFor(() => a.sent.includes(id), 10_000, 'room transfer sent')
    expect(b.complete.at(-1)?.sha256).toBe(sha(file))
    expect(c.offers.some((o) => o.transferId === id)).toBe(true)
    expect(c.complete.some((f) => f.transferId === id)).toBe(false)
    expect(d.offers.some((o) => o.transferId === id)).toBe(false)
    expect(peerStates).toEqual(expect.arrayContaining(['b:accepted', 'c:declined', 'b:done']))
    expect(relay.activeTransfers).toBe(0)
  })

  it('a decline moves no data and leaves no state on the server', async () => {
    const before = c.dataMessages
    const id = a.files.send({ name: 'nope.txt', bytes: bytes(100_000, 3) }, c.id)
    await waitFor(() => a.cancelled.some((x) => x.transferId === id), 5000, 'declined')
    expect(a.cancelled.find((x) => x.transferId === id)?.reason).toBe('declined')
    await sleep(100)
    expect(c.dataMessages).toBe(before)
    expect(relay.activeTransfers).toBe(0)
    expect(a.files.activeTransfers + c.files.activeTransfers).toBe(0)
  })

  it('the sender cancels mid-transfer: the receiver is told and nothing is left', async () => {
    const id = a.files.send({ name: 'big.bin', bytes: bytes(6 * 1024 * 1024, 4) }, b.id)
    await waitFor(() => b.progress.some((e) => e.transferId === id), 5000, 'first chunk')
    a.files.cancel(id)
    await waitFor(() => b.cancelled.some((x) => x.transferId === id), 5000, 'receiver told')
    expect(b.cancelled.find((x) => x.transferId === id)?.reason).toBe('cancelled')
    await waitFor(() => relay.activeTransfers === 0, 2000, 'server state gone')
    expect(b.complete.some((f) => f.transferId === id)).toBe(false)
    expect(a.files.activeTransfers + b.files.activeTransfers).toBe(0)
  })

  it('the receiver cancels mid-transfer: the sender is told and nothing is left', async () => {
    const id = a.files.send({ name: 'big.bin', bytes: bytes(6 * 1024 * 1024, 5) }, b.id)
    await waitFor(() => b.progress.some((e) => e.transferId === id), 5000, 'first chunk')
    b.files.cancel(id, a.id)
    await waitFor(() => a.cancelled.some((x) => x.transferId === id), 5000, 'sender told')
    expect(a.cancelled.find((x) => x.transferId === id)?.reason).toBe('cancelled')
    expect(relay.activeTransfers).toBe(0)
    expect(a.files.activeTransfers + b.files.activeTransfers).toBe(0)
  })

  it('refuses a file over the size cap before anyone is asked', async () => {
    const big = new FileClient(a.client, { maxFileBytes: 100 * 1024 * 1024 })
    const cancelled: FileCancelled[] = []
    big.events.on('cancelled', (x) => cancelled.push(x))
    const offersBefore = b.offers.length
    big.send({ name: 'huge.bin', bytes: new Uint8Array(9 * 1024 * 1024) }, b.id)
    await waitFor(() => cancelled.length === 1, 5000, 'refusal')
    expect(cancelled[0]!.reason).toBe('too-large')
    expect(b.offers.length).toBe(offersBefore)
    expect(relay.activeTransfers).toBe(0)
    big.dispose()
  })

  it('a sender that ignores its window is cut off', async () => {
    const transferId = 'f00dfeedf00dfeed'
    const cancelled: string[] = []
    const off = a.client.on('fileCancelled', (x) => x.transferId === transferId && cancelled.push(x.reason))
    a.client.on('fileStart', (s) => {
      if (s.transferId !== transferId) return
      // Far more than the 256 KiB window, without waiting for credit.
      for (let i = 0; i < 20; i++) a.client.send('fileChunk', { transferId, offset: i * 65536, data: new Uint8Array(65536) })
    })
    a.client.send('fileOffer', { transferId, to: b.id, name: 'x', size: 20 * 65536, sha256: '0'.repeat(64), mime: 'application/octet-stream' })
    await waitFor(() => cancelled.length > 0, 5000, 'cut off')
    expect(cancelled[0]).toBe('protocol')
    expect(relay.stats.cancelled.protocol).toBeGreaterThanOrEqual(1)
    expect(relay.activeTransfers).toBe(0)
    off()
  })

  it('a transfer that stops making progress times out on both ends', async () => {
    const transferId = 'abad1deaabad1dea'
    const cancelled: string[] = []
    a.client.on('fileCancelled', (x) => x.transferId === transferId && cancelled.push(x.reason))
    // Offered and accepted, but the sender never sends a byte.
    a.client.send('fileOffer', { transferId, to: b.id, name: 'stuck', size: 1000, sha256: '0'.repeat(64), mime: 'text/plain' })
    await waitFor(() => cancelled.length > 0, 5000, 'timeout')
    expect(cancelled[0]).toBe('timeout')
    await waitFor(() => b.cancelled.some((x) => x.transferId === transferId && x.reason === 'timeout'), 2000, 'receiver told')
    expect(relay.activeTransfers).toBe(0)
  })

  it('a receiver that disconnects mid-transfer ends it for the sender', async () => {
    const { connectClient } = await import('../../support/real-net')
    const { appSchema } = await import('./support')
    const e = peerOf(await connectClient(appSchema, app.url), 'accept')
    app.clients.push(e.client)
    const id = a.files.send({ name: 'gone.bin', bytes: bytes(6 * 1024 * 1024, 6) }, e.id)
    await waitFor(() => e.progress.some((x) => x.transferId === id), 5000, 'first chunk')
    e.client.close()
    await waitFor(() => a.cancelled.some((x) => x.transferId === id), 5000, 'sender told')
    expect(a.cancelled.find((x) => x.transferId === id)?.reason).toBe('peer-left')
    expect(relay.activeTransfers).toBe(0)
  })
})
