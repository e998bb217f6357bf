/** The lines `npm run bots` prints and the JSON it writes. */
import type { Window } from './aggregate'
import { Histogram } from './histogram'
import type { BotCounts } from './ipc'

const ms = (x: number) => (Number.isFinite(x) ? (x < 10 ? x.toFixed(1) : x.toFixed(0)) : '-')
const pct = (x: number) => `${(x * 100).toFixed(1)}%`
const kb = (x: number) => `${(x / 1024).toFixed(0)} KB/s`
const p = (h: { quantile(q: number): number }) => ({ p50: round(h.quantile(0.5)), p99: round(h.quantile(0.99)) })
const round = (x: number) => (Number.isFinite(x) ? Math.round(x * 10) / 10 : null)

export function progressLine(c: BotCounts, seconds: number): string {
  return `connecting t=${seconds.toFixed(0)}s: ${c.playing} connected, ${c.failed} failed, ${c.connecting} connecting, ${c.queued} queued`
}

export function liveLine(w: Window, c: BotCounts, seconds: number): string {
  return [
    `t=${seconds.toFixed(0)}s bots ${c.playing}`,
    `rtt p50 ${ms(w.rttMs.quantile(0.5))} p99 ${ms(w.rttMs.quantile(0.99))} ms`,
    `jitter ${ms(w.jitterMs)} ms`,
    `loss in ${pct(w.lossInMean)} out ${pct(w.lossOutMean)}`,
    `snap ${w.snapshotsPerSec.toFixed(1)}/s age p50 ${ms(w.updateAgeMs.quantile(0.5))} p99 ${ms(w.updateAgeMs.quantile(0.99))} ms`,
    `in ${kb(w.bytesPerSec('in'))} out ${kb(w.bytesPerSec('out'))}`,
    `errors ${w.errorCount()}`,
  ].join(' | ')
}

export interface BotsReport {
  url: string
  n: number
  procs: number
  durationS: number
  /** Bots that reached play (first snapshot with their own entity). */
  connected: number
  /** Bots that never reached play, or dropped during the run. */
  failed: number
  /** GameClient.connect(): signalling, ICE, DTLS, both channels, schema accepted. */
  connectMs: { p50: number | null; p99: number | null }
  /** Start to first own snapshot: connect + lobby sign-in + room + netcode join. */
  readyMs: { p50: number | null; p99: number | null }
  rttMs: { p50: number | null; p99: number | null }
  jitterMs: number | null
  lossIn: number
  lossOut: number
  snapshotsPerSec: number
  updateAgeMs: { p50: number | null; p99: number | null }
  bytesInPerSec: number
  bytesOutPerSec: number
  chat: { sent: number; acked: number; echoed: number; received: number }
  files: { sent: number; received: number }
  errors: Record<string, number>
}

/** `connect` covers the connect phase (and all errors), `run` the measured play after it. */
export function buildReport(o: { url: string; n: number; procs: number }, connect: Window, run: Window, c: BotCounts): BotsReport {
  const errors = { ...connect.errors }
  for (const [k, n] of Object.entries(run.errors)) errors[k] = (errors[k] ?? 0) + n
  return {
    url: o.url,
    n: o.n,
    procs: o.procs,
    durationS: round(run.seconds)!,
    connected: connect.readyMs.count + run.readyMs.count,
    failed: c.failed,
    connectMs: p(merged(connect, run, 'connectMs')),
    readyMs: p(merged(connect, run, 'readyMs')),
    rttMs: p(run.rttMs),
    jitterMs: round(run.jitterMs),
    lossIn: Math.round(run.lossInMean * 1e4) / 1e4,
    lossOut: Math.round(run.lossOutMean * 1e4) / 1e4,
    snapshotsPerSec: round(run.snapshotsPerSec)!,
    updateAgeMs: p(run.updateAgeMs),
    bytesInPerSec: Math.round(run.bytesPerSec('in')),
    bytesOutPerSec: Math.round(run.bytesPerSec('out')),
    chat: run.chat,
    files: run.files,
    errors,
  }
}

function merged(a: Window, b: Window, key: 'connectMs' | 'readyMs'): Histogram {
  const h = new Histogram()
  h.merge(a[key])
  h.merge(b[key])
  return h
}

export function reportText(r: BotsReport): string {
  const q = (x: { p50: number | null; p99: number | null }) => `p50 ${x.p50 ?? '-'} ms, p99 ${x.p99 ?? '-'} ms`
  const lines = [
    `bots: ${r.connected}/${r.n} connected, ${r.failed} failed (${r.procs} processes, ${r.durationS} s measured, ${r.url})`,
    `  connect      ${q(r.connectMs)}   (ready to play: ${q(r.readyMs)})`,
    `  rtt          ${q(r.rttMs)}, jitter ${r.jitterMs ?? '-'} ms`,
    `  loss         in ${pct(r.lossIn)}, out ${pct(r.lossOut)}`,
    `  snapshots    ${r.snapshotsPerSec}/s per bot, update age ${q(r.updateAgeMs)}`,
    `  bytes        in ${kb(r.bytesInPerSec)}, out ${kb(r.bytesOutPerSec)} (all bots)`,
    `  chat         ${r.chat.sent} sent, ${r.chat.acked} acked, ${r.chat.echoed} echoed, ${r.chat.received} received`,
    `  files        ${r.files.sent} sent, ${r.files.received} received`,
  ]
  const errors = Object.entries(r.errors).sort((a, b) => b[1] - a[1])
  lines.push(`  errors       ${errors.length === 0 ? 'none' : ''}`)
  for (const [k, n] of errors.slice(0, 15)) lines.push(`    ${String(n).padStart(5)}  ${k}`)
  return lines.join('\n')
}
