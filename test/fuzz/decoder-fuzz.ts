/**
 * `npm run fuzz -- --frames N --json FILE [--seed S]`: mutated frames of every message of every
 * schema (fuzz-schemas.ts) through `decodeMessage`, as a server or client receives them. Counts
 * accepted and rejected frames; anything else is a failure: a throw out of the decoder, a rejection
 * that is not the schema's own (a TypeError or RangeError wrapped as `malformed`), an accepted value
 * that cannot be encoded again, a changed `Object.prototype`, or heap that stays more than 10 MB
 * above the start after GC (run with --expose-gc, as the npm script does). Exit code 0 only if clean.
 */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { decodeMessage, encodeMessage, HEADROOM, SchemaError, setCodecMode, type Decoded, type MessageSpec, type Schema } from '../../shared/schema/index'
import { seededRandom } from '../../shared/transport/random'
import { FUZZ_SCHEMAS } from './fuzz-schemas'
import { LatencyHistogram } from './latency-histogram'
import { MUTATIONS, mutate, type Mutation } from './mutators'
import { prototypesSnapshot } from './prototypes'
import { sampleValue } from './sample-values'

export interface FuzzResult {
  frames: number
  rejected: number
  accepted: number
  uncaught: number
  p9999Ms: number
  p50Ms: number
  p99Ms: number
  maxMs: number
  seconds: number
  framesPerSecond: number
  /** Accepted values that failed to encode again (the decoder let through what the schema forbids). */
  unsound: number
  /** Frames sent unmodified (must all be accepted) and how many were. */
  controls: { sent: number; accepted: number }
  rejectedByCode: Record<string, number>
  framesByMutation: Record<string, number>
  messages: Record<string, number>
  prototypeUnchanged: boolean
  heap: { startMB: number; endMB: number; growthMB: number; gc: boolean }
  /**
   * The slowest decodes, timed again afterwards (best of 5): a slow input stays slow when re-timed; a
   * stall of the machine (GC, another process on the core) does not.
   */
  slowest: { message: string; mutation: string; bytes: number; ms: number; retimedMs: number }[]
  /** The first few failures, hex frames included, to reproduce them. */
  failures: string[]
  seed: number
  ok: boolean
}

interface Base {
  schema: Schema
  spec: MessageSpec
  frame: Uint8Array
  ids: readonly number[]
}

const SAMPLES_PER_MESSAGE = 6
const SLOWEST = 8
const MB = 1024 * 1024
/** An error a decoder turned into `malformed` that was not the schema's own: a bug, not a rejection. */
const FOREIGN = /^(TypeError|RangeError|ReferenceError|SyntaxError|EvalError|URIError|InternalError|AggregateError|Error)\b/

function baseFrames(random: () => number): Base[] {
  const out: Base[] = []
  for (const schema of Object.values(FUZZ_SCHEMAS)) {
    const ids = [...schema.byName.values()].map((s) => s.id)
    for (const spec of schema.byName.values())
      for (let i = 0; i < SAMPLES_PER_MESSAGE; i++) {
        const value = sampleValue(spec.payload, random)
        out.push({ schema, spec, frame: encodeMessage(spec, value).subarray(HEADROOM).slice(), ids })
      }
  }
  return out
}

const fromOf = (spec: MessageSpec, random: () => number): 'toServer' | 'toClient' =>
  spec.direction === 'both' ? (random() < 0.5 ? 'toServer' : 'toClient') : random() < 0.97 ? spec.direction : spec.direction === 'toServer' ? 'toClient' : 'toServer'

const hex = (f: Uint8Array) => Buffer.from(f.subarray(0, 96)).toString('hex') + (f.length > 96 ? `...(${f.length} B)` : '')

function heapMB(): number {
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  gc?.()
  return process.memoryUsage().heapUsed / MB
}

export function runDecoderFuzz(options: { frames: number; seed?: number; log?: (line: string) => void }): FuzzResult {
  const seed = options.seed ?? 1
  const random = seededRandom(seed)
  const log = options.log ?? (() => undefined)
  const prototypesBefore = prototypesSnapshot()
  const bases = baseFrames(random)
  const histogram = new LatencyHistogram()
  const r = { rejected: 0, accepted: 0, uncaught: 0, unsound: 0 }
  const controls = { sent: 0, accepted: 0 }
  const rejectedByCode: Record<string, number> = {}
  const framesByMutation: Record<string, number> = {}
  const messages: Record<string, number> = {}
  const failures: string[] = []
  const fail = (what: string, f: Uint8Array) => {
    if (failures.length < 20) failures.push(`${what}: ${hex(f)}`)
  }
  const slow: { base: Base; frame: Uint8Array; from: 'toServer' | 'toClient'; mutation: string; ms: number }[] = []
  const noteSlow = (ms: number, base: Base, frame: Uint8Array, from: 'toServer' | 'toClient', mutation: string) => {
    if (slow.length === SLOWEST && ms <= slow[SLOWEST - 1]!.ms) return
    slow.push({ base, frame, from, mutation, ms })
    slow.sort((a, b) => b.ms - a.ms)
    if (slow.length > SLOWEST) slow.pop()
  }
  const gcAvailable = typeof (globalThis as { gc?: unknown }).gc === 'function'
  const heapStart = heapMB()
  const started = performance.now()

  for (let n = 0; n < options.frames; n++) {
    // Both decoders: the generated one (with the closures deciding refusals) and the closures alone.
    if (n % 10_000 === 0) setCodecMode((n / 10_000) % 2 === 0 ? 'auto' : 'closures')
    const base = bases[Math.floor(random() * bases.length)]!
    const control = random() < 0.02
    const kind: Mutation | 'none' = control ? 'none' : MUTATIONS[Math.floor(random() * MUTATIONS.length)]!
    const frame = kind === 'none' ? base.frame : mutate(kind, base.frame, random, base.ids)
    framesByMutation[kind] = (framesByMutation[kind] ?? 0) + 1
    messages[base.spec.name] = (messages[base.spec.name] ?? 0) + 1
    const from = control ? (base.spec.direction === 'toClient' ? 'toClient' : 'toServer') : fromOf(base.spec, random)
    let d: Decoded
    const t0 = performance.now()
    try {
      d = decodeMessage(base.schema, frame, from)
    } catch (err) {
      histogram.add(performance.now() - t0)
      r.uncaught++
      fail(`threw ${String(err)}`, frame)
      continue
    }
    const ms = performance.now() - t0
    histogram.add(ms)
    noteSlow(ms, base, frame, from, kind)
    if (d.ok) {
      r.accepted++
      if (control) controls.accepted++
      try {
        encodeMessage(d.spec, d.data)
      } catch (err) {
        r.unsound++
        fail(`accepted but cannot re-encode (${String(err)})`, frame)
      }
    } else if (!(d.error instanceof SchemaError) || FOREIGN.test(d.error.detail)) {
      r.uncaught++
      fail(`foreign error ${d.error.message}`, frame)
    } else {
      r.rejected++
      rejectedByCode[d.error.code] = (rejectedByCode[d.error.code] ?? 0) + 1
    }
    if (control) controls.sent++
    if ((n + 1) % 200_000 === 0) log(`  ${n + 1} frames, ${((performance.now() - started) / 1000).toFixed(1)} s, uncaught ${r.uncaught}`)
  }
  setCodecMode('auto')
  const seconds = (performance.now() - started) / 1000
  const slowest = slow.map(({ base, frame, from, mutation, ms }) => {
    let retimedMs = Infinity
    for (let k = 0; k < 5; k++) {
      const t0 = performance.now()
      decodeMessage(base.schema, frame, from)
      retimedMs = Math.min(retimedMs, performance.now() - t0)
    }
    return { message: base.spec.name, mutation, bytes: frame.byteLength, ms, retimedMs }
  })
  slow.length = 0
  bases.length = 0
  const heapEnd = heapMB()
  const prototypeUnchanged = prototypesSnapshot() === prototypesBefore && ({} as Record<string, unknown>).polluted === undefined
  const growthMB = heapEnd - heapStart
  const ok = r.uncaught === 0 && r.unsound === 0 && prototypeUnchanged && gcAvailable && growthMB < 10 && controls.accepted === controls.sent
  return {
    frames: options.frames,
    ...r,
    p9999Ms: histogram.percentile(0.9999),
    p50Ms: histogram.percentile(0.5),
    p99Ms: histogram.percentile(0.99),
    maxMs: histogram.max,
    seconds,
    framesPerSecond: Math.round(options.frames / seconds),
    controls,
    rejectedByCode,
    framesByMutation,
    messages,
    prototypeUnchanged,
    heap: { startMB: heapStart, endMB: heapEnd, growthMB, gc: gcAvailable },
    slowest,
    failures,
    seed,
    ok,
  }
}

function main(argv: string[]): void {
  const arg = (name: string) => {
    const i = argv.indexOf(name)
    return i < 0 ? undefined : argv[i + 1]
  }
  const frames = Number(arg('--frames') ?? 1_000_000)
  const seed = Number(arg('--seed') ?? 1)
  if (!(Number.isSafeInteger(frames) && frames > 0 && frames <= 100_000_000)) throw new RangeError('--frames must be 1..100,000,000')
  if (!Number.isSafeInteger(seed)) throw new RangeError('--seed must be an integer')
  if (typeof (globalThis as { gc?: unknown }).gc !== 'function') console.warn('decoder fuzz: run with node --expose-gc (the npm script does); the heap check fails without it')
  console.log(`decoder fuzz: ${frames} frames, seed ${seed}, schemas ${Object.keys(FUZZ_SCHEMAS).join(', ')}`)
  const result = runDecoderFuzz({ frames, seed, log: (line) => console.log(line) })
  const json = arg('--json')
  if (json) writeFileSync(json, JSON.stringify(result, null, 2))
  const { failures, messages, ...summary } = result
  console.log(JSON.stringify(summary, null, 2))
  for (const f of failures) console.log(`  FAIL ${f}`)
  process.exitCode = result.ok ? 0 : 1
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2))
