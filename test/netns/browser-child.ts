/**
 * One player's Chromium inside a network namespace (it needs a veth address there: on `lo` alone it
 * gathers no ICE candidates), driven by JSON commands: `signIn`, `createRoom`, `joinRoom`, `say`,
 * `state` (status line, chat lines, remote video frames decoded, scoreboard size). The page's origin
 * is treated as secure, so the fake camera works on a LAN address.
 */
import type { Page } from 'playwright-core'
import { launchBrowser } from '../support/browser'
import { emit, serveRuns } from '../support/child-protocol'

const url = process.env.DEMO_URL!
const browser = await launchBrowser([`--unsafely-treat-insecure-origin-as-secure=${url}`])
const page: Page = await browser.newPage()
const errors: string[] = []
page.on('pageerror', (e) => errors.push(e.message))
emit({ type: 'ready' })

async function state() {
  return page.evaluate(() => ({
    status: document.getElementById('status')?.textContent ?? '',
    chat: [...document.querySelectorAll('#chat-log li')].map((li) => li.textContent ?? ''),
    /** Frames decoded by the other player's video tile(s): grows while media flows. */
    remoteFrames: [...document.querySelectorAll<HTMLVideoElement>('#video-tiles video')]
      .filter((v) => v.dataset.peer !== 'self' && v.videoWidth > 0)
      .reduce((n, v) => n + v.getVideoPlaybackQuality().totalVideoFrames, 0),
    scoreboard: document.querySelectorAll('#scoreboard li').length,
  }))
}

serveRuns(
  async (cmd) => {
    const arg = String(cmd.arg ?? '')
    switch (cmd.action) {
      case 'signIn':
        await page.goto(url)
        await page.fill('#signin-name', arg)
        await page.click('#signin button[type=submit]')
        await page.waitForSelector('#lobby', { timeout: 20_000 })
        break
      case 'createRoom':
        await page.fill('#room-name', arg)
        await page.click('#create-room button[type=submit]')
        await page.waitForSelector('#room', { timeout: 15_000 })
        break
      case 'joinRoom':
        await page.click(`#room-list li:has-text("${arg}") button.join`, { timeout: 15_000 })
        await page.waitForSelector('#room', { timeout: 15_000 })
        break
      case 'say':
        await page.fill('#chat-input', arg)
        await page.press('#chat-input', 'Enter')
        break
    }
    return { type: 'state', ...(await state()), errors }
  },
  async (code) => {
    await browser.close()
    process.exit(code)
  },
)
