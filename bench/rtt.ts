/**
 * Small-message round trips, one message in flight at a time. Each echo group lives in a process of its
 * own (see isolated.ts); the parent has the paths take turns in short rounds, so background load on
 * the shared 2-core machine hits them alike.
 */
import dgram from 'node:dgram'
import type { AddressInfo } from 'node:net'
import { WebSocket, WebSocketServer } from 'ws'
import { closeGeckos, closeOurs, connectGeckos, connectOurs, HOST, startGeckosServer, startOurServer } from './net'
import { sleep, withTimeout, type BenchResults } from './stats'

export type RttKey = keyof BenchResults['rtt']

/** One echo path: `send(seq)` out, `onEcho(seq)` back. */
interface Echo {
  send(seq: number): void
  onEcho(handler: (seq: number) => void): void
}

/** Echo paths set up together (one server, one client) and torn down together. */
export interface EchoGroup {
  echoes: Partial<Record<RttKey, Echo>>
  close(): Promise<void>
}

/** A probe not back within this long is counted lost and the loop moves on. */
const PROBE_TIMEOUT_MS = 500

/** 8 bytes: a seq and padding, about the size of our own echo frame. */
function probe(seq: number): Buffer {
  const b = Buffer.alloc(8)
  b.writeUInt32LE(seq, 0)
  return b
}

function seqOf(bytes: ArrayBuffer | Uint8Array): number {
  const view = bytes instanceof Uint8Array ? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new DataView(bytes)
  return view.byteLength >= 4 ? view.getUint32(0, true) : -1
}

/** node:dgram and ws echo servers with their clients: the floor and the TCP reference. */
export async function baselineEchoes(): Promise<EchoGroup> {
  const udpServer = dgram.createSocket('udp4')
  udpServer.on('message', (msg, from) => udpServer.send(msg, from.port, from.address))
  await new Promise<void>((r) => udpServer.bind(0, HOST, r))
  const udp = dgram.createSocket('udp4')
  await new Promise<void>((r) => udp.bind(0, HOST, r))
  await new Promise<void>((r) => udp.connect((udpServer.address() as AddressInfo).port, HOST, r))

  const wss = new WebSocketServer({ host: HOST, port: 0 })
  await new Promise<void>((r) => wss.once('listening', r))
  wss.on('connection', (sock) => sock.on('message', (data, isBinary) => sock.send(data as Buffer, { binary: isBinary })))
  const ws = new WebSocket(`ws://${HOST}:${(wss.address() as AddressInfo).port}`)
  ws.binaryType = 'nodebuffer'
  await withTimeout(new Promise((r) => ws.once('open', r)), 5000, 'ws open')

  return {
    echoes: {
      udp: { send: (seq) => udp.send(probe(seq)), onEcho: (h) => void udp.on('message', (msg) => h(seqOf(msg))) },
      ws: { send: (seq) => ws.send(probe(seq)), onEcho: (h) => void ws.on('message', (data) => h(seqOf(data as Buffer))) },
    },
    async close() {
      udp.close()
      udpServer.close()
      ws.terminate()
      for (const c of wss.clients) c.terminate()
      await new Promise((r) => wss.close(r))
    },
  }
}

/** Raw geckos.io: binary raw.emit / onRaw, echoed by the server. */
export async function geckosEchoes(): Promise<EchoGroup> {
  const server = await startGeckosServer((ch) => ch.onRaw((m) => ch.raw.emit(m)))
  const channel = await connectGeckos(server.port)
  await server.opened(String(channel.id))
  return {
    echoes: {
      geckos: { send: (seq) => channel.raw.emit(probe(seq)), onEcho: (h) => channel.onRaw((m) => h(typeof m === 'string' ? -1 : seqOf(m as ArrayBuffer))) },
    },
    async close() {
      closeGeckos(channel)
      await sleep(150)
      await server.close()
    },
  }
}

/** Ours: one connection, echoing `echo` (unreliable channel) and `echoReliable` (reliable channel). */
export async function ourEchoes(): Promise<EchoGroup> {
  const server = await startOurServer()
  const { client, conn } = await connectOurs(server)
  conn.on('echo', (d) => conn.send('echo', d))
  conn.on('echoReliable', (d) => conn.send('echoReliable', d))
  return {
    echoes: {
      unreliable: { send: (seq) => client.send('echo', { seq }), onEcho: (h) => void client.on('echo', (d) => h(d.seq)) },
      reliable: { send: (seq) => client.send('echoReliable', { seq }), onEcho: (h) => void client.on('echoReliable', (d) => h(d.seq)) },
    },
    async close() {
      await closeOurs(client)
      await server.close()
    },
  }
}

/** Each echo path registers one handler; `pingPong` points it at the current run. */
interface Runner {
  echo: Echo
  current: ((seq: number) => void) | undefined
}

/** `warmup + count` round trips, one at a time; returns microseconds for the last `count`. */
function pingPong(r: Runner, warmup: number, count: number, firstSeq: number): Promise<{ samples: number[]; lost: number }> {
  return new Promise((resolve) => {
    const samples: number[] = []
    let lost = 0
    let seq = firstSeq
    let sentAt = 0
    const end = firstSeq + warmup + count
    // One watchdog for the whole run: a timer per probe would add its own cost to every sample.
    const watchdog = setInterval(() => {
      if (performance.now() - sentAt > PROBE_TIMEOUT_MS) {
        lost++
        next()
      }
    }, PROBE_TIMEOUT_MS / 2)
    const next = () => {
      seq++
      if (seq > end) {
        clearInterval(watchdog)
        r.current = undefined
        return resolve({ samples, lost })
      }
      sentAt = performance.now()
      r.echo.send(seq)
    }
    r.current = (got) => {
      if (got !== seq) return // a late echo of a probe already counted lost
      const us = (performance.now() - sentAt) * 1000
      if (seq > firstSeq + warmup) samples.push(us)
      next()
    }
    next()
  })
}

/** An echo group ready to measure: one round at a time, on the path the caller names. */
export interface RttSession {
  keys: RttKey[]
  /** `warmup + count` round trips on `key`; microseconds of the last `count`, and probes lost. */
  round(key: RttKey, warmup: number, count: number): Promise<{ samples: number[]; lost: number }>
  close(): Promise<void>
}

export async function openRtt(makeGroup: () => Promise<EchoGroup>): Promise<RttSession> {
  const group = await makeGroup()
  const runners = new Map<RttKey, Runner>()
  for (const [key, echo] of Object.entries(group.echoes) as [RttKey, Echo][]) {
    const runner: Runner = { echo, current: undefined }
    echo.onEcho((seq) => runner.current?.(seq))
    runners.set(key, runner)
  }
  // Sequence numbers never repeat, so a late echo from an earlier round is recognised and ignored.
  let seqBase = 0
  return {
    keys: [...runners.keys()],
    round(key, warmup, count) {
      const runner = runners.get(key)
      if (!runner) return Promise.reject(new Error(`no echo path ${key} here`))
      const firstSeq = seqBase
      seqBase += warmup + count + 1
      return pingPong(runner, warmup, count, firstSeq)
    },
    close: () => group.close(),
  }
}
