import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freeTcpPort } from '../../server/cluster/local-redis'
import { startDemoServer } from '../../server/demo/demo-server'
import { browserAvailability, launchBrowser } from '../support/browser'
import { canRunRedis, startLocalRedis, type LocalRedis } from '../support/redis'

const available = browserAvailability()
const redis = canRunRedis()

async function signIn(page: Page, url: string, name: string): Promise<void> {
  await page.goto(url)
  await page.fill('#signin-name', name)
  await page.click('#signin button[type=submit]')
  await page.waitForSelector('#lobby', { timeout: 15_000 })
}

const remoteVideo = (p: Page) =>
  p.waitForFunction(() => [...document.querySelectorAll<HTMLVideoElement>('#video-tiles video')].some((v) => v.dataset.peer !== 'self' && v.videoWidth > 0), null, {
    timeout: 45_000,
  })

describe.skipIf(!available.ok || !redis.ok)('the demo on a cluster of two nodes, in a real browser', () => {
  let browser: Browser
  let store: LocalRedis
  const nodes: Awaited<ReturnType<typeof startDemoServer>>[] = []
  const staticRoot = fileURLToPath(new URL('../../test-output/client-build-cluster', import.meta.url))

  beforeAll(async () => {
    await build({ configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)), logLevel: 'warn', build: { outDir: staticRoot, emptyOutDir: true } })
    store = await startLocalRedis()
    const ports = [await freeTcpPort(), await freeTcpPort()]
    const nodeOrigins = ports.map((p) => `http://127.0.0.1:${p}`)
    for (const [i, port] of ports.entries())
      nodes.push(await startDemoServer({ port, host: '127.0.0.1', staticRoot, cluster: { redisUrl: store.url, publicUrl: nodeOrigins[i], nodeId: `web${i}`, nodeOrigins } }))
    browser = await launchBrowser()
  }, 90_000)
  afterAll(async () => {
    await browser?.close()
    for (const n of nodes) await n.close()
    await store?.stop()
  })

  it('two pages on two nodes meet in one room (one is moved to the room\'s node), chat and see each other\'s video', async () => {
    const [ann, ben] = await Promise.all([browser.newPage(), browser.newPage()])
    const errors: string[] = []
    for (const p of [ann!, ben!]) p.on('pageerror', (e) => errors.push(e.message))
    await signIn(ann!, nodes[0]!.url, 'Ann')
    await signIn(ben!, nodes[1]!.url, 'Ben')
    // One lobby: each sees the other although they are on different processes.
    await ann!.waitForSelector('#peer-list li:has-text("Ben")', { timeout: 15_000 })
    await ben!.waitForSelector('#peer-list li:has-text("Ann")', { timeout: 15_000 })

    await ann!.fill('#room-name', 'Far away')
    await ann!.click('#create-room button[type=submit]')
    await ann!.waitForSelector('#room')
    await ben!.click('#room-list li:has-text("Far away") button.join', { timeout: 15_000 })
    await ben!.waitForSelector('#room', { timeout: 20_000 })

    await ben!.fill('#chat-input', 'hello from the other node')
    await ben!.press('#chat-input', 'Enter')
    await ann!.waitForSelector('#chat-log li:has-text("hello from the other node")', { timeout: 10_000 })
    for (const p of [ann!, ben!]) await p.waitForSelector('#scoreboard li:has-text("Ben")', { timeout: 10_000 })
    await remoteVideo(ann!)
    await remoteVideo(ben!)
    expect(await ben!.textContent('#status')).toContain('Ben')
    expect(errors).toEqual([])
  }, 180_000)
})
