/**
 * `npm run soak`, short form: one minute of churning bots (join, play, chat, files, leave, SIGKILL)
 * against a real demo server process. A minute is too short for a memory slope or a lag percentile
 * on a shared machine (`--checks leaks` reports those without asserting); it does hold the leak
 * checks: connection maps equal to the live bots at a quiet point, empty at the end, descriptors
 * back to the baseline, no server errors, no failed bot.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'netplay-soak-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface SoakJson {
  ok: boolean
  checks: Record<string, { ok: boolean; value: number | string; informational?: boolean }>
  bots: { joined: number; left: number; killed: number; failed: number }
  quietPoints: { liveBots: number; server: { connections: number; lobbyPeers: number }; settledMs: number | null }[]
  baseline: { fds: number }
  fdsEnd: number
}

describe('npm run soak (short form)', () => {
  it('churns bots for a minute and finds no leak in the server', async () => {
    const file = join(dir, 'soak.json')
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(process.execPath, ['--import', 'tsx', 'tools/soak/cli.ts', '--minutes', '1', '--checks', 'leaks', '--json', file], { cwd: root, timeout: 400_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      ),
    )
    expect(run.code, run.stdout + run.stderr).toBe(0)
    const r = JSON.parse(readFileSync(file, 'utf8')) as SoakJson
    expect(r.ok).toBe(true)
    for (const name of ['quietPointsMatched', 'mapsEmptyAtEnd', 'fdsAboveBaseline', 'serverErrors', 'botsFailed']) expect(r.checks[name], name).toMatchObject({ ok: true })
    for (const name of ['rssSlopeMbPerMin', 'eventLoopLagP99Ms']) expect(r.checks[name]?.informational, name).toBe(true)
    expect(r.bots.joined).toBeGreaterThanOrEqual(8)
    expect(r.bots.left + r.bots.killed).toBeGreaterThan(0)
    expect(r.quietPoints.length).toBeGreaterThanOrEqual(1)
    for (const q of r.quietPoints) expect(q.server).toMatchObject({ connections: q.liveBots, lobbyPeers: q.liveBots })
    expect(r.baseline.fds).toBeGreaterThan(0)
    expect(r.fdsEnd).toBeLessThanOrEqual(r.baseline.fds)
  }, 420_000) // a killed bot's connection waits out the 60 s session grace at the quiet point and at the end
})
