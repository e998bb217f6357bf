import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDemoServer } from '../../server/demo/demo-server'
import { browserAvailability, launchBrowser } from '../support/browser'

const available = browserAvailability()
const outDir = fileURLToPath(new URL('../../test-output/e2e', import.meta.url))

describe.skipIf(!available.ok)('demo in a real browser', () => {
  let browser: Browser
  let demo: Awaited<ReturnType<typeof startDemoServer>>
  const staticRoot = fileURLToPath(new URL('../../test-output/client-build', import.meta.url))

  beforeAll(async () => {
    mkdirSync(outDir, { recursive: true })
    await build({ configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)), logLevel: 'warn', build: { outDir: staticRoot, emptyOutDir: true } })
    demo = await startDemoServer({ port: 0, host: '127.0.0.1', staticRoot })
    browser = await launchBrowser()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await demo?.close()
  })

  it('two tabs connect over WebRTC, chat both ways and show live net stats', async () => {
    const pages = await Promise.all([browser.newPage(), browser.newPage()])
    const errors: string[] = []
    for (const p of pages) p.on('pageerror', (e) => errors.push(e.message))
    for (const p of pages) await p.goto(demo.url)
    for (const p of pages) await p.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('connected'), null, { timeout: 15_000 })
    await pages[0]!.fill('#text', '<b>hi</b> from one')
    await pages[0]!.press('#text', 'Enter')
    await pages[1]!.fill('#text', 'hello from two')
    await pages[1]!.press('#text', 'Enter')
    for (const p of pages) {
      await p.waitForFunction(() => (document.getElementById('log')?.children.length ?? 0) >= 2, null, { timeout: 10_000 })
      const lines = await p.$$eval('#log li', (els) => els.map((e) => e.textContent))
      expect(lines.join('\n')).toContain('<b>hi</b> from one') // rendered as text, not HTML
      expect(lines.join('\n')).toContain('hello from two')
      expect(await p.$$eval('#log b', (els) => els.length)).toBe(0)
      await p.waitForFunction(() => /rtt \d/.test(document.getElementById('stats')?.textContent ?? ''), null, { timeout: 5000 })
    }
    await pages[0]!.screenshot({ path: `${outDir}/demo-smoke.png` })
    expect(errors).toEqual([])
  })
})
