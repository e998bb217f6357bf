/**
 * Diagnostic child for bench/loss-diag.ts (runs inside the lossy namespace). One variant per process,
 * because node-datachannel's SCTP settings are process-wide:
 *   DIAG_MODE=raw    two bare node-datachannel PeerConnections in this process (no geckos, no Link);
 *                    DIAG_RELIABLE=1 also opens a second, reliable channel on the same association.
 *   DIAG_MODE=stack  our GameServer + Node GameClient (as bench/loss-child.ts).
 *   DIAG_SCTP='{"delayedSackTime":0,...}' is handed to setSctpSettings before any peer connection.
 * Streams a 60 Hz ~200 B update server->client over the data channel and over ws, and reports, per
 * update: send time (epoch ms), bufferedAmount at send, arrival time on each transport.
 */
import nodeDataChannel from 'node-datachannel'
import { emit, onCommand } from '../test/support/child-protocol'
import { openWsPair } from './ws-pair'

const MODE = process.env.DIAG_MODE ?? 'raw'
const SCTP = process.env.DIAG_SCTP ? (JSON.parse(process.env.DIAG_SCTP) as Record<string, number>) : undefined
const RELIABLE = process.env.DIAG_RELIABLE !== '0'
const BIND = process.env.NETPLAY_BIND ?? '127.0.0.1'
const HZ = 60
const epoch = () => performance.timeOrigin + performance.now()

if (SCTP) nodeDataChannel.setSctpSettings(SCTP)

type Sender = (frame: Buffer) => number // returns bufferedAmount before the send
let onUdp: (frame: Uint8Array) => void = () => undefined
let sendUdp: Sender
let ports = ''
let shutdownRtc: () => Promise<void> | void

if (MODE === 'raw') {
  const { PeerConnection } = nodeDataChannel
  const cfg = { iceServers: [] as string[], bindAddress: BIND }
  const srv = new PeerConnection('srv', cfg)
  const cli = new PeerConnection('cli', cfg)
  const init = { unordered: process.env.DIAG_ORDERED !== '1', maxRetransmits: 0, negotiated: true, id: 0 }
  let dcCli!: ReturnType<typeof cli.createDataChannel>
  const rel: ReturnType<typeof cli.createDataChannel>[] = []
  // Only the server offers: the client's negotiated channels are made once it has the offer.
  srv.onLocalDescription((sdp, type) => {
    if (type !== 'offer') return
    cli.setRemoteDescription(sdp, type)
    dcCli = cli.createDataChannel('u', init)
    if (RELIABLE) rel.push(cli.createDataChannel('r', { negotiated: true, id: 100 }))
  })
  cli.onLocalDescription((sdp, type) => type === 'answer' && srv.setRemoteDescription(sdp, type))
  srv.onLocalCandidate((c, mid) => cli.addRemoteCandidate(c, mid))
  cli.onLocalCandidate((c, mid) => srv.addRemoteCandidate(c, mid))
  const dc = srv.createDataChannel('u', init)
  if (RELIABLE) rel.push(srv.createDataChannel('r', { negotiated: true, id: 100 }))
  await new Promise<void>((r) => (dc.isOpen() ? r() : dc.onOpen(() => r())))
  await new Promise<void>((r) => (dcCli.isOpen() ? r() : dcCli.onOpen(() => r())))
  for (const c of rel) await new Promise<void>((r) => (c.isOpen() ? r() : c.onOpen(() => r())))
  dcCli.onMessage((m) => onUdp(m as Buffer))
  sendUdp = (frame) => {
    const b = dc.bufferedAmount()
    dc.sendMessageBinary(frame)
    return b
  }
  try {
    ports = `${srv.localDescription()?.sdp.match(/a=candidate:\S+ \d+ UDP \d+ \S+ (\d+)/)?.[1]}/${cli.localDescription()?.sdp.match(/a=candidate:\S+ \d+ UDP \d+ \S+ (\d+)/)?.[1]}`
  } catch {
    ports = '?'
  }
  try {
    const pair = srv.getSelectedCandidatePair()
    ports = `srv ${pair?.local.port} -> cli ${pair?.remote.port}`
  } catch {
    // older API
  }
  shutdownRtc = () => {
    srv.close()
    cli.close()
  }
} else {
  const { connectClient, startServer } = await import('../test/support/real-net')
  const { testSchema } = await import('../test/support/test-schema')
  const { server, url } = await startServer(testSchema)
  type Conn = Parameters<Parameters<typeof server.onConnection>[0]>[0]
  const accepted = new Promise<Conn>((r) => server.onConnection(r))
  const client = await connectClient(testSchema, url)
  const conn = await accepted
  const PAD = new Uint8Array(184).fill(7)
  let seqOf = 0
  let sentAtOf = 0
  client.on('state', (d) => {
    const f = Buffer.alloc(12)
    f.writeUInt32BE(d.seq, 0)
    f.writeDoubleBE(d.sentAt, 4)
    onUdp(f)
  })
  // bufferedAmount of the unreliable pipe: reach the Link's pipes (diagnostics only).
  const pipes = (conn as unknown as { pipes: { unreliable: { bufferedAmount(): number } } }).pipes
  sendUdp = (frame) => {
    seqOf = frame.readUInt32BE(0)
    sentAtOf = frame.readDoubleBE(4)
    const b = pipes.unreliable.bufferedAmount()
    conn.send('state', { seq: seqOf, sentAt: sentAtOf, pad: PAD })
    return b
  }
  shutdownRtc = async () => {
    client.close()
    await Promise.race([server.close(), new Promise((r) => setTimeout(r, 3000))])
  }
}

// DIAG_RENICE=-10: raise the priority of libdatachannel's native threads (a test of CPU starvation).
if (process.env.DIAG_RENICE) {
  const { readdirSync, readFileSync } = await import('node:fs')
  const { setPriority } = await import('node:os')
  const names: string[] = []
  for (const tid of readdirSync('/proc/self/task')) {
    const comm = readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim()
    if (/RTC|SCTP|juice/.test(comm)) {
      setPriority(Number(tid), Number(process.env.DIAG_RENICE))
      names.push(comm)
    }
  }
  console.error(`reniced ${names.join(', ')}`)
}

const { wss, wsClient, wsServer } = await openWsPair()
emit({ type: 'ready', ports, mode: MODE, sctp: SCTP ?? null, reliable: RELIABLE })

let sentAt = new Float64Array(0)
let buffered = new Float64Array(0)
let arrUdp = new Float64Array(0)
let arrWs = new Float64Array(0)
wsClient.on('message', (data: Buffer) => {
  const seq = data.readUInt32BE(0)
  if (seq < arrWs.length && Number.isNaN(arrWs[seq]!)) arrWs[seq] = epoch()
})
onUdp = (m) => {
  const b = Buffer.from(m.buffer, m.byteOffset, m.byteLength)
  const seq = b.readUInt32BE(0)
  if (seq < arrUdp.length && Number.isNaN(arrUdp[seq]!)) arrUdp[seq] = epoch()
}

async function stream(seconds: number) {
  const total = Math.round(seconds * HZ)
  sentAt = new Float64Array(total).fill(Number.NaN)
  buffered = new Float64Array(total).fill(Number.NaN)
  arrUdp = new Float64Array(total).fill(Number.NaN)
  arrWs = new Float64Array(total).fill(Number.NaN)
  const frame = Buffer.alloc(200, 7)
  const start = performance.now()
  for (let seq = 0; seq < total; seq++) {
    const wait = start + (seq * 1000) / HZ - performance.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    const t = epoch()
    sentAt[seq] = t
    frame.writeUInt32BE(seq, 0)
    frame.writeDoubleBE(t, 4)
    if (seq % 2) {
      wsServer.send(frame)
      buffered[seq] = sendUdp(frame)
    } else {
      buffered[seq] = sendUdp(frame)
      wsServer.send(frame)
    }
  }
  await new Promise((r) => setTimeout(r, 1500))
  return { type: 'result', sentAt: [...sentAt], buffered: [...buffered], udp: [...arrUdp], ws: [...arrWs] }
}

let queue = Promise.resolve()
onCommand(
  (cmd) => {
    queue = queue.then(async () => {
      if (cmd.cmd === 'exit') {
        wsClient.terminate()
        wss.close()
        await shutdownRtc()
        process.exit(0)
      }
      if (cmd.cmd === 'run') emit(await stream(Number(cmd.seconds)))
    })
  },
  () => process.exit(1),
)
