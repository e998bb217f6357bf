import http from 'node:http'
import { createGenerator, FUZZ_ALLOWED_ORIGIN, FUZZ_TOKEN, KNOWN_ID, type FuzzCase } from './fuzz-generator'
import { rawRequest, type RawReply } from './raw-http'
import { startServerProcess, type ServerProcess } from './server-process'
import { slowSenders, type SlowSenderReport } from './slow-senders'
import { makeSite, SECRET_MARKER } from './static-root'

export interface FuzzOptions {
  requests: number
  seed: number
  concurrency?: number
  slowSenders?: number
  /** Called at the end with the server still running (e.g. a real client connecting). */
  health?: (url: string) => Promise<void>
}

export interface FuzzReport {
  seed: number
  requests: number
  byStatus: Record<string, number>
  byKind: Record<string, number>
  /** Responses containing a file from outside the static root. */
  secretLeaks: number
  /** Offers returned where the request had a foreign Origin or no/wrong token, or was not the exact route. */
  forbiddenOffers: number
  legitOffers: number
  viaNodeHttp: number
  /** Time to send the generated requests and get their answers (slow senders run alongside). */
  requestsMs: number
  durationMs: number
  serverAlive: boolean
  serverExit?: string
  serverMaxRssMB: number
  serverRssMB: number
  slow: SlowSenderReport
  violations: string[]
}

/** An SDP offer: geckos' reply carries `localDescription` with ICE credentials and a DTLS fingerprint. */
const isOffer = (data: Buffer) => /localDescription|a=fingerprint|a=ice-ufrag/.test(data.toString('latin1'))

/** Runs `requests` generated requests against a real server process, then checks it is still healthy. */
export async function runHttpFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const site = makeSite()
  const server = await startServerProcess({ kind: 'guarded', root: site.root, token: FUZZ_TOKEN, allowedOrigin: FUZZ_ALLOWED_ORIGIN })
  const next = createGenerator(options.seed, site.rootName)
  const report: FuzzReport = {
    seed: options.seed,
    requests: 0,
    byStatus: {},
    byKind: {},
    secretLeaks: 0,
    forbiddenOffers: 0,
    legitOffers: 0,
    viaNodeHttp: 0,
    requestsMs: 0,
    durationMs: 0,
    serverAlive: true,
    serverMaxRssMB: 0,
    serverRssMB: 0,
    slow: { count: 0, cutByServer: 0, notCut: 0, cutAfterMs: { min: 0, median: 0, max: 0 }, byType: {} },
    violations: [],
  }
  const knownIds: string[] = []
  const start = performance.now()
  try {
    const slow = slowSenders(server.port, options.slowSenders ?? 16)
    // Cases are made as they are sent (same sequence for a seed), not all up front: a big batch made
    // in one go would hold the event loop and delay the slow senders' first bytes.
    let sent = 0
    const worker = async () => {
      while (sent < options.requests && server.alive) {
        sent++
        const c = next()
        const id = knownIds[knownIds.length - 1]
        const bytes = id ? Buffer.from(c.bytes.toString('latin1').replaceAll(KNOWN_ID, id), 'latin1') : c.bytes
        const reply = c.http ? await viaHttp(server.port, c, id) : await rawRequest(server.port, bytes, { timeoutMs: 1500, halfClose: c.halfClose })
        if (c.http) report.viaNodeHttp++
        record(report, c, reply, knownIds)
      }
    }
    const requestsStart = performance.now()
    await Promise.all(Array.from({ length: options.concurrency ?? 48 }, worker))
    report.requestsMs = Math.round(performance.now() - requestsStart)
    report.slow = await slow
    await health(server, report, options)
  } finally {
    report.durationMs = Math.round(performance.now() - start)
    report.serverAlive = server.alive
    report.serverExit = server.exit
    if (!server.alive) report.violations.push(`server process ended: ${server.exit}`)
    await server.stop()
    site.cleanup()
  }
  return report
}

function record(report: FuzzReport, c: FuzzCase, reply: RawReply, knownIds: string[]): void {
  report.requests++
  const status = reply.status ? String(reply.status) : `none-${reply.end}`
  report.byStatus[status] = (report.byStatus[status] ?? 0) + 1
  report.byKind[c.kind] = (report.byKind[c.kind] ?? 0) + 1
  const text = reply.data.toString('latin1')
  if (text.includes(SECRET_MARKER)) {
    report.secretLeaks++
    if (report.violations.length < 20) report.violations.push(`secret served: ${c.bytes.toString('latin1').slice(0, 200)}`)
  }
  if (isOffer(reply.data)) {
    if (!c.offerAllowed) {
      report.forbiddenOffers++
      if (report.violations.length < 20) report.violations.push(`forbidden offer: ${c.bytes.toString('latin1').slice(0, 300)}`)
    } else {
      report.legitOffers++
      const id = /"id":"([0-9A-Za-z]{24})"/.exec(text)?.[1]
      if (id) knownIds.push(id)
      if (knownIds.length > 16) knownIds.shift()
    }
  }
}

/** The case through node:http (keep-alive agent, real client parsing) instead of raw bytes. */
function viaHttp(port: number, c: FuzzCase, id: string | undefined): Promise<RawReply> {
  const start = performance.now()
  const spec = c.http!
  const path = id ? spec.path.replaceAll(KNOWN_ID, id) : spec.path
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let done = false
    const finish = (status: number, end: RawReply['end']) => {
      if (done) return
      done = true
      clearTimeout(timer)
      resolve({ status, data: Buffer.concat(chunks), end, ms: performance.now() - start })
    }
    const req = http.request({ host: '127.0.0.1', port, method: spec.method, path, headers: spec.headers, agent: keepAlive }, (res) => {
      res.on('data', (d: Buffer) => chunks.push(d))
      res.on('end', () => finish(res.statusCode ?? 0, 'closed'))
      res.on('error', () => finish(res.statusCode ?? 0, 'error'))
    })
    const timer = setTimeout(() => {
      req.destroy()
      finish(0, 'timeout')
    }, 3000)
    req.on('error', () => finish(0, 'error'))
    req.end(spec.body)
  })
}
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 8 })

async function health(server: ServerProcess, report: FuzzReport, options: FuzzOptions): Promise<void> {
  const url = `http://127.0.0.1:${server.port}`
  const page = await fetch(`${url}/`, { signal: AbortSignal.timeout(10_000) })
  if (page.status !== 200 || !(await page.text()).includes('<title>game</title>')) report.violations.push(`health: GET / answered ${page.status}`)
  await options.health?.(url)
  const stats = await server.stats()
  report.serverMaxRssMB = Math.round(stats.maxRssBytes / 1e5) / 10
  report.serverRssMB = Math.round(stats.rssBytes / 1e5) / 10
}
