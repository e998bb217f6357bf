import net from 'node:net'
import { FUZZ_ALLOWED_ORIGIN, FUZZ_TOKEN } from './fuzz-generator'

export interface SlowSenderReport {
  count: number
  /** Sockets the server closed (or answered and closed) while we were still dribbling. */
  cutByServer: number
  /** Still open when we gave up (after GIVE_UP_MS): the server would have let them stay. */
  notCut: number
  cutAfterMs: { min: number; median: number; max: number }
  byType: Record<string, { count: number; maxCutMs: number; statuses: number[] }>
}

const GIVE_UP_MS = 40_000
const BYTE_EVERY_MS = 250

/** Requests that send a byte every 250 ms, forever: slowloris on headers and on bodies. */
const TYPES: { name: string; head: string; dribble: string }[] = [
  { name: 'headers', head: 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ', dribble: 'a' },
  { name: 'request-line', head: 'GET /', dribble: 'a' },
  {
    name: 'setup-body',
    head: `POST /.wrtc/v2/connections HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: ${FUZZ_ALLOWED_ORIGIN}\r\nAuthorization: Bearer ${FUZZ_TOKEN}\r\nContent-Length: 10000\r\n\r\n`,
    dribble: '{',
  },
  { name: 'static-body', head: 'POST /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n', dribble: 'x' },
]

/** Starts `count` slow senders (bounded in count and time); resolves when every one has ended. */
export async function slowSenders(port: number, count: number): Promise<SlowSenderReport> {
  const results = await Promise.all(Array.from({ length: count }, (_, i) => one(port, TYPES[i % TYPES.length]!)))
  const cut = results.filter((r) => r.cut).map((r) => r.ms).sort((a, b) => a - b)
  const byType: SlowSenderReport['byType'] = {}
  for (const r of results) {
    const t = (byType[r.type] ??= { count: 0, maxCutMs: 0, statuses: [] })
    t.count++
    if (r.cut) t.maxCutMs = Math.max(t.maxCutMs, Math.round(r.ms))
    if (!t.statuses.includes(r.status)) t.statuses.push(r.status)
  }
  return {
    count,
    cutByServer: cut.length,
    notCut: count - cut.length,
    cutAfterMs: { min: Math.round(cut[0] ?? 0), median: Math.round(cut[cut.length >> 1] ?? 0), max: Math.round(cut[cut.length - 1] ?? 0) },
    byType,
  }
}

function one(port: number, type: (typeof TYPES)[number]): Promise<{ type: string; cut: boolean; ms: number; status: number }> {
  let start = performance.now()
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' })
    let data = ''
    let done = false
    const finish = (cut: boolean) => {
      if (done) return
      done = true
      clearInterval(drip)
      clearTimeout(giveUp)
      socket.destroy()
      resolve({ type: type.name, cut, ms: performance.now() - start, status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0) })
    }
    let drip: ReturnType<typeof setInterval> | undefined
    const giveUp = setTimeout(() => finish(false), GIVE_UP_MS)
    socket.on('connect', () => {
      start = performance.now() // cut times count from the first byte sent
      socket.write(type.head)
      drip = setInterval(() => socket.writable && socket.write(type.dribble), BYTE_EVERY_MS)
    })
    socket.on('data', (d: Buffer) => (data += d.toString('latin1')))
    socket.on('close', () => finish(true))
    socket.on('end', () => finish(true))
    socket.on('error', () => finish(true))
  })
}
