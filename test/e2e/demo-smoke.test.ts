import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDemoServer } from '../../server/demo/demo-server'
import { browserAvailability, launchBrowser } from '../support/browser'

const available = browserAvailability()
const outDir = fileURLToPath(new URL('../../test-output/e2e', import.meta.url))

async function signIn(page: Page, url: string, name: string): Promise<void> {
  await page.goto(url)
  await page.fill('#signin-name', name)
  await page.click('#signin button[type=submit]')
  await page.waitForSelector('#lobby', { timeout: 15_000 })
}

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

  it('two players sign in, meet in a room, chat both ways and see live net stats', async () => {
    const [ann, ben] = await Promise.all([browser.newPage(), browser.newPage()])
    const errors: string[] = []
    for (const p of [ann!, ben!]) p.on('pageerror', (e) => errors.push(e.message))
    await signIn(ann!, demo.url, 'Ann')
    await signIn(ben!, demo.url, 'ben@example.com') // email: the part before @ is the name
    await ann!.waitForSelector('#peer-list li:has-text("ben")')

    await ann!.fill('#room-name', 'Arena <i>1</i>')
    await ann!.click('#create-room button[type=submit]')
    await ann!.waitForSelector('#room')
    await ben!.click('#room-list li:has-text("Arena") button.join')
    await ben!.waitForSelector('#room')

    await ann!.fill('#chat-input', '<b>hi</b> from Ann')
    await ann!.press('#chat-input', 'Enter')
    await ben!.fill('#chat-input', 'hello from ben')
    await ben!.press('#chat-input', 'Enter')
    for (const p of [ann!, ben!]) {
      await p.waitForFunction(() => (document.getElementById('chat-log')?.children.length ?? 0) >= 2, null, { timeout: 10_000 })
      const text = await p.textContent('#chat-log')
      expect(text).toContain('<b>hi</b> from Ann') // rendered as text, not HTML
      expect(text).toContain('hello from ben')
      expect(await p.$$eval('#chat-log b b', (els) => els.length)).toBe(0)
      await p.waitForFunction(() => /\d+\.\d ms/.test(document.querySelector('[data-stat="ping"]')?.textContent ?? ''), null, { timeout: 5000 })
      expect(await p.textContent('#room-title')).toContain('Arena <i>1</i>')
    }

    // The game: Ann holds D (right) for a second; her player moves at once (prediction) and Ben sees it move.
    type Debug = { entityId?: number; self?: { x: number; y: number }; players: Record<number, { x: number; y: number }> }
    const debug = (p: Page) => p.evaluate(() => (window as unknown as { __game: { debug(): Debug } }).__game.debug())
    await ann!.waitForFunction(() => (window as unknown as { __game?: { debug(): Debug } }).__game?.debug().self !== undefined, null, { timeout: 10_000 })
    const annId = (await debug(ann!)).entityId!
    await ben!.waitForFunction((id) => (window as unknown as { __game: { debug(): Debug } }).__game.debug().players[id] !== undefined, annId, { timeout: 10_000 })
    const before = (await debug(ann!)).self!
    const seenBefore = (await debug(ben!)).players[annId]!
    await ann!.focus('#arena-canvas')
    await ann!.keyboard.down('d')
    await ann!.waitForTimeout(1000)
    await ann!.keyboard.up('d')
    const after = (await debug(ann!)).self!
    expect(after.x - before.x).toBeGreaterThan(2) // 6 units/s for ~1 s (the wall may stop it early)
    await ben!.waitForFunction(([id, x]) => ((window as unknown as { __game: { debug(): Debug } }).__game.debug().players[id as number]?.x ?? 0) > (x as number) + 2, [annId, seenBefore.x], { timeout: 5000 })

    for (const p of [ann!, ben!]) {
      await p.waitForSelector('#scoreboard li:has-text("Ann")', { timeout: 5000 })
      await p.waitForSelector('#scoreboard li:has-text("ben")', { timeout: 5000 })
    }

    // Video: in the same room the mesh connects by itself; each sees the other's (fake) camera.
    for (const p of [ann!, ben!]) {
      await p.waitForFunction(
        () => [...document.querySelectorAll<HTMLVideoElement>('#video-tiles video')].some((v) => v.dataset.peer !== 'self' && v.videoWidth > 0),
        null,
        { timeout: 45_000 },
      )
    }

    // A file: Ann picks it, Ben is asked, saves it, and gets exactly the same bytes.
    const content = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7 + 3) & 0xff))
    await ann!.selectOption('#file-target', { label: 'to ben' })
    await ann!.setInputFiles('#file-input', { name: '../../etc/passwd\u202Egnp.txt', mimeType: 'application/octet-stream', buffer: content })
    await ben!.click('.prompt button.accept', { timeout: 10_000 })
    const link = await ben!.waitForSelector('#transfers a.save', { timeout: 15_000 })
    const savedName = await link.getAttribute('download')
    expect(savedName).not.toContain('/')
    expect(savedName).not.toContain('\u202E')
    const received = await ben!.evaluate(async (href) => Array.from(new Uint8Array(await (await fetch(href)).arrayBuffer())), (await link.getAttribute('href'))!)
    expect(Buffer.from(received).equals(content)).toBe(true)
    await ann!.waitForSelector('#transfers li:has-text("sent")', { timeout: 10_000 })

    await ann!.screenshot({ path: `${outDir}/room-ann.png` })
    await ben!.screenshot({ path: `${outDir}/room-ben.png` })
    expect(errors).toEqual([])

    // Ben reloads: the tab resumes his identity and seat in the room by itself, and everything works again.
    await ben!.reload()
    await ben!.waitForSelector('#room', { timeout: 15_000 })
    expect(await ben!.textContent('#status')).toContain('ben (resumed)')
    await ben!.fill('#chat-input', 'back again')
    await ben!.press('#chat-input', 'Enter')
    await ann!.waitForSelector('#chat-log li:has-text("back again")', { timeout: 10_000 })
    await ann!.waitForFunction(() => document.querySelectorAll('#scoreboard li').length === 2, null, { timeout: 10_000 })
    for (const p of [ann!, ben!])
      await p.waitForFunction(
        () => [...document.querySelectorAll<HTMLVideoElement>('#video-tiles video')].filter((v) => v.dataset.peer !== 'self' && v.videoWidth > 0).length === 1,
        null,
        { timeout: 45_000 },
      )
    expect(errors).toEqual([])
  }, 180_000)

  it('rides out a network outage: the session resumes on a new connection and chat, game and video follow', async () => {
    const [fox, gnu] = await Promise.all([browser.newPage(), browser.newPage()])
    await signIn(fox!, demo.url, 'Fox')
    await fox!.fill('#room-name', 'Outage')
    await fox!.click('#create-room button[type=submit]')
    await fox!.waitForSelector('#room')
    await signIn(gnu!, demo.url, 'Gnu')
    await gnu!.click('#room-list li:has-text("Outage") button.join')
    await gnu!.waitForSelector('#room')
    const remoteVideo = (p: Page) =>
      p.waitForFunction(
        () => [...document.querySelectorAll<HTMLVideoElement>('#video-tiles video')].filter((v) => v.dataset.peer !== 'self' && v.videoWidth > 0).length === 1,
        null,
        { timeout: 45_000 },
      )
    await remoteVideo(fox!)
    // Gnu's network goes silent (every unreliable packet lost both ways): its heartbeat times out.
    await gnu!.evaluate(() => {
      const w = window as unknown as { __client: () => { setConditions(c: object): void } }
      w.__client().setConditions({ outgoing: { loss: 1 }, incoming: { loss: 1 } })
    })
    await gnu!.waitForFunction(() => document.getElementById('status')?.textContent?.includes('(resumed)'), null, { timeout: 20_000 })
    // The simulated network heals (the session resumed on a new WebRTC connection; the link, and its
    // simulated loss, carried over). test/integration/real-blackout.test.ts does this with real packets.
    await gnu!.evaluate(() => {
      const w = window as unknown as { __client: () => { setConditions(c: object): void } }
      w.__client().setConditions({ outgoing: {}, incoming: {} })
    })
    await gnu!.waitForSelector('#room')
    await gnu!.fill('#chat-input', 'still here')
    await gnu!.press('#chat-input', 'Enter')
    await fox!.waitForSelector('#chat-log li:has-text("still here")', { timeout: 10_000 })
    await gnu!.waitForFunction(() => document.querySelectorAll('#scoreboard li').length === 2, null, { timeout: 10_000 })
    await remoteVideo(fox!)
    await remoteVideo(gnu!)
    for (const p of [fox!, gnu!]) await p.close()
  }, 180_000)

  it('explains refusals in the page: wrong password, room full', async () => {
    const [cat, dog, eel] = await Promise.all([browser.newPage(), browser.newPage(), browser.newPage()])
    await signIn(cat!, demo.url, 'Cat')
    await cat!.fill('#room-name', 'Locked')
    await cat!.fill('#room-capacity', '2')
    await cat!.fill('#room-password', 'pw')
    await cat!.click('#create-room button[type=submit]')
    await cat!.waitForSelector('#room')

    await signIn(dog!, demo.url, 'Dog')
    dog!.once('dialog', (d) => void d.accept('nope'))
    await dog!.click('#room-list li:has-text("Locked") button.join')
    await dog!.waitForSelector('.toast.error:has-text("wrong-password")', { timeout: 5000 })
    dog!.once('dialog', (d) => void d.accept('pw'))
    await dog!.click('#room-list li:has-text("Locked") button.join')
    await dog!.waitForSelector('#room')

    await signIn(eel!, demo.url, 'Eel')
    await eel!.waitForSelector('#room-list li:has-text("Locked") button:has-text("Full")')
    eel!.once('dialog', (d) => void d.accept('pw'))
    await eel!.click('#room-list li:has-text("Locked") button.join')
    await eel!.waitForSelector('.toast.error:has-text("room-full")', { timeout: 5000 })
    await eel!.screenshot({ path: `${outDir}/room-full.png` })
    for (const p of [cat!, dog!, eel!]) await p.close()
  }, 90_000)
})
