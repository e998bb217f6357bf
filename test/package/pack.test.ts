/**
 * The package as a game developer gets it: `npm pack` (the toolkit and create-netplay-game), then in a
 * directory outside the repo `npm create netplay-game my-game` (npx of the packed initializer),
 * `npm install` (the registry, no other internet), `npm test` there (type check + headless bots over
 * real WebRTC), a consumer file with a wrong payload that must not
 * compile, and `npm start` played in Chromium while a Node bot watches.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browserAvailability, launchBrowser } from '../support/browser'
import { CONSUMER, consumerTsconfigs, WATCH_BOT } from './consumer-files'
import { Background, freePort, run, runOk } from './processes'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const shots = join(repo, 'test-output', 'package')
const MINUTE = 60_000

describe('netplay-toolkit from its packed tarball', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netplay-pack-'))
  const game = join(dir, 'my-game')
  let tarball = ''

  beforeAll(async () => {
    const pack = async (folder: string) => {
      const out = await runOk('npm', ['pack', '--json', '--pack-destination', dir, folder], { cwd: repo, timeoutMs: 3 * MINUTE })
      return join(dir, (JSON.parse(out.slice(out.indexOf('['))) as { filename: string }[])[0]!.filename)
    }
    tarball = await pack('.')
    const creator = await pack('./create')
    // `npm create netplay-game my-game`, with the toolkit from the tarball instead of the registry.
    await runOk('npx', ['--yes', `--package=${creator}`, 'create-netplay-game', 'my-game', '--toolkit', tarball], { cwd: dir, timeoutMs: 3 * MINUTE })
    await runOk('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: game, timeoutMs: 5 * MINUTE })
  }, 12 * MINUTE)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('ships dist/, README and LICENSE; no tests, bench, demo, scaffold or Pixi', async () => {
    const files = (await runOk('tar', ['-tzf', tarball], { cwd: dir, timeoutMs: MINUTE })).split('\n').filter(Boolean)
    for (const f of ['LICENSE', 'README.md', 'package.json', 'dist/entry/client.js', 'dist/entry/server.d.ts'])
      expect(files).toContain(`package/${f}`)
    expect(files.filter((f) => /^package\/(test|bench|scripts|entry|shared|server|client|create)\/|\/demo\/|\.test\.ts$/.test(f))).toEqual([])
    const manifest = JSON.parse(readFileSync(join(game, 'node_modules', 'netplay-toolkit', 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
    expect(Object.keys(manifest.dependencies)).not.toContain('pixi.js')
  })

  it('with the overrides line the scaffold writes, installs one node-datachannel (0.33, prebuilt from the registry)', async () => {
    const manifest = JSON.parse(readFileSync(join(game, 'package.json'), 'utf8')) as { overrides: Record<string, string> }
    const toolkit = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
    expect(manifest.overrides).toEqual({ 'node-datachannel': toolkit.dependencies['node-datachannel'] })
    const found = (await runOk('find', ['node_modules', '-type', 'd', '-name', 'node-datachannel'], { cwd: game, timeoutMs: MINUTE })).split('\n').filter(Boolean)
    expect(found).toEqual(['node_modules/node-datachannel'])
    expect(JSON.parse(readFileSync(join(game, 'node_modules', 'node-datachannel', 'package.json'), 'utf8')).version).toMatch(/^0\.33\./)
  })

  it('the scaffolded game passes its own npm test: type check, then bots chat and move over real WebRTC', async () => {
    const out = await runOk('npm', ['test'], { cwd: game, timeoutMs: 3 * MINUTE })
    expect(out).toMatch(/# pass 1/)
    expect(out).toMatch(/# fail 0/)
  }, 4 * MINUTE)

  it('a consumer sending a wrong payload does not compile (bundler and nodenext resolution)', async () => {
    writeFileSync(join(game, 'consumer.ts'), CONSUMER)
    for (const [file, config] of Object.entries(consumerTsconfigs)) {
      writeFileSync(join(game, file), JSON.stringify(config, null, 2))
      const result = await run(join(game, 'node_modules', '.bin', 'tsc'), ['-p', file], { cwd: game, timeoutMs: 2 * MINUTE })
      expect(result.code, `${file}: ${result.output}`).not.toBe(0)
      // One error, on the wrong payload: the right one on line 5 and everything the file imports compiled.
      expect(result.output.match(/error TS\d+/g), `${file}: ${result.output}`).toEqual(['error TS2322'])
      expect(result.output).toMatch(/consumer\.ts\(6,\d+\): error TS2322/)
    }
  }, 5 * MINUTE)

  describe.skipIf(!browserAvailability().ok)('npm start', () => {
    let browser: Browser | undefined
    let server: Background | undefined
    let bot: Background | undefined
    afterAll(async () => {
      await browser?.close()
      bot?.stop()
      server?.stop()
    })

    it('serves a playable game: keys move the player a Node bot sees, chat reaches it', async () => {
      const port = await freePort()
      server = new Background('npm', ['start'], { cwd: game, env: { PORT: String(port) } })
      await server.waitFor(/Game running/, 3 * MINUTE)
      const url = `http://127.0.0.1:${port}`
      writeFileSync(join(game, 'watch.ts'), WATCH_BOT)
      bot = new Background('npx', ['tsx', 'watch.ts', url], { cwd: game })

      browser = await launchBrowser()
      const page = await browser.newPage({ viewport: { width: 900, height: 700 } })
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      await page.goto(url)
      await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('Connected'), null, { timeout: 30_000 })
      // The bot prints the x of every other player it sees; the browser's player is the only one.
      const browserX = (): number | undefined => {
        const lines = [...bot!.output.matchAll(/\{"others":\[([\d.,]*)\]\}/g)]
        const last = lines.at(-1)?.[1]
        return last ? Number(last.split(',')[0]) : undefined
      }
      await expect.poll(browserX, { timeout: 30_000 }).toBeDefined()
      const before = browserX()!

      await page.locator('canvas').click()
      await page.keyboard.down('ArrowRight')
      await page.waitForTimeout(1200)
      await page.keyboard.up('ArrowRight')
      await expect.poll(browserX, { timeout: 15_000 }).toBeGreaterThan(before + 1)

      await page.fill('#chat input', 'hello from the browser')
      await page.press('#chat input', 'Enter')
      await bot.waitFor(/"chat":"hello from the browser"/, 15_000)
      mkdirSync(shots, { recursive: true })
      await page.screenshot({ path: join(shots, 'scaffolded-game.png') })
      expect(errors).toEqual([])
    }, 6 * MINUTE)
  })
})
