/**
 * `npm run bots` end to end: a real demo server (lobby, arena rooms, file relay) in this process and
 * the CLI as a real child process, whose bots connect over real WebRTC on 127.0.0.1.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDemoServer } from '../../../server/demo/demo-server'
import type { BotsReport } from '../../../tools/bots/report'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'netplay-bots-'))

function bots(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'tools/bots/cli.ts', ...args], { cwd: root, timeout: 150_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    )
  })
}

describe('npm run bots', () => {
  let server: Awaited<ReturnType<typeof startDemoServer>>
  beforeAll(async () => {
    server = await startDemoServer({ port: 0, host: '127.0.0.1' })
  })
  afterAll(async () => {
    await server?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('plays, chats and sends files with 6 bots in 2 processes, and reports it as JSON', async () => {
    const file = join(dir, 'ok.json')
    const run = await bots(['--url', server.url, '--n', '6', '--procs', '2', '--duration', '5', '--chat', '1', '--files', '--json', file])
    expect(run.stderr).toBe('')
    expect(run.code, run.stdout).toBe(0)
    expect(run.stdout).toMatch(/connecting t=\d+s: \d+ connected/)
    expect(run.stdout).toMatch(/t=\d+s bots 6 \| rtt p50 [\d.]+ p99 [\d.]+ ms \| jitter/)
    const r = JSON.parse(readFileSync(file, 'utf8')) as BotsReport
    expect(r).toMatchObject({ n: 6, procs: 2, connected: 6, failed: 0, errors: {} })
    for (const k of ['connectMs', 'readyMs', 'rttMs', 'updateAgeMs'] as const) {
      expect(r[k].p50, k).toBeGreaterThanOrEqual(0)
      expect(r[k].p99!, k).toBeGreaterThanOrEqual(r[k].p50!)
    }
    expect(r.connectMs.p50).toBeLessThan(30_000)
    expect(r.lossIn).toBeGreaterThanOrEqual(0)
    expect(r.lossOut).toBeGreaterThanOrEqual(0)
    // The demo's rooms send 30 snapshots a second; a loaded machine may delay some, never double them.
    expect(r.snapshotsPerSec).toBeGreaterThan(20)
    expect(r.snapshotsPerSec).toBeLessThan(33)
    // The bots' clocks are synced to the server's: an update cannot be older than the whole run.
    expect(r.updateAgeMs.p50!).toBeLessThan(1000)
    expect(r.bytesInPerSec).toBeGreaterThan(0)
    // 6 bots at 1 line/s for 5 s; lines still in flight when the run ends may miss the count.
    expect(r.chat.sent).toBeGreaterThanOrEqual(15)
    expect(r.chat.acked).toBeGreaterThanOrEqual(r.chat.sent - 6)
    expect(r.chat.echoed).toBeGreaterThanOrEqual(r.chat.sent - 6)
    // One room of 6: every line reaches all 6 members.
    expect(r.chat.received).toBeGreaterThanOrEqual(r.chat.echoed * 5)
    expect(r.files.received).toBeGreaterThan(0)
  }, 180_000)

  it('exits non-zero, every bot failed, when nothing listens at the URL', async () => {
    const closed = await startDemoServer({ port: 0, host: '127.0.0.1' })
    await closed.close()
    const file = join(dir, 'bad.json')
    const run = await bots(['--url', closed.url, '--n', '4', '--procs', '2', '--duration', '2', '--connect-timeout', '10', '--json', file])
    expect(run.code).toBe(1)
    const r = JSON.parse(readFileSync(file, 'utf8')) as BotsReport
    expect(r).toMatchObject({ connected: 0, failed: 4 })
    expect(Object.keys(r.errors).join()).toMatch(/unreachable/)
  }, 120_000)

  it('refuses bad arguments with the usage and exit code 2', async () => {
    const run = await bots(['--n', '3'])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/--url/)
    expect(run.stderr).toMatch(/usage: npm run bots/)
  }, 60_000)
})
