/**
 * The short form of `npm run fuzz`: 20,000 mutated frames of every message of every schema, in a
 * child process started the way the npm script starts it (node --expose-gc, so the heap check is
 * real). The CLI itself fails on any throw, foreign error, unsound accept, prototype change or heap
 * growth; here its JSON is checked too.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import type { FuzzResult } from '../../fuzz/decoder-fuzz'
import { FUZZ_SCHEMAS } from '../../fuzz/fuzz-schemas'

const CLI = fileURLToPath(new URL('../../fuzz/decoder-fuzz.ts', import.meta.url))
const FRAMES = 20_000

describe('decoder fuzz (short run)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'decoder-fuzz-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it(`${FRAMES.toLocaleString('en')} mutated frames: 0 uncaught, prototypes unchanged, heap back after GC`, () => {
    const json = join(dir, 'fuzz.json')
    const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', CLI, '--frames', String(FRAMES), '--seed', '20260', '--json', json], {
      encoding: 'utf8',
      timeout: 240_000,
    })
    const r = JSON.parse(readFileSync(json, 'utf8')) as FuzzResult
    expect(r.failures, run.stdout).toEqual([])
    expect(r.uncaught).toBe(0)
    expect(r.unsound).toBe(0)
    expect(r.frames).toBe(FRAMES)
    expect(r.rejected + r.accepted).toBe(FRAMES)
    expect(r.controls.accepted).toBe(r.controls.sent)
    expect(r.prototypeUnchanged).toBe(true)
    expect(r.heap.gc).toBe(true)
    expect(r.heap.growthMB).toBeLessThan(10)
    // Every schema's every message was fuzzed, and every kind of refusal was reached.
    const names = new Set(Object.values(FUZZ_SCHEMAS).flatMap((s) => [...s.byName.keys()]))
    for (const name of names) expect(r.messages[name] ?? 0, name).toBeGreaterThan(0)
    for (const code of ['malformed', 'wrong-type', 'out-of-range', 'too-long', 'missing-key', 'unknown-key', 'frame-too-large', 'unknown-id', 'wrong-direction'])
      expect(r.rejectedByCode[code] ?? 0, code).toBeGreaterThan(0)
    expect(run.status, run.stderr).toBe(0)
  }, 300_000)
})
